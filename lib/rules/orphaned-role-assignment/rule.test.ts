import { describe, expect, it } from "vitest";
import { guid, miPrincipal, RG_ID, ROLE, roleAssignment, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { fidelityTenant } from "@/lib/inventory/scan/fidelity.testing";
import { buildTenant, run } from "../cluster.testing";

const STORAGE = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/streceipts`;

function scenario() {
  const live = uai("id-live");
  const deleted = guid("b");
  const orphan = roleAssignment(STORAGE, ROLE.Reader, deleted);
  const ok = roleAssignment(RG_ID, ROLE.Reader, live.properties.principalId);
  return { deleted, orphan, ok, t: tenant({ resources: [live], principals: [miPrincipal(live)], roleAssignments: [orphan, ok] }) };
}

describe("orphaned-role-assignment", () => {
  it("fail-deleted-principal: flags the assignment whose principal Graph does not return", () => {
    const { t, orphan, deleted } = scenario();
    const [f, ...rest] = run("orphaned-role-assignment", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "orphaned-role-assignment", severity: "low", baseSeverity: "low", principalId: deleted, roleAssignmentId: orphan.id, roleName: "Reader", scope: STORAGE });
    expect(f!.severityReason).toBeUndefined();
    expect(f!.message).toContain("streceipts");
    expect(f!.fixes[0]!.steps).toEqual([{ kind: "delete-role-assignment", roleAssignmentId: orphan.id, principalId: deleted, roleName: "Reader", scope: STORAGE }]);
  });

  it("pass-graph-unavailable: principals not resolved means unknown, not deleted", () => {
    const inv = buildTenant(scenario().t, (raw) => {
      raw.principals = null;
    });
    expect(inv.principalsResolved).toBe(false);
    expect(run("orphaned-role-assignment", inv)).toEqual([]);
  });

  it("edge-graph-partly-failed: a Graph read error also stops the rule", () => {
    const inv = buildTenant(scenario().t, (raw) => {
      raw.errors.push({ source: "graph:principals", message: "429 throttled", status: 429 });
    });
    expect(run("orphaned-role-assignment", inv)).toEqual([]);
  });
});

describe("orphaned-role-assignment and principals Graph in this tenant cannot return", () => {
  function crossTenant() {
    const t = fidelityTenant("fabrikam-cross-tenant");
    const partner = t.b.foreignGroup("Contoso support (partner tenant)");
    const gone = t.b.deletedPrincipal("id-retired (deleted)");
    return {
      t: t.tenant,
      foreign: t.b.assign(`/subscriptions/${t.alpha}`, "Reader", partner),
      deleted: t.b.assign(t.rgData, "Storage Blob Data Reader", gone),
    };
  }

  it("fail-pass: a deleted service principal is orphaned; a ForeignGroup Graph does not return is not, and gets no delete plan", () => {
    const { t, foreign, deleted } = crossTenant();
    const findings = run("orphaned-role-assignment", t);
    expect(findings.map((f) => f.roleAssignmentId)).toEqual([deleted]);
    expect(JSON.stringify(findings)).not.toContain(foreign);
  });

  it("edge-untyped: a principal whose type ARM did not record proves nothing either", () => {
    const { t, deleted } = crossTenant();
    const untyped = structuredClone(t);
    const a = untyped.roleAssignments.find((x) => x.id === deleted)!;
    delete (a.properties as { principalType?: string }).principalType;
    expect(run("orphaned-role-assignment", untyped)).toEqual([]);
  });
});
