import { describe, expect, it } from "vitest";
import { DATA_RG_ID, R, resource, roleAssignment, run, scenario } from "../assignments.testing";

const ID = "data-role-broader-than-needed";
const st = resource(DATA_RG_ID, "Microsoft.Storage/storageAccounts", "st1");
const sb = resource(DATA_RG_ID, "Microsoft.ServiceBus/namespaces", "sb1");

describe(ID, () => {
  it("fail-service-bus-owner: medium, Sender and Receiver offered", () => {
    const s = scenario({ resources: [sb], assignments: (i) => [roleAssignment(sb.id, R.ServiceBusDataOwner, i.app.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, baseSeverity: "medium", severity: "low" /* single resource */ });
    const proposed = f!.fixes.map((p) => (p.steps[0] as { roleName: string }).roleName);
    expect(proposed).toEqual(expect.arrayContaining(["Azure Service Bus Data Sender", "Azure Service Bus Data Receiver"]));
    expect(f!.fixes[0]!.steps[0]).toMatchObject({ kind: "create-role-assignment", scope: sb.id, alternatives: { roleDefinitionIds: expect.arrayContaining([`/providers/Microsoft.Authorization/roleDefinitions/${R.ServiceBusDataSender}`]) } });
  });

  it("fail-blob-contributor: low, Reader offered", () => {
    const s = scenario({ resources: [st], assignments: (i) => [roleAssignment(DATA_RG_ID, R.StorageBlobDataContributor, i.app.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ baseSeverity: "low" });
    expect(f!.fixes.map((p) => (p.steps[0] as { roleName: string }).roleName)).toEqual(["Storage Blob Data Reader"]);
  });

  it("pass-narrow-roles: Blob Data Reader and Service Bus Data Sender are already narrowest", () => {
    const s = scenario({
      resources: [st, sb],
      assignments: (i) => [roleAssignment(st.id, R.StorageBlobDataReader, i.app.properties.principalId), roleAssignment(sb.id, R.ServiceBusDataSender, i.app.properties.principalId)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-kubelet-holds-owner-data-role: app-only rule (kubelet rules judge the kubelet)", () => {
    const s = scenario({ resources: [st], assignments: (i) => [roleAssignment(st.id, R.StorageBlobDataOwner, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
