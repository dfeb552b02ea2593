import { describe, expect, it } from "vitest";
import { R, resource, roleAssignment, run, scenario, SUB_ID } from "../assignments.testing";

const ID = "dns-role-scope-too-broad";
const RG_DNS = `${SUB_ID}/resourceGroups/rg-dns`;
const zoneA = resource(RG_DNS, "Microsoft.Network/dnszones", "shop.contoso.com");
const zoneB = resource(RG_DNS, "Microsoft.Network/dnszones", "corp.contoso.com");

describe(ID, () => {
  it("fail-zone-role-on-resource-group: re-created on the zone external-dns manages", () => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ resources: [zoneA, zoneB], assignments: (i) => [(a = roleAssignment(RG_DNS, R.DnsZoneContributor, i.app.properties.principalId))] });
    // The app's pods run external-dns with a domain filter.
    const pods = s.tenant.kubernetes![Object.keys(s.tenant.kubernetes!)[0]!]!;
    for (const o of pods) {
      const spec = (o as { spec?: { containers?: { args?: string[] }[] } }).spec;
      spec?.containers?.forEach((c) => (c.args = ["--provider=azure", "--domain-filter=shop.contoso.com"]));
    }
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, targetIds: [zoneA.id], baseSeverity: "medium" });
    expect(f!.fixes[0]!.steps[0]).toMatchObject({ kind: "create-role-assignment", scope: zoneA.id, alternatives: { scopes: [zoneB.id, zoneA.id] } });
  });

  it("fail-zone-unknown: every zone in the scope is proposed (the wizard asks)", () => {
    const s = scenario({ resources: [zoneA, zoneB], assignments: (i) => [roleAssignment(RG_DNS, R.DnsZoneContributor, i.app.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    expect(f!.fixes[0]!.steps.filter((x) => x.kind === "create-role-assignment")).toHaveLength(2);
  });

  it("pass-on-the-zone", () => {
    const s = scenario({ resources: [zoneA], assignments: (i) => [roleAssignment(zoneA.id, R.DnsZoneContributor, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-private-zone-role-at-subscription", () => {
    const pz = resource(RG_DNS, "Microsoft.Network/privateDnsZones", "privatelink.westeurope.azmk8s.io");
    const s = scenario({ resources: [pz], assignments: (i) => [roleAssignment(SUB_ID, R.PrivateDnsZoneContributor, i.cp.properties.principalId)] });
    expect(run(ID, s.tenant)[0]!.fixes[0]!.steps[0]).toMatchObject({ scope: pz.id });
  });
});
