import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { buildTestTenant, ids, T } from "@/emulator/testdata/tenant";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { collectTenant, ScanCancelledError, type ScanProgressEvent } from "./scan";

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ tenant: buildTestTenant(), pageSize: 2 });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.setLatency(0);
  emulator.resetCounts();
});

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("scan progress", () => {
  it("reports each phase, every subscription, every cluster with its kinds, Graph batches and errors as they happen", async () => {
    emulator.injectFault({ family: "k8s:", status: 500, times: 100, cluster: "aks2" });
    const events: ScanProgressEvent[] = [];
    const raw = await collectTenant({ ...scanConfigForEmulator(emulator), kubernetesPageSize: 2, retry: { maxRetries: 0 }, onProgress: (e) => events.push(e) });
    const phases = events.filter((e) => e.kind === "phase").map((e) => e.phase);
    expect(phases).toEqual(["listing", "subscriptions", "clusters"]);
    expect(events.find((e) => e.kind === "subscriptions")).toEqual({ kind: "subscriptions", total: 2 });
    const subs = events.filter((e) => e.kind === "subscription-read");
    expect(subs.map((e) => e.subscriptionId).sort()).toEqual([T.sub1, T.sub2]);
    expect(events.find((e) => e.kind === "clusters")).toEqual({ kind: "clusters", total: 2 });
    const clusters = events.filter((e) => e.kind === "cluster-read");
    expect(clusters).toHaveLength(2);
    expect(clusters.find((e) => e.clusterId.toLowerCase() === ids.aks2.toLowerCase())).toMatchObject({ failed: true });
    expect(clusters.find((e) => e.clusterId.toLowerCase() === ids.aks1.toLowerCase())).toMatchObject({ failed: false });
    const kinds = events.filter((e) => e.kind === "cluster-kind" && e.clusterId.toLowerCase() === ids.aks1.toLowerCase());
    expect(kinds.map((e) => (e as { plural: string }).plural)).toEqual(expect.arrayContaining(["namespaces", "serviceaccounts", "pods"]));
    expect(events.filter((e) => e.kind === "graph-batch")).toEqual([{ kind: "graph-batch", batch: 1, batches: 1 }]);
    // Every error the scan ends with was reported while it ran.
    const reported = events.filter((e) => e.kind === "error").map((e) => (e as { error: unknown }).error);
    expect(raw.errors.length).toBeGreaterThan(0);
    expect(reported).toHaveLength(raw.errors.length);
    expect(reported).toEqual(expect.arrayContaining(raw.errors));
    // The reporting list serialises as a plain array.
    expect(JSON.parse(JSON.stringify(raw.errors))).toEqual([...raw.errors]);
  });

  it("counts Resource Graph pages against the total the first page announces, and federated credential lists", async () => {
    const events: ScanProgressEvent[] = [];
    await collectTenant({ ...scanConfigForEmulator(emulator), resourceGraph: "always", onProgress: (e) => events.push(e) });
    const pages = events.filter((e): e is Extract<ScanProgressEvent, { kind: "resource-graph-page" }> => e.kind === "resource-graph-page");
    expect(new Set(pages.map((p) => p.query))).toEqual(new Set(["resources", "resourceGroups", "roleAssignments", "roleDefinitions", "clusterExtensions"]));
    const assignments = pages.filter((p) => p.query === "roleAssignments");
    // ARG pages are 1,000 rows: the test tenant's assignments fit one page, and the first says so.
    expect(assignments[0]).toMatchObject({ page: 1, pages: 1 });
    const fics = events.filter((e) => e.kind === "federated-credentials");
    expect(fics.at(-1)).toMatchObject({ done: expect.any(Number), total: expect.any(Number) });
    const last = fics.at(-1) as { done: number; total: number };
    expect(last.done).toBe(last.total);
    expect(events.filter((e) => e.kind === "phase").map((e) => e.phase)).toEqual(["listing", "resource-graph", "clusters"]);
  });
});

describe("cancelling a scan", () => {
  it("sends no request after the signal is aborted and rejects with ScanCancelledError", async () => {
    emulator.setLatency(40);
    const controller = new AbortController();
    const run = collectTenant({
      ...scanConfigForEmulator(emulator),
      kubernetesPageSize: 2,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === "subscription-read") controller.abort(new ScanCancelledError("cancelled by the test"));
      },
    });
    await expect(run).rejects.toThrow("cancelled by the test");
    // Requests already on the wire are counted when the emulator answers them (after its latency).
    await sleep(300);
    const atCancel = emulator.counts();
    await sleep(1500);
    expect(emulator.counts()).toEqual(atCancel);
    // Far fewer than a whole scan, and nothing reached the clusters or Graph.
    expect(Object.keys(atCancel).filter((k) => k.startsWith("k8s:") || k.startsWith("graph:"))).toEqual([]);
    emulator.setLatency(0);
    emulator.resetCounts();
    await collectTenant({ ...scanConfigForEmulator(emulator), kubernetesPageSize: 2 });
    expect(total(atCancel)).toBeLessThan(total(emulator.counts()));
  });

  it("ends at once when cancelled while a cluster's API server hangs", async () => {
    emulator.injectFault({ family: "k8s:", hang: true, times: 100 });
    const controller = new AbortController();
    let abortedAt = 0;
    const run = collectTenant({
      ...scanConfigForEmulator(emulator),
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind !== "clusters") return;
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort(new ScanCancelledError());
        }, 300);
      },
    });
    await expect(run).rejects.toBeInstanceOf(ScanCancelledError);
    // The cluster deadline is 3 minutes; cancellation does not wait for it.
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(2000);
  });
});
