import { describe, expect, it } from "vitest";
import { listReferenceProblems } from "./check-references";
import { generateTenant } from "./generate";
import { parseTenant } from "./schema";

describe("generateTenant", () => {
  const options = { subscriptions: 4, assignments: 800, clusters: 3, pods: 130, seed: 3 };

  it("produces a tenant that the schema accepts and whose references all resolve", () => {
    const { tenant, summary } = generateTenant(options);
    expect(() => parseTenant(JSON.parse(JSON.stringify(tenant)), "generated")).not.toThrow();
    expect(listReferenceProblems(tenant)).toEqual([]);
    expect(summary).toMatchObject({ subscriptions: 4, clusters: 3, pods: 130, roleAssignments: tenant.roleAssignments.length });
    expect(tenant.roleAssignments.length).toBeGreaterThanOrEqual(800);
    const pods = Object.values(tenant.kubernetes ?? {}).flat().filter((o) => o.kind === "Pod");
    expect(pods).toHaveLength(130);
    const ids = tenant.roleAssignments.map((a) => a.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = JSON.stringify(generateTenant(options).tenant);
    expect(JSON.stringify(generateTenant(options).tenant)).toBe(a);
    expect(JSON.stringify(generateTenant({ ...options, seed: 4 }).tenant)).not.toBe(a);
  });

  it("makes a known share of workload grants over-broad", () => {
    const none = generateTenant({ subscriptions: 10, assignments: 0, clusters: 20, pods: 8000, seed: 1, overBroadShare: 0 }).summary;
    const some = generateTenant({ subscriptions: 10, assignments: 0, clusters: 20, pods: 8000, seed: 1, overBroadShare: 0.2 }).summary;
    // Only the every-tenth-cluster kubelet grants are over-broad without the share.
    expect(none.overBroadAssignments).toBe(2);
    expect(some.overBroadAssignments - 2).toBeGreaterThan(0.1 * some.workloadIdentities);
    expect(some.overBroadAssignments - 2).toBeLessThan(0.3 * some.workloadIdentities);
  });

  it("names the bad option", () => {
    expect(() => generateTenant({ ...options, subscriptions: 0 })).toThrow(/--subscriptions must be an integer ≥ 1/);
    expect(() => generateTenant({ ...options, clusters: 0 })).toThrow(/--pods needs at least one cluster/);
  });
});
