import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { evaluateRules } from "@/lib/rules/evaluate";
import { listReferenceProblems } from "./check-references";
import { generateTenant, tenantSizes, type GenerateOptions } from "./generate";
import { rawFromTenant } from "./raw-from-tenant";
import { parseTenant } from "./schema";
import type { TenantFile } from "./types";

/** JSON with object keys sorted: the same data gives the same text whatever order fields were written in. */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sort(value));
}
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const pods = (t: TenantFile) => Object.values(t.kubernetes ?? {}).flat().filter((o) => o.kind === "Pod");

describe("generateTenant, standard shape", () => {
  const options = { subscriptions: 4, assignments: 800, clusters: 3, pods: 130, seed: 3 };

  it("produces a tenant that the schema accepts and whose references all resolve", () => {
    const { tenant, summary } = generateTenant(options);
    expect(() => parseTenant(JSON.parse(JSON.stringify(tenant)), "generated")).not.toThrow();
    expect(listReferenceProblems(tenant)).toEqual([]);
    expect(summary).toMatchObject({ subscriptions: 4, clusters: 3, pods: 130, roleAssignments: tenant.roleAssignments.length });
    expect(tenant.roleAssignments.length).toBeGreaterThanOrEqual(800);
    expect(pods(tenant)).toHaveLength(130);
    const ids = tenant.roleAssignments.map((a) => a.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = JSON.stringify(generateTenant(options).tenant);
    expect(JSON.stringify(generateTenant(options).tenant)).toBe(a);
    expect(JSON.stringify(generateTenant({ ...options, seed: 4 }).tenant)).not.toBe(a);
  });

  it("generates the same tenant as before it was split into phases (benchmark small size, seed 7)", () => {
    // Hashes of the single-function generator's output, taken before the split. The phases
    // write management groups and groups with ARM's field order, so the data is compared, not the key order.
    const small = generateTenant({ ...tenantSizes.standard.small, seed: 7 });
    expect(sha256(canonicalJson(small.tenant))).toBe("52655c9cca5f70023b66418bdc9e5d4463aef7a087f36386ebbd113d22171287");
    expect(small.summary).toEqual({ subscriptions: 20, clusters: 5, pods: 1000, roleAssignments: 2000, workloadIdentities: 50, overBroadAssignments: 3 });
    expect(sha256(canonicalJson(generateTenant(options).tenant))).toBe("3b8f3cb4714aec1807b12a1eb48a6c6e4ce53b1766c7d4fd93f2a61d7b45958b");
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
    expect(() => generateTenant({ ...options, shape: "spiky" as GenerateOptions["shape"] })).toThrow(/--shape must be one of standard, adversarial, got spiky/);
    expect(() => generateTenant({ ...options, shape: "adversarial", identities: 0 })).toThrow(/--identities must be an integer ≥ 1/);
  });
});

describe("generateTenant, adversarial shape", () => {
  const options: GenerateOptions = { shape: "adversarial", subscriptions: 8, assignments: 900, clusters: 3, pods: 600, identities: 90, seed: 5 };
  const { tenant, summary } = generateTenant(options);

  it("produces a tenant that the schema accepts and whose references all resolve, with the counts asked for", () => {
    expect(() => parseTenant(JSON.parse(JSON.stringify(tenant)), "adversarial")).not.toThrow();
    expect(listReferenceProblems(tenant)).toEqual([]);
    expect(tenant.roleAssignments).toHaveLength(900);
    expect(summary).toMatchObject({ subscriptions: 8, clusters: 3, roleAssignments: 900, workloadIdentities: 90 });
    expect(pods(tenant).length).toBe(summary.pods);
    expect(pods(tenant).length).toBeGreaterThanOrEqual(600);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    expect(JSON.stringify(generateTenant(options).tenant)).toBe(JSON.stringify(tenant));
    expect(JSON.stringify(generateTenant({ ...options, seed: 6 }).tenant)).not.toBe(JSON.stringify(tenant));
  });

  it("nests management groups at least six levels deep", () => {
    const parent = new Map((tenant.managementGroups ?? []).map((g) => [g.id, (g.properties?.details as { parent: { id: string } | null }).parent?.id]));
    const depth = (id: string | undefined): number => (id ? 1 + depth(parent.get(id)) : 0);
    expect(Math.max(...[...parent.keys()].map(depth))).toBeGreaterThanOrEqual(6);
  });

  it("gives each app identity many assignments at mixed scopes: management groups, subscriptions, resource groups and resources of several kinds", () => {
    const appPrincipals = new Set(tenant.principals.filter((p) => String(p.displayName).startsWith("id-app-")).map((p) => p.id));
    const perIdentity = new Map<string, number>();
    const scopeKinds = new Set<string>();
    for (const a of tenant.roleAssignments) {
      const { principalId, scope } = a.properties as { principalId: string; scope: string };
      if (!appPrincipals.has(principalId)) continue;
      perIdentity.set(principalId, (perIdentity.get(principalId) ?? 0) + 1);
      const m = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/.exec(scope);
      scopeKinds.add(m ? m[1]!.toLowerCase() : /\/resourceGroups\/[^/]+$/i.test(scope) ? "resourceGroup" : /^\/subscriptions\/[^/]+$/.test(scope) ? "subscription" : "other");
    }
    expect(perIdentity.size).toBe(90);
    expect(Math.min(...perIdentity.values())).toBeGreaterThanOrEqual(5);
    for (const kind of ["microsoft.management/managementgroups", "subscription", "resourceGroup", "microsoft.storage/storageaccounts", "microsoft.containerregistry/registries", "microsoft.keyvault/vaults", "microsoft.network/dnszones", "microsoft.managedidentity/userassignedidentities"]) {
      expect(scopeKinds, kind).toContain(kind);
    }
  });

  it("runs thousands of pods under few service accounts, through workload identity and aad-pod-identity", () => {
    const big = generateTenant({ ...options, pods: 4000 }).tenant;
    const [busiest] = Object.values(big.kubernetes ?? {});
    const clusterPods = busiest!.filter((o) => o.kind === "Pod");
    expect(clusterPods.length).toBeGreaterThanOrEqual(1000);
    const accounts = new Set(clusterPods.map((p) => `${p.metadata.namespace}/${(p.spec as { serviceAccountName: string }).serviceAccountName}`));
    expect(accounts.size).toBeLessThanOrEqual(8);
    expect(busiest!.some((o) => o.kind === "AzureIdentityBinding")).toBe(true);
    expect(busiest!.some((o) => o.kind === "ServiceAccount" && o.metadata.annotations?.["azure.workload.identity/client-id"])).toBe(true);
  });

  it("defines custom roles with wildcard actions and assigns them", () => {
    const wildcard = (tenant.roleDefinitions ?? []).filter((d) => (d.properties?.permissions as { actions: string[] }[])[0]!.actions.some((a) => a.endsWith("*")));
    expect(wildcard.length).toBeGreaterThanOrEqual(3);
    const used = new Set(tenant.roleAssignments.map((a) => String((a.properties as { roleDefinitionId: string }).roleDefinitionId).split("/").pop()));
    expect(wildcard.filter((d) => used.has(d.name)).length).toBeGreaterThanOrEqual(3);
  });

  it("is mostly findings, of many rules, where the standard shape of the same size has few", () => {
    const findings = evaluateRules(buildInventory(rawFromTenant(tenant)));
    const standard = evaluateRules(buildInventory(rawFromTenant(generateTenant({ ...options, shape: "standard" }).tenant)));
    expect(findings.length).toBeGreaterThan(3 * summary.workloadIdentities);
    expect(findings.length).toBeGreaterThan(10 * standard.length);
    const rules = new Set(findings.map((f) => f.ruleId));
    for (const id of [
      "privileged-role-on-workload-identity",
      "broad-role-on-workload-identity",
      "subscription-scope-grant",
      "data-role-broader-than-needed",
      "data-role-scope-too-broad",
      "dns-role-scope-too-broad",
      "custom-role-wildcard",
      "identity-escalation-path",
      "acr-write-on-kubelet",
      "shared-app-identity",
      "pod-identity-not-namespaced",
    ]) {
      expect(rules, id).toContain(id);
    }
  });
});
