import { describe, expect, it } from "vitest";
import {
  azureIdentity,
  azureIdentityBinding,
  clusterId,
  deploymentWithPods,
  managedCluster,
  miPrincipal,
  RG_ID,
  ROLE,
  roleAssignment,
  serviceAccount,
  tenant,
  uai,
} from "@/lib/inventory/fixtures.testing";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster-aks/";

function scenario(bind: "env-kubelet" | "env-own" | "sa-control-plane" | "pod-identity-kubelet") {
  const cp = uai("id-aks-cp");
  const kubelet = uai("aks-agentpool");
  const app = uai("id-app");
  const k8s = [];
  if (bind === "env-kubelet") k8s.push(...deploymentWithPods("batch", "recon", 1, { labels: { app: "recon" }, env: { AZURE_CLIENT_ID: kubelet.properties.clientId } }));
  if (bind === "env-own") k8s.push(...deploymentWithPods("batch", "recon", 1, { labels: { app: "recon" }, env: { AZURE_CLIENT_ID: app.properties.clientId } }));
  if (bind === "sa-control-plane") {
    k8s.push(serviceAccount("ops", "ops-bot", cp.properties.clientId));
    k8s.push(...deploymentWithPods("ops", "ops-bot", 2, { labels: { app: "ops-bot", "azure.workload.identity/use": "true" }, serviceAccountName: "ops-bot" }));
  }
  if (bind === "pod-identity-kubelet") {
    k8s.push(azureIdentity("web", "node-id", kubelet), azureIdentityBinding("web", "node-id-binding", "node-id", "web"));
    k8s.push(...deploymentWithPods("web", "web", 1, { labels: { app: "web", aadpodidbinding: "web" } }));
  }
  return {
    cp,
    kubelet,
    app,
    t: tenant({
      resources: [cp, kubelet, app, managedCluster("aks", { controlPlane: cp, kubelet, oidcIssuerUrl: ISSUER, workloadIdentity: true })],
      principals: [miPrincipal(cp), miPrincipal(kubelet), miPrincipal(app)],
      roleAssignments: [roleAssignment(RG_ID, ROLE.Contributor, kubelet.properties.principalId)],
      kubernetes: { [clusterId("aks")]: k8s },
    }),
  };
}

describe("app-uses-kubelet-identity", () => {
  it("fail-env-client-id: flags a workload whose AZURE_CLIENT_ID is the kubelet identity", () => {
    const { t, kubelet } = scenario("env-kubelet");
    const [f, ...rest] = run("app-uses-kubelet-identity", t);
    expect(rest).toHaveLength(0);
    expect(f).toMatchObject({
      ruleId: "app-uses-kubelet-identity",
      severity: "high",
      baseSeverity: "high",
      principalId: kubelet.properties.principalId,
      identityName: "aks-agentpool",
      clusterId: clusterId("aks"),
    });
    expect(f!.severityReason).toBeUndefined();
    expect(f!.targetIds?.[0]).toBe(`${clusterId("aks")}/namespaces/batch/Deployment/recon`);
    expect(f!.message).toContain("kubelet identity");
    expect(f!.message).toContain("batch/recon");
    expect(f!.evidence.map((e) => e.source)).toContain(clusterId("aks"));
    const [mi] = stepsOf(f!, "create-managed-identity");
    expect(mi).toMatchObject({ resourceGroupId: RG_ID, name: "id-aks-batch-recon" });
    expect(stepsOf(f!, "create-federated-credential")[0]).toMatchObject({
      identityId: `${RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks-batch-recon`,
      issuer: ISSUER,
      subject: "system:serviceaccount:batch:recon",
    });
    const apply = stepsOf(f!, "kubernetes-apply")[0]!;
    expect(apply.manifest).toMatchObject({ kind: "Deployment", metadata: { name: "recon", namespace: "batch" }, spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } } } } });
    expectNoPlaceholders(f!);
  });

  it("fail-sa-annotation: flags a ServiceAccount annotated with the control-plane identity's client id", () => {
    const { t, cp } = scenario("sa-control-plane");
    const [f] = run("app-uses-kubelet-identity", t);
    expect(f).toMatchObject({ principalId: cp.properties.principalId, severity: "high" });
    expect(f!.message).toContain("control-plane identity");
    expect(f!.targetIds).toHaveLength(3); // the workload and its 2 pods
  });

  it("fail-pod-identity: flags an AzureIdentity pointing at the kubelet identity, and deletes the binding in the fix", () => {
    const { t } = scenario("pod-identity-kubelet");
    const [f] = run("app-uses-kubelet-identity", t);
    expect(f).toBeDefined();
    expect(stepsOf(f!, "kubernetes-delete")).toEqual([
      { kind: "kubernetes-delete", clusterId: clusterId("aks"), apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "web", name: "node-id-binding" },
    ]);
  });

  it("pass-own-identity: an app using its own identity is not flagged", () => {
    expect(run("app-uses-kubelet-identity", scenario("env-own").t)).toEqual([]);
  });

  it("edge-stable-id: the finding id does not change across scans (pods renamed)", () => {
    const { t } = scenario("env-kubelet");
    const a = run("app-uses-kubelet-identity", t)[0]!;
    const renamed = structuredClone(t);
    for (const o of Object.values(renamed.kubernetes!)[0]!) {
      const meta = (o as { kind: string; metadata: { name: string } }).metadata;
      if ((o as { kind: string }).kind === "Pod") meta.name = `${meta.name}-new`;
    }
    const b = run("app-uses-kubelet-identity", renamed)[0]!;
    expect(b.targetIds).not.toEqual(a.targetIds);
    expect(a.id).toBe(b.id);
  });
});
