import { describe, expect, it } from "vitest";
import { azureIdentity } from "@/lib/inventory/fixtures.testing";
import { DATA_RG_ID, NODE_RG_ID, R, registry, roleAssignment, run, scenario } from "../assignments.testing";

const ID = "kubelet-identity-extra-role";
const vault = `${DATA_RG_ID}/providers/Microsoft.KeyVault/vaults/kv1`;

describe(ID, () => {
  it("fail-secrets-user-on-kubelet: every pod can read the vault", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(vault, R.KeyVaultSecretsUser, i.kubelet.properties.principalId)] });
    const [f, ...rest] = run(ID, s.tenant);
    expect(rest).toEqual([]);
    // high, raised for the kubelet, lowered for a single resource.
    expect(f).toMatchObject({ ruleId: ID, principalId: s.kubelet.properties.principalId, scope: vault, baseSeverity: "high", severity: "high" });
    expect(f!.fixes.map((p) => p.id)).toEqual(["move-to-dedicated-identity", "remove"]);
  });

  it("fail-pod-identity-roles-without-aad-pod-identity", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(NODE_RG_ID, R.ManagedIdentityOperator, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant).map((f) => f.roleName)).toEqual(["Managed Identity Operator"]);
  });

  it("pass-acrpull-on-registry-and-pod-identity-roles-while-it-runs", () => {
    const acr = registry("contoso");
    const s = scenario({
      resources: [acr],
      assignments: (i) => [roleAssignment(acr.id, R.AcrPull, i.kubelet.properties.principalId), roleAssignment(NODE_RG_ID, R.ManagedIdentityOperator, i.kubelet.properties.principalId)],
      kubernetes: (i) => [azureIdentity("shop", "cart-id", i.app)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-profile-role-at-wide-scope: AcrPull on a resource group is left to acr-scope-too-broad", () => {
    const s = scenario({ resources: [registry("contoso")], assignments: (i) => [roleAssignment(`${DATA_RG_ID}`, R.AcrPull, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
