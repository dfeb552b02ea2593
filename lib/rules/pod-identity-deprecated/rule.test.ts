import { describe, expect, it } from "vitest";
import { azureIdentity, azureIdentityBinding, clusterId, controller, deploymentWithPods, managedCluster, miPrincipal, RG, serviceAccount, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { azCommandLine } from "@/lib/remediation/render/quote";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/t/c1/";

describe("pod-identity-deprecated", () => {
  it("fail-azure-identity: a cluster with AzureIdentity objects gets a per-binding migration plan", () => {
    const id = uai("id-ledger");
    const t = tenant({
      resources: [id, managedCluster("aks", { oidcIssuerUrl: ISSUER, workloadIdentity: true })],
      principals: [miPrincipal(id)],
      kubernetes: {
        [clusterId("aks")]: [
          azureIdentity("payments", "ledger", id),
          azureIdentityBinding("payments", "ledger-binding", "ledger", "ledger"),
          serviceAccount("payments", "ledger"),
          ...deploymentWithPods("payments", "ledger", 2, { labels: { app: "ledger", aadpodidbinding: "ledger" }, serviceAccountName: "ledger" }),
        ],
      },
    });
    const [f, ...rest] = run("pod-identity-deprecated", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "pod-identity-deprecated", severity: "medium", baseSeverity: "medium", clusterId: clusterId("aks"), scope: clusterId("aks") });
    expect(f!.targetIds).toContain(`${clusterId("aks")}/namespaces/payments/azureidentitybindings/ledger-binding`);
    expect(stepsOf(f!, "create-federated-credential")).toEqual([
      { kind: "create-federated-credential", identityId: id.id, name: "aks-payments-ledger", issuer: ISSUER, subject: "system:serviceaccount:payments:ledger", audiences: ["api://AzureADTokenExchange"] },
    ]);
    const [sa, deploy] = stepsOf(f!, "kubernetes-apply");
    expect(sa!.manifest).toEqual({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "ledger", namespace: "payments", annotations: { "azure.workload.identity/client-id": id.properties.clientId } } });
    expect(deploy!.manifest).toMatchObject({ kind: "Deployment", spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } }, spec: { serviceAccountName: "ledger" } } } });
    const deletes = stepsOf(f!, "kubernetes-delete");
    expect(deletes[0]).toMatchObject({ objectKind: "AzureIdentityBinding", namespace: "payments", name: "ledger-binding" });
    // Deleting the AzureIdentity after its binding is what ends the cluster's use of aad-pod-identity.
    expect(deletes[1]).toMatchObject({ objectKind: "AzureIdentity", namespace: "payments" });
    expect(stepsOf(f!, "delete-role-assignment")).toEqual([]); // roles stay on the same identity
    expectNoPlaceholders(f!);
  });

  it("edge-app-registration-binding: managed-identity bindings get a plan the applier can run; app-registration bindings their own", () => {
    const id = uai("id-ledger");
    const legacy = uai("sp-legacy");
    const t = tenant({
      resources: [id, legacy, managedCluster("aks", { oidcIssuerUrl: ISSUER, workloadIdentity: true })],
      principals: [miPrincipal(id)],
      kubernetes: {
        [clusterId("aks")]: [
          azureIdentity("payments", "ledger", id),
          azureIdentityBinding("payments", "ledger-binding", "ledger", "ledger"),
          ...deploymentWithPods("payments", "ledger", 1, { labels: { app: "ledger", aadpodidbinding: "ledger" }, serviceAccountName: "ledger" }),
          azureIdentity("payments", "fx-sp", legacy, { type: 1 }),
          azureIdentityBinding("payments", "fx-binding", "fx-sp", "fx"),
          ...deploymentWithPods("payments", "fx", 1, { labels: { app: "fx", aadpodidbinding: "fx" }, serviceAccountName: "fx" }),
        ],
      },
    });
    const [f] = run("pod-identity-deprecated", t);
    expect(f!.fixes.map((p) => p.id)).toEqual(["migrate-to-workload-identity", "migrate-app-registrations"]);
    const [managed, appRegistrations] = f!.fixes;
    // Every step of the first plan is an ARM or Kubernetes write: nothing manual stands before them.
    expect(managed!.steps.every((s) => s.kind !== "manual" && s.kind !== "az-command")).toBe(true);
    expect(managed!.steps.filter((s) => s.kind === "kubernetes-delete").map((s) => (s as { name: string }).name)).toEqual(["ledger-binding", "ledger"]);
    // The app registration's credential is a typed Graph write, so this plan is automatable too.
    expect(appRegistrations!.steps[0]).toEqual({
      kind: "create-app-federated-credential",
      appId: legacy.properties.clientId,
      applicationName: "sp-legacy",
      name: "aks-payments-fx",
      issuer: ISSUER,
      subject: "system:serviceaccount:payments:fx",
      audiences: ["api://AzureADTokenExchange"],
    });
    const lastAutomated = appRegistrations!.steps.findLastIndex((s) => s.kind !== "manual" && s.kind !== "az-command");
    expect(appRegistrations!.steps.slice(0, lastAutomated).some((s) => s.kind === "manual" || s.kind === "az-command")).toBe(false);
    expect(appRegistrations!.steps.some((s) => s.kind === "kubernetes-delete" && s.objectKind === "AzureIdentity" && s.name === "fx-sp")).toBe(true);
  });

  it("pass-nmi-leftover: an NMI DaemonSet with no AzureIdentity objects is leftover software, not use (RULES.md)", () => {
    const t = tenant({
      resources: [managedCluster("aks")],
      kubernetes: { [clusterId("aks")]: [controller("DaemonSet", "kube-system", "aad-pod-identity-nmi", { image: "mcr.microsoft.com/oss/azure/aad-pod-identity/nmi:v1.8.17" })] },
    });
    expect(run("pod-identity-deprecated", t)).toEqual([]);
  });

  it("fail-managed-add-on: podIdentityProfile.enabled, with az aks pod-identity delete per pod identity", () => {
    const id = uai("id-app");
    const t = tenant({
      resources: [id, managedCluster("aks", { podIdentity: { enabled: true, identities: [{ name: "app", namespace: "apps", identity: id }] } })],
      principals: [miPrincipal(id)],
    });
    const [f] = run("pod-identity-deprecated", t);
    expect(stepsOf(f!, "az-command").map((s) => azCommandLine(s.args))).toContain(`az aks pod-identity delete --resource-group ${RG} --cluster-name aks --namespace apps --name app`);
  });

  it("pass-workload-identity-only: a cluster on workload identity is not flagged", () => {
    const t = tenant({
      resources: [managedCluster("aks", { oidcIssuerUrl: ISSUER, workloadIdentity: true, podIdentity: { enabled: false } })],
      kubernetes: { [clusterId("aks")]: [controller("Deployment", "kube-system", "azure-wi-webhook-controller-manager")] },
    });
    expect(run("pod-identity-deprecated", t)).toEqual([]);
  });
});
