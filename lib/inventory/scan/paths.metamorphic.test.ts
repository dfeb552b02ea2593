import { describe, expect, it } from "vitest";
import { startEmulator } from "@/emulator/server";
import { normalizeId } from "@/lib/model/scope";
import type { Finding } from "@/lib/model/findings";
import { IdentityKind, type Inventory } from "@/lib/model/types";
import { addClusterExtension } from "@/lib/tenant/builder/extensions";
import { evaluateRules } from "@/lib/rules/evaluate";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { withRealAzureCasing } from "@/lib/testing/azure-casing";
import { generateTenant, TenantShape } from "@/lib/tenant/generate";
import { loadTenantFile } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import { buildInventory } from "../build";
import { collectTenant, type ScanStats } from "./index";
import { fidelityTenant } from "./fidelity.testing";

/**
 * Metamorphic tests: the same tenant read different ways must give the same role assignments
 * and the same findings, ids included. Resource Graph vs per-subscription ARM; ARM pages of 2 vs
 * 1,000 items (and Kubernetes pages of 2); ids cased as real ARM answers case them.
 */

interface Read {
  inventory: Inventory;
  findings: Finding[];
  stats: ScanStats;
}

async function scan(tenant: TenantFile, o: { path: "resource-graph" | "arm"; pageSize: number }): Promise<Read> {
  const emulator = await startEmulator({ tenant, pageSize: o.pageSize });
  const stats = {} as ScanStats;
  let raw;
  try {
    raw = await collectTenant(scanConfigForEmulator(emulator, { resourceGraph: o.path === "arm" ? "never" : "always", kubernetesPageSize: o.pageSize, stats }));
  } finally {
    await emulator.close();
  }
  const inventory = buildInventory(raw, { scannedAt: "2026-01-01T00:00:00.000Z" });
  return { inventory, findings: evaluateRules(inventory), stats };
}

const assignmentIds = (r: Read) => r.inventory.roleAssignments.map((a) => normalizeId(a.id)).sort();
const findingIds = (r: Read) => r.findings.map((f) => `${f.id} ${f.severity}`).sort();

describe("management-group and root grants through Resource Graph and ARM", () => {
  const t = fidelityTenant();

  it("both paths read the same role assignments, `/` and management-group ones included, and give the same findings", async () => {
    const graph = await scan(t.tenant, { path: "resource-graph", pageSize: 1000 });
    const arm = await scan(t.tenant, { path: "arm", pageSize: 1000 });
    expect(graph.stats.path).toBe("resource-graph");
    expect(arm.stats.path).toBe("arm");
    expect(graph.inventory.errors).toEqual([]);
    expect(arm.inventory.errors).toEqual([]);
    expect(assignmentIds(graph)).toEqual(assignmentIds(arm));
    expect(assignmentIds(graph)).toEqual(expect.arrayContaining([normalizeId(t.assignments.root), normalizeId(t.assignments.mg)]));
    expect(findingIds(graph)).toEqual(findingIds(arm));
    const on = (r: Read, assignment: string) => r.findings.filter((f) => normalizeId(f.roleAssignmentId ?? "") === normalizeId(assignment)).map((f) => f.ruleId).sort();
    // The root grant is wider than any subscription; the management-group data role reaches every storage account under it.
    expect(on(graph, t.assignments.root)).toEqual(["subscription-scope-grant"]);
    expect(on(graph, t.assignments.mg)).toEqual(["data-role-scope-too-broad"]);
  }, 60_000);

  it("a custom role defined at a management group and one assignable only at a resource group resolve on both paths (custom-role-wildcard)", async () => {
    for (const path of ["resource-graph", "arm"] as const) {
      const r = await scan(t.tenant, { path, pageSize: 1000 });
      const roles = new Set(r.inventory.roleDefinitions.map((d) => d.name));
      expect(roles.has(t.roles.mgOperator.guid), `${path}: role defined at the management group`).toBe(true);
      expect(roles.has(t.roles.rgDataAdmin.guid), `${path}: role assignable only at rg-data`).toBe(true);
      const wildcard = r.findings.filter((f) => f.ruleId === "custom-role-wildcard").map((f) => normalizeId(f.roleAssignmentId!)).sort();
      expect(wildcard, path).toEqual([t.assignments.mgCustom, t.assignments.rgOnlyCustom].map(normalizeId).sort());
    }
  }, 60_000);
});

describe("cluster extensions through Resource Graph and ARM", () => {
  it("both paths read a cluster's extensions and classify their identities as add-ons", async () => {
    const t = fidelityTenant("fabrikam-extensions");
    const backup = t.b.userAssignedIdentity(t.cluster.nodeRgId, "azure-aks-backup-aks-alpha");
    addClusterExtension(t.b, { clusterId: t.cluster.id, name: "flux", extensionType: "microsoft.flux", releaseNamespace: "flux-system", version: "1.14.1", identity: "SystemAssigned" });
    addClusterExtension(t.b, { clusterId: t.cluster.id, name: "azure-aks-backup", extensionType: "microsoft.dataprotection.kubernetes", releaseNamespace: "dataprotection-microsoft", version: "0.0.2040-427", identity: backup });
    for (const path of ["resource-graph", "arm"] as const) {
      const r = await scan(t.tenant, { path, pageSize: 1 });
      expect(r.inventory.errors, path).toEqual([]);
      expect((r.inventory.clusters[0]!.extensions ?? []).map((e) => `${e.name} ${e.extensionType}`).sort(), path).toEqual(["azure-aks-backup microsoft.dataprotection.kubernetes", "flux microsoft.flux"]);
      const addons = r.inventory.identities.flatMap((i) => i.uses.filter((u) => u.kind === IdentityKind.Addon).map((u) => `${i.displayName} ${u.addon}`)).sort();
      expect(addons, path).toEqual(["azure-aks-backup-aks-alpha microsoft.dataprotection.kubernetes", "flux-aks-alpha microsoft.flux"]);
    }
  }, 60_000);
});

describe.each([
  ["the demo tenant", async () => loadTenantFile("fixtures/tenants/demo.json")],
  ["an adversarial small tenant", async () => generateTenant({ shape: TenantShape.Adversarial, subscriptions: 4, assignments: 240, clusters: 2, pods: 60, identities: 24, seed: 5 }).tenant],
])("%s read three ways", (_name, load) => {
  let base: Read;
  let tenant: TenantFile;

  it("ARM pages of 1,000: the baseline reads without errors and finds something", async () => {
    tenant = await load();
    base = await scan(tenant, { path: "arm", pageSize: 1000 });
    expect(base.inventory.errors).toEqual([]);
    expect(base.findings.length).toBeGreaterThan(0);
  }, 120_000);

  it("through Resource Graph: the same assignments and the same findings, ids included", async () => {
    const graph = await scan(tenant, { path: "resource-graph", pageSize: 1000 });
    expect(graph.inventory.errors).toEqual([]);
    expect(assignmentIds(graph)).toEqual(assignmentIds(base));
    expect(findingIds(graph)).toEqual(findingIds(base));
  }, 120_000);

  it("with real-Azure id casing and pages of 2: the same assignments and the same findings, ids included", async () => {
    const recased = withRealAzureCasing(tenant);
    // The rewrite really happened: role assignment ids now carry upper-case subscription GUIDs.
    expect(recased.roleAssignments.some((a) => /\/subscriptions\/[0-9A-F-]*[A-F][0-9A-F-]*\//.test(a.id))).toBe(true);
    const small = await scan(recased, { path: "arm", pageSize: 2 });
    expect(small.inventory.errors).toEqual([]);
    expect(assignmentIds(small)).toEqual(assignmentIds(base));
    expect(findingIds(small)).toEqual(findingIds(base));
  }, 300_000);
});
