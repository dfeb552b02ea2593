import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle, type FaultRule } from "@/emulator/server";
import { buildDemo } from "@/fixtures/tenants/demo-scenario";
import type { ScanConfig, ScanProgressEvent } from "@/lib/inventory/scan";
import type { FindingsView } from "./history";

/**
 * What the dashboard's API shows when a source fails during a rescan, one case per failure the
 * emulator can inject: the last complete scan stays the view (stale, with each failed source
 * and why), and the rescan, opened explicitly, calls nothing resolved or new (the tenant did not
 * change, so any "resolved" or "new" would be wrong) and lists what it could not check as unknown.
 */

const demo = buildDemo().tenant;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-faults-"));
let emulator: EmulatorHandle;
let lib: Awaited<ReturnType<typeof load>>;
let complete: FindingsView;

async function load() {
  const [jobs, serverJobs, scope, connection, env, loaded, findingsRoute, scansRoute] = await Promise.all([
    import("./jobs"),
    import("./server-jobs"),
    import("./scope"),
    import("./connection"),
    import("@/lib/env"),
    import("./loaded-scans"),
    import("@/app/api/findings/route"),
    import("@/app/api/scans/route"),
  ]);
  return { jobs, serverJobs, scope, connection, env, loaded, findingsRoute, scansRoute };
}

beforeAll(async () => {
  emulator = await startEmulator({ tenant: demo });
  Object.assign(process.env, {
    SCOPEWISE_MODE: "demo",
    SCOPEWISE_ARM_ENDPOINT: emulator.armEndpoint,
    SCOPEWISE_GRAPH_ENDPOINT: emulator.graphEndpoint,
    SCOPEWISE_AUTHORITY_HOST: emulator.authorityHost,
    SCOPEWISE_TENANT_ID: emulator.tenantId,
    SCOPEWISE_CLIENT_ID: emulator.clients[0]!.clientId,
    SCOPEWISE_CLIENT_SECRET: emulator.clients[0]!.clientSecret,
    SCOPEWISE_CA_FILE: emulator.caFile,
    SCOPEWISE_DATA_DIR: dataDir,
  });
  lib = await load();
  const first = await rescan();
  expect(first.state).toBe("succeeded");
  complete = await findings();
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A rescan as the dashboard's POST /api/scans starts it (same store, scope and recording), with
 * fast retries so that a failing source fails in seconds rather than the SDK's minutes of backoff.
 */
async function rescan(options: { config?: Partial<ScanConfig>; onProgress?: (e: ScanProgressEvent) => void } = {}) {
  const store = await lib.serverJobs.jobsStore();
  const env = lib.env.serverEnv();
  const { job } = await lib.jobs.startScanJob({
    store,
    scope: lib.scope.scanScopeOf(env, { kind: "server" }),
    source: lib.connection.describeConnection(env),
    target: async () => ({
      config: { ...lib.connection.scanConfigForEmulator(emulator, { retry: { maxRetries: 1, retryDelayInMs: 10 } }), ...options.config, onProgress: options.onProgress },
      source: lib.connection.describeConnection(env),
    }),
    trigger: "request",
    heartbeatMs: 200,
    onRecorded: lib.loaded.rememberScan,
  });
  return lib.jobs.waitForJob(store, job.id, 180_000);
}

async function findings(query = ""): Promise<FindingsView> {
  const res = await lib.findingsRoute.GET(new Request(`http://localhost:3100/api/findings${query}`));
  expect(res.status).toBe(200);
  return (await res.json()) as FindingsView;
}

/** Runs a rescan under `faults` and checks what the dashboard's API shows; returns the views. */
async function underFault(faults: FaultRule[], expectedState: "partial" | "failed", options: Parameters<typeof rescan>[0] = {}) {
  emulator.clearFaults();
  for (const f of faults) emulator.injectFault(f);
  const job = await rescan(options);
  emulator.clearFaults();
  expect(job.state).toBe(expectedState);
  const shown = await findings();
  // The last complete scan is still what people see, marked stale by this rescan.
  expect(shown.scanId).toBe(complete.scanId);
  expect(shown.stale).toBe(true);
  expect(shown.staleSince!.latest).toMatchObject({ scanId: job.scanId, state: expectedState });
  expect(shown.findings.map((f) => f.id)).toEqual(complete.findings.map((f) => f.id));
  const history = (await (await lib.scansRoute.GET(new Request("http://localhost:3100/api/scans"))).json()) as { scans: { id: number; state: string }[] };
  expect(history.scans[0]).toMatchObject({ id: job.scanId, state: expectedState });
  if (expectedState === "failed") return { job, shown, opened: undefined };
  const opened = await findings(`?scanId=${job.scanId}`);
  expect(opened).toMatchObject({ scanId: job.scanId, state: "partial", chosen: true, comparedWith: { scanId: complete.scanId } });
  // Nothing changed in the tenant: nothing is resolved, nothing is new.
  expect(opened.resolved).toEqual([]);
  expect(opened.findings.filter((f) => f.comparison === "new")).toEqual([]);
  // Every finding of the complete scan is still listed: found again, or unknown because its source failed.
  const listed = new Map(opened.findings.map((f) => [f.id, f]));
  for (const f of complete.findings) expect(listed.get(f.id)?.comparison, f.id).toMatch(/^(unchanged|unknown)$/);
  const unknown = opened.findings.filter((f) => f.comparison === "unknown");
  expect(unknown.length).toBeGreaterThan(0);
  for (const f of unknown) expect(f.comparisonReason, f.id).toMatch(/could not read/);
  return { job, shown, opened };
}

const failedKinds = (view: FindingsView) => view.staleSince!.latest.failedSources.map((s) => `${s.kind}:${s.name}`);

describe("a rescan under each injected failure keeps the last complete view and calls nothing resolved or new", () => {
  it("starts from a complete scan whose findings are compared with nothing yet", () => {
    expect(complete.stale).toBe(false);
    expect(complete.state).toBe("succeeded");
    expect(complete.findings.length).toBeGreaterThan(30);
    expect(complete.findings.every((f) => f.comparison === "unknown" && f.comparisonReason === "no earlier scan to compare with")).toBe(true);
  });

  it("429 storm on role assignments: partial, every subscription failed as throttled", async () => {
    const { shown } = await underFault([{ family: "arm:roleAssignments", status: 429, retryAfterSeconds: 0, times: 100_000 }], "partial");
    const subs = shown.staleSince!.latest.failedSources.filter((s) => s.kind === "subscription");
    expect(subs).toHaveLength(3);
    for (const s of subs) expect(s.reason).toMatch(/HTTP 429: throttled/);
  });

  it("500s from the start: the rescan fails (nothing listed) and the banner says why", async () => {
    const { shown } = await underFault([{ family: "arm:", status: 500, times: 100_000 }], "failed");
    expect(shown.staleSince!.latest.failure).toMatch(/internal error/i);
  });

  it("connection resets on federated credential lists: partial, the subscriptions holding identities failed", async () => {
    const { shown } = await underFault([{ family: "arm:federatedIdentityCredentials", reset: true, times: 100_000 }], "partial");
    expect(failedKinds(shown).filter((k) => k.startsWith("subscription:")).length).toBeGreaterThan(0);
    expect(shown.staleSince!.latest.failedSources.map((s) => s.reason).join(" ")).toMatch(/socket hang up|ECONNRESET|reset/i);
  });

  it("a cluster API that hangs past its deadline: partial, that cluster failed at its deadline", async () => {
    const { shown, opened } = await underFault([{ family: "k8s:", hang: true, times: 100_000, cluster: "aks-payments-prod" }], "partial", { config: { deadlines: { clusterMs: 1500 } } });
    expect(failedKinds(shown)).toEqual(["cluster:aks-payments-prod"]);
    expect(shown.staleSince!.latest.failedSources[0]!.reason).toMatch(/deadline/);
    expect(opened!.findings.filter((f) => f.comparison === "unknown").every((f) => /aks-payments-prod/.test(f.comparisonReason!))).toBe(true);
  });

  it("token failure: the rescan fails as not authenticated", async () => {
    const { shown } = await underFault([{ family: "entra:token", status: 500, times: 100_000 }], "failed");
    expect(shown.staleSince!.latest.failure).toMatch(/could not authenticate/);
  });

  it("one cluster's API down (503): partial, only that cluster failed", async () => {
    const { shown } = await underFault([{ family: "k8s:", status: 503, times: 100_000, cluster: "aks-orders-prod" }], "partial");
    expect(failedKinds(shown)).toEqual(["cluster:aks-orders-prod"]);
    expect(shown.staleSince!.latest.failedSources[0]!.reason).toMatch(/HTTP 503/);
  });

  it("Graph down: partial; the orphaned assignment, which needs Graph, is unknown, not resolved", async () => {
    const { shown, opened } = await underFault([{ family: "graph:", status: 503, retryAfterSeconds: 0, times: 100_000 }], "partial");
    expect(failedKinds(shown)).toEqual(["graph:Microsoft Graph"]);
    const orphaned = opened!.findings.filter((f) => f.ruleId === "orphaned-role-assignment");
    expect(orphaned.length).toBeGreaterThan(0);
    for (const f of orphaned) expect(f).toMatchObject({ comparison: "unknown", inScan: false, comparisonReason: expect.stringContaining("Microsoft Graph") });
  });

  it("the Azure API dying mid-rescan (the reported case): fewer findings, none resolved or new, the critical ones unknown", async () => {
    let died = false;
    const { opened } = await underFault([], "partial", {
      onProgress: (e) => {
        if (e.kind !== "subscription-read" || died) return;
        died = true;
        emulator.injectFault({ family: "arm:", status: 500, times: 1_000_000 });
        emulator.injectFault({ family: "graph:", status: 500, times: 1_000_000 });
      },
    });
    const before = new Set(complete.findings.map((f) => f.id));
    const found = opened!.findings.filter((f) => f.inScan && before.has(f.id));
    const unverified = opened!.findings.filter((f) => !f.inScan);
    expect(found.length).toBeLessThan(complete.findings.length);
    expect(found.length + unverified.length).toBe(complete.findings.length);
    expect(unverified.some((f) => f.severity === "critical")).toBe(true);
    // What a dying API makes appear (an identity that looks unused because its users were not read) is unknown, not new.
    const artefacts = opened!.findings.filter((f) => f.inScan && !before.has(f.id));
    for (const f of artefacts) expect(f.comparison, f.id).toBe("unknown");
    console.info(`dying API: ${complete.findings.length} findings before; the partial rescan found ${found.length} of them and ${artefacts.length} others (all unknown), ${unverified.length} unknown because their sources failed, 0 resolved, 0 new`);
  });

  it("once the sources answer again, the next rescan becomes the view: nothing new, nothing resolved, not stale", async () => {
    emulator.clearFaults();
    const job = await rescan();
    expect(job.state).toBe("succeeded");
    const shown = await findings();
    expect(shown).toMatchObject({ scanId: job.scanId, stale: false, comparedWith: { scanId: complete.scanId }, resolved: [] });
    expect(shown.findings.every((f) => f.comparison === "unchanged")).toBe(true);
  });
});
