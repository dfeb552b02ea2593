import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { fidelityTenant } from "@/lib/inventory/scan/fidelity.testing";
import type { Finding, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { addStorageAccount } from "@/lib/tenant/builder/resources";
import { blobContainerCondition } from "@/lib/tenant/builder/roles";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import { evaluateRules } from "./evaluate";

const ALL_BLOB = ["read", "write", "add/action", "delete", "move/action"];
const DELEGATION =
  "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {2a2b9908-6ea1-4ae2-8e65-a410df84e7d1}))";

/** The fidelity tenant's app identity with conditioned grants, and their unconditioned twins on a second app. */
function conditionedTenant() {
  const t = fidelityTenant("fabrikam-conditions");
  const { b, app, rgData, rgApps, beta } = t;
  const rgBeta = `/subscriptions/${beta}/resourceGroups/rg-beta`;
  addStorageAccount(b, rgBeta, "stbetaone");
  const account = `${rgData}/providers/Microsoft.Storage/storageAccounts/stalphaone`;
  // The same grants without conditions, held by a second app of the cluster.
  const twin = b.userAssignedIdentity(rgApps, "id-twin");
  b.federatedCredential(twin, "aks-alpha-shop-twin", t.cluster.issuer, "shop", "twin");
  t.kube.workloadIdentityServiceAccount("shop", "twin", twin.clientId);
  t.kube.deployment("shop", "twin", 1, { podLabels: { app: "twin", "azure.workload.identity/use": "true" }, serviceAccountName: "twin", pool: "system", containers: [{ name: "twin", image: "fabrikam.azurecr.io/shop/twin:1.0.0" }] });
  const grants = {
    rgReader: b.assign(rgData, "Storage Blob Data Reader", app, { condition: blobContainerCondition("invoices", ["read"]) }),
    subReader: b.assign(`/subscriptions/${beta}`, "Storage Blob Data Reader", app, { condition: blobContainerCondition("invoices", ["read"]) }),
    contributor: b.assign(account, "Storage Blob Data Contributor", app, { condition: blobContainerCondition("invoices", ALL_BLOB) }),
    delegation: b.assign(rgApps, "Role Based Access Control Administrator", app, { condition: DELEGATION }),
    twinRgReader: b.assign(rgData, "Storage Blob Data Reader", twin),
    twinContributor: b.assign(account, "Storage Blob Data Contributor", twin),
    twinDelegation: b.assign(rgApps, "Role Based Access Control Administrator", twin),
  };
  return { ...t, grants };
}

function inventoryOf(tenant: TenantFile): Inventory {
  return buildInventory(rawFromTenant(parseTenant(JSON.parse(JSON.stringify(tenant)))), { scannedAt: "2026-01-01T00:00:00.000Z" });
}

const on = (findings: Finding[], assignment: string) => findings.filter((f) => normalizeId(f.roleAssignmentId ?? "") === normalizeId(assignment));

describe("rules judge a conditioned assignment by what its condition allows", () => {
  const t = conditionedTenant();
  const inventory = inventoryOf(t.tenant);
  const findings = evaluateRules(inventory);

  it("data-role-scope-too-broad: one container at resource-group scope is no finding; at subscription scope it is, at low", () => {
    expect(on(findings, t.grants.rgReader).map((f) => f.ruleId)).toEqual([]);
    expect(on(findings, t.grants.twinRgReader).map((f) => [f.ruleId, f.baseSeverity])).toEqual([["data-role-scope-too-broad", "medium"]]);
    const [sub] = on(findings, t.grants.subReader).filter((f) => f.ruleId === "data-role-scope-too-broad");
    expect(sub).toMatchObject({ baseSeverity: "low" });
    expect(sub!.message).toMatch(/limited by its condition to the container named 'invoices', but in each of 1 storage account/);
    expect(sub!.evidence.map((e) => e.fact)).toContainEqual(expect.stringMatching(/carries a condition limiting every data action to the container named 'invoices'/));
  });

  it("data-role-broader-than-needed: every write guarded by the condition lowers it to low", () => {
    const [guarded] = on(findings, t.grants.contributor).filter((f) => f.ruleId === "data-role-broader-than-needed");
    const [plain] = on(findings, t.grants.twinContributor).filter((f) => f.ruleId === "data-role-broader-than-needed");
    expect(guarded).toMatchObject({ baseSeverity: "low" });
    expect(guarded!.message).toContain("its condition guards every write");
    expect(plain).toBeDefined();
  });

  it("privileged-role-on-workload-identity: a delegation condition makes it high, not critical", () => {
    expect(on(findings, t.grants.delegation).filter((f) => f.ruleId === "privileged-role-on-workload-identity").map((f) => f.baseSeverity)).toEqual(["high"]);
    expect(on(findings, t.grants.twinDelegation).filter((f) => f.ruleId === "privileged-role-on-workload-identity").map((f) => f.baseSeverity)).toEqual(["critical"]);
  });

  it("the plans re-create conditioned grants with their condition (version 2.0)", () => {
    const [sub] = on(findings, t.grants.subReader).filter((f) => f.ruleId === "data-role-scope-too-broad");
    const creates = sub!.fixes.flatMap((p) => p.steps).filter((s): s is Extract<FixStep, { kind: "create-role-assignment" }> => s.kind === "create-role-assignment");
    expect(creates.length).toBeGreaterThan(0);
    for (const c of creates) expect(c).toMatchObject({ condition: blobContainerCondition("invoices", ["read"]), conditionVersion: "2.0" });
  });
});

/**
 * A fix may never widen access: wherever a plan deletes a conditioned assignment, every grant it
 * creates for that principal carries the same condition, or a manual step says to keep it.
 */
function widenings(inventory: Inventory, findings: Finding[]): string[] {
  const byId = new Map(inventory.roleAssignments.map((a) => [normalizeId(a.id), a]));
  const out: string[] = [];
  for (const f of findings) {
    for (const plan of f.fixes) {
      const deleted = plan.steps.flatMap((s) => (s.kind === "delete-role-assignment" ? [byId.get(normalizeId(s.roleAssignmentId))] : [])).filter((a) => a?.condition);
      for (const gone of deleted) {
        const creates = plan.steps.filter((s): s is Extract<FixStep, { kind: "create-role-assignment" }> => s.kind === "create-role-assignment" && s.principalId === gone!.principalId);
        const manual = plan.steps.filter((s) => s.kind === "manual" && s.description.includes(gone!.condition!));
        for (const c of creates) if (c.condition !== gone!.condition) out.push(`${f.ruleId} ${plan.id}: creates ${c.roleName} at ${c.scope} without the condition of ${gone!.id}`);
        if (creates.length === 0 && plan.steps.some((s) => s.kind === "manual" && /grant|create/i.test(s.description)) && manual.length === 0) {
          out.push(`${f.ruleId} ${plan.id}: its manual grant does not name the condition of ${gone!.id}`);
        }
      }
    }
  }
  return out;
}

describe("no fix widens a conditioned grant", () => {
  it("on the conditions test tenant, every plan of every finding keeps each deleted grant's condition", () => {
    const inventory = inventoryOf(conditionedTenant().tenant);
    const findings = evaluateRules(inventory);
    const deletingConditioned = findings.filter((f) => f.fixes.some((p) => p.steps.some((s) => s.kind === "delete-role-assignment" && inventory.roleAssignments.find((a) => normalizeId(a.id) === normalizeId(s.roleAssignmentId))?.condition)));
    expect(deletingConditioned.map((f) => f.ruleId).sort()).toEqual(["data-role-broader-than-needed", "data-role-scope-too-broad", "privileged-role-on-workload-identity"]);
    expect(widenings(inventory, findings)).toEqual([]);
  });

  it("on the demo tenant too", () => {
    const inventory = inventoryOf(JSON.parse(readFileSync("fixtures/tenants/demo.json", "utf8")) as TenantFile);
    const findings = evaluateRules(inventory);
    expect(inventory.roleAssignments.filter((a) => a.condition).length).toBeGreaterThanOrEqual(2);
    expect(widenings(inventory, findings)).toEqual([]);
  });
});
