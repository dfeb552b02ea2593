import { describe, expect, it } from "vitest";
import { CLUSTER_ID, DATA_RG_ID, R, roleAssignment, run, scenario, SUB_ID, uai } from "../assignments.testing";

const ID = "aks-identity-extra-role";
const oms = uai("omsagent-aks");

describe(ID, () => {
  it("fail-storage-role-on-control-plane", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, R.StorageAccountContributor, i.cp.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, principalId: s.cp.properties.principalId, roleName: "Storage Account Contributor", baseSeverity: "medium" });
    expect(f!.message).toContain("control plane of aks");
  });

  it("fail-extra-role-on-addon", () => {
    const s = scenario({
      identities: [oms],
      cluster: { addons: { omsagent: { identity: oms } } },
      assignments: () => [roleAssignment(DATA_RG_ID, R.KeyVaultSecretsUser, oms.properties.principalId)],
    });
    expect(run(ID, s.tenant).map((f) => f.identityName)).toEqual(["omsagent-aks"]);
  });

  it("pass-addon-profile-role: Monitoring Metrics Publisher on the cluster", () => {
    const s = scenario({
      identities: [oms],
      cluster: { addons: { omsagent: { identity: oms } } },
      assignments: () => [roleAssignment(CLUSTER_ID, R.MonitoringMetricsPublisher, oms.properties.principalId)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-profile-role-at-too-wide-scope: Network Contributor on the subscription is left to the scope rules", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(SUB_ID, R.NetworkContributor, i.cp.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
