import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { buildDemo } from "@/fixtures/tenants/demo-scenario";
import { buildInventory } from "@/lib/inventory/build";
import { evaluateRules } from "@/lib/rules/evaluate";
import { ScanJobs } from "@/lib/store/jobs";
import { migrate } from "@/lib/store/migrations";
import { getScan, readSnapshot } from "@/lib/store/scans";
import type { SqlDatabase } from "@/lib/store/sql";
import { testDatabases } from "@/lib/store/sql.testing";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { scanConfigForEmulator } from "./connection";
import { cancelScanJob, startScanJob, waitForJob, type RecordedScan } from "./jobs";
import type { ScanProgress } from "./progress";
import { decodeSnapshot } from "./snapshot";

const demo = buildDemo().tenant;
const expectedFindings = evaluateRules(buildInventory(rawFromTenant(demo)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ tenant: demo });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.setLatency(0);
});

for (const target of testDatabases()) {
  describe(`scan jobs against the emulator on ${target.name}`, () => {
    let store: SqlDatabase;
    let n = 0;
    beforeAll(async () => {
      store = await target.open();
      await migrate(store);
    });
    afterAll(() => target.dispose());

    const start = (scopeKey: string, recorded: RecordedScan[] = []) =>
      startScanJob({
        store,
        scope: { key: scopeKey, viewer: "server", tenantId: demo.tenantId },
        source: "the demo emulator",
        target: async () => ({ config: scanConfigForEmulator(emulator, { retry: { maxRetries: 1, retryDelayInMs: 10 } }), source: "the demo emulator" }),
        trigger: "request",
        heartbeatMs: 100,
        onRecorded: (s) => recorded.push(s),
      });
    const scope = () => `${target.name}-scope-${++n}`;

    it("returns at once with a running job that records its progress, then a complete scan with its findings, coverage and snapshot", async () => {
      emulator.setLatency(20);
      const recorded: RecordedScan[] = [];
      const before = Date.now();
      const { job, joined } = await start(scope(), recorded);
      expect(joined).toBe(false);
      expect(job.state).toBe("running");
      expect(Date.now() - before).toBeLessThan(2000);
      const ended = await waitForJob(store, job.id, 120_000);
      expect(ended).toMatchObject({ state: "succeeded", interrupted: false, errors: [] });
      const progress = ended.progress as ScanProgress;
      expect(progress).toMatchObject({ phase: "done", subscriptions: { done: 3, total: 3, failed: 0 }, clusters: { done: 3, total: 3, failed: 0 }, etaMs: 0 });
      expect(progress.clusters.kinds).toBeGreaterThanOrEqual(3 * 6);
      const scan = (await getScan(store, ended.scanId!))!;
      expect(scan).toMatchObject({ state: "succeeded", jobId: job.id, counts: { total: expectedFindings.length } });
      expect(scan.coverage!.sources.every((s) => s.state === "read")).toBe(true);
      expect(scan.coverage!.sources.filter((s) => s.kind === "cluster")).toHaveLength(3);
      const rebuilt = await decodeSnapshot((await readSnapshot(store, scan.id))!);
      expect(rebuilt.scannedAt).toBe(scan.scannedAt);
      expect(evaluateRules(rebuilt).map((f) => f.id).sort()).toEqual(expectedFindings.map((f) => f.id).sort());
      expect(recorded.map((r) => r.scanId)).toEqual([scan.id]);
    });

    it("joins the running job when the same scope is scanned again, and runs other scopes apart", async () => {
      emulator.setLatency(20);
      const key = scope();
      const first = await start(key);
      const second = await start(key);
      const other = await start(scope());
      expect(second).toMatchObject({ joined: true, job: { id: first.job.id } });
      expect(other.job.id).not.toBe(first.job.id);
      await Promise.all([waitForJob(store, first.job.id, 120_000), waitForJob(store, other.job.id, 120_000)]);
    });

    it("cancels at once here: the job ends cancelled, its attempt is in the history, and no request is sent after", async () => {
      emulator.setLatency(60);
      const { job } = await start(scope());
      await sleep(400);
      await cancelScanJob(store, job.id, "alice");
      const ended = await waitForJob(store, job.id, 30_000);
      expect(ended).toMatchObject({ state: "cancelled", error: "cancelled by alice" });
      await sleep(300);
      const atEnd = emulator.counts();
      await sleep(1000);
      expect(emulator.counts()).toEqual(atEnd);
      expect(await getScan(store, ended.scanId!)).toMatchObject({ state: "cancelled", failure: "cancelled by alice", counts: { total: 0 } });
    });

    it("cancels from another replica through the store, at the runner's next heartbeat", async () => {
      emulator.setLatency(60);
      const { job } = await start(scope());
      const replica = new ScanJobs(target.name === "postgres" ? await target.open() : store, { owner: "replica-2:1:x" });
      await sleep(300);
      await replica.requestCancel(job.id);
      const ended = await waitForJob(store, job.id, 30_000);
      expect(ended).toMatchObject({ state: "cancelled", error: "cancelled by request" });
    });

    it("fails, and says why, when it cannot get a token; the failed attempt is in the history", async () => {
      emulator.injectFault({ family: "entra:token", status: 500, times: 1000 });
      const { job } = await start(scope());
      const ended = await waitForJob(store, job.id, 60_000);
      expect(ended.state).toBe("failed");
      expect(ended.error).toMatch(/authenticate|token/i);
      expect(await getScan(store, ended.scanId!)).toMatchObject({ state: "failed", counts: { total: 0 } });
      expect(await readSnapshot(store, ended.scanId!)).toBeUndefined();
    });
  });
}
