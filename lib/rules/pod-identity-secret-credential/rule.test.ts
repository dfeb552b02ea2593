import { describe, expect, it } from "vitest";
import { azureIdentity, azureIdentityBinding, clusterId, deploymentWithPods, guid, managedCluster, RG_ID, ROLE, roleAssignment, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { azCommandLine } from "@/lib/remediation/render/quote";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

function scenario(type: number) {
  const appId = guid("c");
  const objectId = guid("b");
  // A type 1/2 AzureIdentity names an app registration and the Secret holding its credential, no resource id.
  const ai = { ...azureIdentity("payments", "fx-rates-sp", uai("unused"), { type }), spec: { type, clientID: appId, tenantID: "t", clientPassword: { name: "fx-rates-sp-secret", namespace: "payments" } } };
  return {
    appId,
    objectId,
    t: tenant({
      resources: [managedCluster("aks")],
      principals: [{ id: objectId, appId, displayName: "sp-fx-rates", servicePrincipalType: "Application" }],
      roleAssignments: [roleAssignment(RG_ID, ROLE.Reader, objectId)],
      kubernetes: {
        [clusterId("aks")]: [ai, azureIdentityBinding("payments", "fx-binding", "fx-rates-sp", "fx"), ...deploymentWithPods("payments", "fx-sync", 1, { labels: { aadpodidbinding: "fx" } })],
      },
    }),
  };
}

describe("pod-identity-secret-credential", () => {
  it("fail-type-1: flags a client-secret AzureIdentity, naming the service principal", () => {
    const { t, objectId, appId } = scenario(1);
    const [f, ...rest] = run("pod-identity-secret-credential", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "pod-identity-secret-credential", severity: "high", baseSeverity: "high", principalId: objectId, identityName: "sp-fx-rates" });
    expect(f!.targetIds?.[0]).toBe(`${clusterId("aks")}/namespaces/payments/azureidentities/fx-rates-sp`);
    expect(f!.message).toContain("client secret");
    const federate = f!.fixes.find((p) => p.id === "federate-app-registration")!;
    expect(federate.steps.some((s) => s.kind === "az-command" && azCommandLine(s.args).startsWith(`az ad app federated-credential create --id ${appId}`))).toBe(true);
    expect(stepsOf(f!, "kubernetes-delete").map((s) => s.objectKind)).toEqual(expect.arrayContaining(["AzureIdentityBinding", "AzureIdentity"]));
    expect(f!.fixes.map((p) => p.id)).toEqual(["federate-app-registration", "move-to-managed-identity"]);
    expectNoPlaceholders(f!);
  });

  it("edge-type-2: a certificate AzureIdentity is flagged too", () => {
    const [f] = run("pod-identity-secret-credential", scenario(2).t);
    expect(f?.message).toContain("certificate");
  });

  it("pass-type-0: a managed-identity AzureIdentity is not flagged", () => {
    expect(run("pod-identity-secret-credential", scenario(0).t)).toEqual([]);
  });
});
