import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { ids } from "@/emulator/testdata/tenant";
import { buildDemo } from "@/fixtures/tenants/demo-scenario";
import { scanTenant } from "@/lib/inventory/scan";
import { evaluateRules } from "@/lib/rules/evaluate";
import { buildMigrationTenant } from "@/lib/remediation/apply/testdata/migration-tenant";
import { reconcile } from "@/lib/remediation/apply/apply";
import { AuditLog, ChangeStatus } from "@/lib/store/audit";
import { openStore, type Store } from "@/lib/store/db";
import { INTERRUPTED_MESSAGE, ScanJobs } from "@/lib/store/jobs";
import { latestScans } from "@/lib/store/scans";
import { SessionRepository } from "@/lib/store/sessions";
import { testDatabases } from "@/lib/store/sql.testing";
import { scanConfigForEmulator } from "./connection";
import { startScanJob, waitForJob } from "./jobs";
import type { ScanProgress } from "./progress";

/**
 * kill -9 of the process running a scan, and of one applying a fix, on each store: what the
 * store still holds afterwards, counted, and what a restarted process makes of it (the scan job
 * shows as interrupted and a new one can start; the change shows as needing reconciliation).
 */

const root = path.resolve(__dirname, "../..");
const demo = buildDemo().tenant;
let scanEmulator: EmulatorHandle;
let applyEmulator: EmulatorHandle;
beforeAll(async () => {
  [scanEmulator, applyEmulator] = await Promise.all([startEmulator({ tenant: demo }), startEmulator({ tenant: buildMigrationTenant(), pageSize: 500 })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([scanEmulator?.close(), applyEmulator?.close()]);
});

function spawnChild(script: string, inputFile: string): { child: ChildProcess; output: () => string; exited: Promise<NodeJS.Signals | null> } {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script, inputFile], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  return { child, output: () => output, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = async (store: Store, sql: string) => Number((await store.get<{ n: number }>(sql))!.n);

for (const target of testDatabases()) {
  describe(`kill -9 on ${target.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      await target.open();
      store = await openStore(target.storeConfig());
    });
    afterAll(async () => {
      await store?.close();
      await target.dispose();
    });

    it("mid-scan: the signed-in session, the complete scan and the history survive; the job shows as interrupted on restart and a new scan can start", async () => {
      const scopeKey = `kill|${target.name}`;
      const scope = { key: scopeKey, viewer: "server", tenantId: demo.tenantId };
      const first = await startScanJob({ store, scope, source: "demo", target: async () => ({ config: scanConfigForEmulator(scanEmulator), source: "demo" }), trigger: "request" });
      expect((await waitForJob(store, first.job.id, 120_000)).state).toBe("succeeded");

      scanEmulator.setLatency(150);
      const dir = mkdtempSync(path.join(tmpdir(), "scopewise-kill-"));
      const input = path.join(dir, "worker.json");
      const session = { id: `kill-session-${target.name}-${Date.now()}`, secret: "kill-test-session-secret-0123456789abcdef" };
      const e = scanEmulator;
      writeFileSync(input, JSON.stringify({ emulator: { url: e.url, caPem: e.caPem, tenantId: e.tenantId, clients: e.clients }, store: target.storeConfig(), scopeKey, tenantId: demo.tenantId, session }));
      const worker = spawnChild(path.join(__dirname, "testdata/scan-worker.ts"), input);
      const jobId = await until("the worker's job id", async () => /job ([0-9a-f-]{36})/.exec(worker.output())?.[1]);
      const jobs = new ScanJobs(store);
      await until("the scan to be reading subscriptions or clusters", async () => {
        const phase = ((await jobs.get(jobId))?.progress as ScanProgress | undefined)?.phase;
        return phase === "subscriptions" || phase === "clusters" ? phase : undefined;
      });
      worker.child.kill("SIGKILL");
      expect(await worker.exited).toBe("SIGKILL");
      scanEmulator.setLatency(0);

      const left = {
        scans: await count(store, `SELECT count(*) AS n FROM scans WHERE scope_key = '${scopeKey}'`),
        findings: await count(store, `SELECT count(*) AS n FROM scan_findings f JOIN scans s ON s.id = f.scan_id WHERE s.scope_key = '${scopeKey}'`),
        runningJobs: await count(store, `SELECT count(*) AS n FROM scan_jobs WHERE scope_key = '${scopeKey}' AND state = 'running'`),
        sessions: (await new SessionRepository(store, session.secret).getSession(session.id)) ? 1 : 0,
      };
      expect(left).toEqual({ scans: 1, findings: evaluateRules(await scanTenant(scanConfigForEmulator(scanEmulator))).length, runningJobs: 1, sessions: 1 });

      // Restart: a new process (another owner) ends the dead worker's job as interrupted.
      const restarted = new ScanJobs(store, { owner: "restarted:1:x" });
      const interrupted = await restarted.interruptAbandoned();
      expect(interrupted.map((j) => j.id)).toContain(jobId);
      const ended = (await restarted.get(jobId))!;
      expect(ended).toMatchObject({ state: "failed", interrupted: true, error: INTERRUPTED_MESSAGE });
      const after = await latestScans(store, scopeKey);
      expect(after.complete?.jobId).toBe(first.job.id);
      expect(after.latest).toMatchObject({ state: "failed", failure: INTERRUPTED_MESSAGE, jobId });
      const resumed = await startScanJob({ store, scope, source: "demo", target: async () => ({ config: scanConfigForEmulator(scanEmulator), source: "demo" }), trigger: "request" });
      expect(resumed.joined).toBe(false);
      expect((await waitForJob(store, resumed.job.id, 120_000)).state).toBe("succeeded");
      console.info(`kill -9 mid-scan on ${target.name}: survived ${left.sessions} signed-in session and ${left.scans} complete scan with ${left.findings} findings; 1 job left running, shown as interrupted after restart (recorded as a failed scan); a new scan completed`);
    }, 240_000);

    it("mid-apply: the change and its steps survive; on restart the change needs reconciliation, nothing is lost", async () => {
      const config = scanConfigForEmulator(applyEmulator);
      const inventory = await scanTenant(config);
      const finding = evaluateRules(inventory).find((f) => f.ruleId === "pod-identity-deprecated" && f.clusterId === ids.aks1)!;
      const dir = mkdtempSync(path.join(tmpdir(), "scopewise-kill-apply-"));
      const input = path.join(dir, "crash.json");
      const e = applyEmulator;
      const storeConfig = target.storeConfig();
      writeFileSync(
        input,
        JSON.stringify({ emulator: { url: e.url, caPem: e.caPem, tenantId: e.tenantId, clients: e.clients }, ...storeConfig, inventory, finding, planId: "migrate-to-workload-identity", killAfter: 2 }),
      );
      const child = spawnChild(path.join(root, "lib/remediation/apply/testdata/crash-child.ts"), input);
      expect(await child.exited, child.output()).toBe("SIGKILL");

      const left = {
        pending: await count(store, "SELECT count(*) AS n FROM changes WHERE status = 'pending'"),
        steps: await count(store, "SELECT count(*) AS n FROM change_steps s JOIN changes c ON c.id = s.change_id WHERE c.status = 'pending'"),
        stepsDone: await count(store, "SELECT count(*) AS n FROM change_steps s JOIN changes c ON c.id = s.change_id WHERE c.status = 'pending' AND s.status = 'done'"),
      };
      expect(left).toEqual({ pending: 1, steps: 5, stepsDone: 2 });
      const unfinished = await reconcile(new AuditLog(store, { owner: "restarted:1:x" }));
      expect(unfinished).toHaveLength(1);
      expect(unfinished[0]).toMatchObject({ done: [1, 2], notStarted: [3, 4, 5], change: { status: ChangeStatus.NeedsReconcile } });
      console.info(`kill -9 mid-apply on ${target.name}: survived 1 change with ${left.steps} steps (${left.stepsDone} done); after restart it needs reconciliation (finish or undo)`);
    }, 240_000);
  });
}
