import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { normalizeId } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { generateTenant } from "@/lib/tenant/generate";
import type { TenantFile } from "@/lib/tenant/types";
import { buildInventory } from "./build";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { collectTenant, type ScanStats } from "./scan";

/** Fast retries: the emulator's Retry-After is 0-1 s and 5xx bursts are short. */
const retry = { maxRetries: 8, retryDelayInMs: 20, maxRetryDelayInMs: 200 };

/** Sorted by id, scannedAt dropped: the two read paths may list in different orders. */
function canonical(inv: Inventory): unknown {
  const sortById = <T>(xs: T[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  const key = (x: unknown) => normalizeId(String((x as { id?: unknown; key?: unknown }).id ?? (x as { key?: unknown }).key ?? JSON.stringify(x)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inv)) {
    if (k === "scannedAt") continue;
    if (Array.isArray(v)) out[k] = sortById(v);
    else if (k === "kubernetes" && v && typeof v === "object") out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown[]>).map(([kk, vv]) => [kk, Array.isArray(vv) ? sortById(vv) : vv]));
    else out[k] = v;
  }
  return out;
}

/** ARM's generic list carries no `properties`: the ARM path has them only for the types it GETs in full. */
function withoutListOnlyProperties(inv: Inventory): Inventory {
  const full = /^(microsoft\.containerservice\/managedclusters|microsoft\.managedidentity\/userassignedidentities|microsoft\.network\/virtualnetworks|microsoft\.network\/applicationgateways)$/i;
  return { ...inv, resources: inv.resources.map((r) => (full.test(r.type) ? r : { ...r, properties: {} })) };
}

describe("Resource Graph and per-subscription ARM paths on a generated tenant", () => {
  let tenant: TenantFile;
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    tenant = generateTenant({ subscriptions: 6, assignments: 2500, clusters: 3, pods: 300, seed: 11 }).tenant;
    emulator = await startEmulator({ tenant, pageSize: 100 });
  }, 60_000);
  afterAll(async () => {
    await emulator?.close();
  });

  async function scan(overrides: Parameters<typeof scanConfigForEmulator>[1]) {
    const stats = {} as ScanStats;
    emulator.resetCounts();
    const raw = await collectTenant(scanConfigForEmulator(emulator, { retry, ...overrides, stats }));
    return { raw, stats, counts: emulator.counts(), inventory: buildInventory(raw, { scannedAt: "2025-01-01T00:00:00Z" }) };
  }

  it("gives the same inventory both ways, with far fewer ARM calls through Resource Graph", async () => {
    const graph = await scan({ resourceGraph: "auto" });
    const arm = await scan({ resourceGraph: "never" });
    expect(graph.stats.path).toBe("resource-graph");
    expect(arm.stats.path).toBe("arm");
    expect(graph.raw.errors).toEqual([]);
    expect(arm.raw.errors).toEqual([]);
    expect(graph.inventory.roleAssignments).toHaveLength(tenant.roleAssignments.length);
    expect(canonical(withoutListOnlyProperties(graph.inventory))).toEqual(canonical(withoutListOnlyProperties(arm.inventory)));
    // Resource Graph brings every resource's properties, which ARM's generic list omits.
    const storage = graph.inventory.resources.find((r) => /storageaccounts/i.test(r.type));
    expect(storage?.properties).toMatchObject({ minimumTlsVersion: "TLS1_2" });
    // 2,500 assignments + ~900 built-in roles at 1,000 a page: a handful of ARG pages
    // instead of six subscriptions × every list at 100 a page.
    const argPages = graph.counts["arm:resourceGraph"] ?? 0;
    expect(argPages).toBeGreaterThanOrEqual(Math.ceil(tenant.roleAssignments.length / 1000));
    expect(argPages).toBeLessThanOrEqual(12);
    expect(graph.counts["arm:roleAssignments"] ?? 0).toBe(0);
    expect(graph.stats.requests).toBeLessThan(arm.stats.requests / 2);
  }, 120_000);

  it("stays on ARM at or below the subscription threshold", async () => {
    const { stats, counts } = await scan({ resourceGraphThreshold: 6 });
    expect(stats.path).toBe("arm");
    expect(counts["arm:resourceGraph"] ?? 0).toBe(0);
  }, 120_000);

  it("falls back to per-subscription reads when Resource Graph keeps failing, and the inventory is still complete", async () => {
    emulator.injectFault({ family: "arm:resourceGraph", times: 1000, status: 503, retryAfterSeconds: 0 });
    try {
      const { raw, stats } = await scan({ resourceGraph: "always", retry: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 } });
      expect(stats.path).toBe("arm");
      expect(stats.resourceGraphFallback).toMatch(/503/);
      expect(raw.errors).toEqual([]);
      expect(raw.roleAssignments).toHaveLength(tenant.roleAssignments.length);
    } finally {
      emulator.injectFault({ family: "arm:resourceGraph", times: 1, status: 500 });
      emulator.resetCounts();
      // Drain what is left of the injected faults so later tests start clean.
      await scan({ resourceGraph: "always", retry: { maxRetries: 0 } }).catch(() => undefined);
    }
  }, 120_000);
});

describe("throttling, faults and deadlines", () => {
  let tenant: TenantFile;
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    tenant = generateTenant({ subscriptions: 5, assignments: 1200, clusters: 3, pods: 120, seed: 5 }).tenant;
    emulator = await startEmulator({ tenant, pageSize: 200 });
  }, 60_000);
  afterAll(async () => {
    await emulator?.close();
  });

  const complete = (raw: Awaited<ReturnType<typeof collectTenant>>) => {
    expect(raw.errors).toEqual([]);
    expect(raw.roleAssignments).toHaveLength(tenant.roleAssignments.length);
    expect(raw.kubernetesRead).toHaveLength(3);
  };

  it("a 429 storm on every ARM family still ends in a complete inventory, retries counted", async () => {
    // Each family's next requests are refused 7 times in a row: every first request of the
    // scan is throttled until its 8th attempt.
    const families = ["arm:subscriptions", "arm:resourceGraph", "arm:managementGroups", "arm:federatedIdentityCredentials", "graph:getByIds"];
    for (const family of families) emulator.injectFault({ family, times: 7, status: 429, retryAfterSeconds: 0 });
    const stats = {} as ScanStats;
    const raw = await collectTenant(scanConfigForEmulator(emulator, { retry, stats }));
    complete(raw);
    expect(stats.throttled).toBe(7 * families.length);
    expect(stats.retries).toBe(stats.throttled);
    expect(stats.attempts).toBe(stats.requests + stats.retries);
  }, 120_000);

  it("a 5xx burst still ends in a complete inventory", async () => {
    emulator.injectFault({ family: "arm:resourceGraph", times: 3, status: 500 });
    emulator.injectFault({ family: "arm:subscriptions", times: 4, status: 503, retryAfterSeconds: 0 });
    emulator.injectFault({ family: "arm:managementGroups", times: 5, status: 500 });
    const stats = {} as ScanStats;
    const raw = await collectTenant(scanConfigForEmulator(emulator, { retry, stats }));
    complete(raw);
    expect(stats.path).toBe("resource-graph");
    expect(stats.failedAttempts).toBe(12);
    expect(stats.retries).toBe(12);
  }, 120_000);

  it("the emulator's token bucket refuses with 429 + Retry-After and the scan slows down instead of failing", async () => {
    emulator.setThrottle({ capacity: 20, refillPerSecond: 200 });
    try {
      const stats = {} as ScanStats;
      const raw = await collectTenant(scanConfigForEmulator(emulator, { retry, stats, resourceGraph: "never" }));
      complete(raw);
      expect(emulator.counts()["arm:throttled"] ?? 0).toBe(stats.throttled);
      expect(stats.throttled + stats.pacedMs).toBeGreaterThan(0);
    } finally {
      emulator.setThrottle(null);
    }
  }, 120_000);

  it("a cluster that never answers ends as an error within its deadline while the rest completes", async () => {
    const clusters = tenant.resources.filter((r) => r.type === "Microsoft.ContainerService/managedClusters");
    const hung = clusters[1]!.id;
    emulator.hangCluster(hung);
    const stats = {} as ScanStats;
    const started = Date.now();
    const raw = await collectTenant(scanConfigForEmulator(emulator, { retry, stats, deadlines: { clusterMs: 1500 } }));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(15_000);
    expect(stats.clusterDeadlinesHit).toBe(1);
    expect(raw.errors).toEqual([expect.objectContaining({ source: "kubernetes:cluster", cluster: hung, code: "DeadlineExceeded" })]);
    expect(raw.kubernetesRead.map(normalizeId).sort()).toEqual(clusters.filter((c) => c.id !== hung).map((c) => normalizeId(c.id)).sort());
    expect(raw.roleAssignments).toHaveLength(tenant.roleAssignments.length);
  }, 60_000);
});
