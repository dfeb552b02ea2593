import os from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { INTERRUPTED_MESSAGE, isJobAbandoned, JOB_ABANDONED_AFTER_MS, ScanJobs, type NewScanJob } from "./jobs";
import { migrate } from "./migrations";
import { listScans } from "./scans";
import type { SqlDatabase } from "./sql";
import { testDatabases } from "./sql.testing";

const job = (scopeKey: string, extra: Partial<NewScanJob> = {}): NewScanJob => ({ scopeKey, tenantId: "t1", viewer: "server", source: "the demo emulator", trigger: "request", progress: { phase: "queued" }, ...extra });

/** A pid that is not running on this host. */
function deadPid(): number {
  for (let pid = 999_999; pid > 900_000; pid--) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") return pid;
    }
  }
  throw new Error("no free pid found");
}

for (const target of testDatabases()) {
  describe(`scan jobs on ${target.name}`, () => {
    afterAll(() => target.dispose());
    async function fresh(): Promise<SqlDatabase> {
      const db = await target.open();
      await migrate(db);
      await db.run("DELETE FROM scan_jobs");
      await db.run("DELETE FROM scan_findings");
      await db.run("DELETE FROM scans");
      return db;
    }

    it("starts one job per scope; a second start joins it, from this process or another replica", async () => {
      const db = await fresh();
      const other = target.name === "postgres" ? await target.open() : db;
      const here = new ScanJobs(db, { owner: `${os.hostname()}:${process.pid}:a` });
      const replica = new ScanJobs(other, { owner: "replica-2:1:b" });
      const results = await Promise.all([here.startOrJoin(job("s1")), replica.startOrJoin(job("s1")), here.startOrJoin(job("s1")), replica.startOrJoin(job("s1"))]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
      const [first] = results;
      expect(first!.job).toMatchObject({ scopeKey: "s1", state: "running", viewer: "server", source: "the demo emulator", trigger: "request", interrupted: false, progress: { phase: "queued" } });
      const otherScope = await here.startOrJoin(job("s2"));
      expect(otherScope.created).toBe(true);
      expect(otherScope.job.id).not.toBe(first!.job.id);
    });

    it("records progress as the heartbeat and tells the runner when someone, anywhere, asked to cancel", async () => {
      const db = await fresh();
      const jobs = new ScanJobs(db);
      const { job: started } = await jobs.startOrJoin(job("s1"));
      expect(await jobs.heartbeat(started.id, { phase: "clusters", clusters: { done: 1, total: 3 } }, [{ source: "k8s:pods", message: "boom" }])).toEqual({ cancelRequested: false });
      expect((await jobs.get(started.id))!).toMatchObject({ progress: { phase: "clusters" }, errors: [{ source: "k8s:pods", message: "boom" }] });
      const elsewhere = new ScanJobs(db, { owner: "replica-2:1:b" });
      expect((await elsewhere.requestCancel(started.id))!.cancelRequestedAt).toBeTypeOf("string");
      expect(await jobs.heartbeat(started.id, { phase: "clusters" }, [])).toEqual({ cancelRequested: true });
    });

    it("ends a job once: a late finish or heartbeat does not change a job that already ended", async () => {
      const db = await fresh();
      const jobs = new ScanJobs(db);
      const { job: started } = await jobs.startOrJoin(job("s1"));
      await jobs.finish(started.id, { state: "cancelled", progress: { phase: "cancelled" }, errors: [], error: "cancelled by alice" });
      await jobs.finish(started.id, { state: "succeeded", progress: { phase: "done" }, errors: [] });
      await jobs.heartbeat(started.id, { phase: "late" }, []);
      expect(await jobs.get(started.id)).toMatchObject({ state: "cancelled", error: "cancelled by alice", progress: { phase: "cancelled" } });
      expect((await jobs.get(started.id))!.finishedAt).toBeTypeOf("string");
      // The scope is free again.
      expect((await jobs.startOrJoin(job("s1"))).created).toBe(true);
    });

    it("ends a job whose process died as failed and interrupted, records the attempt in the history, and lets a new one start", async () => {
      const db = await fresh();
      const dead = new ScanJobs(db, { owner: `${os.hostname()}:${deadPid()}:x` });
      const { job: orphan } = await dead.startOrJoin(job("s1"));
      const live = new ScanJobs(db);
      const { job: fresh2, created } = await live.startOrJoin(job("s1"));
      expect(created).toBe(true);
      expect(fresh2.id).not.toBe(orphan.id);
      const ended = (await live.get(orphan.id))!;
      expect(ended).toMatchObject({ state: "failed", interrupted: true, error: INTERRUPTED_MESSAGE });
      expect(ended.scanId).toBeTypeOf("number");
      const [scan] = await listScans(db, 10, { scopeKey: "s1" });
      expect(scan).toMatchObject({ id: ended.scanId, state: "failed", failure: INTERRUPTED_MESSAGE, jobId: orphan.id, source: "the demo emulator", counts: { total: 0 } });
    });

    it("interrupts on start-up only the jobs whose owner is gone: a dead local pid, or a replica silent for a minute", async () => {
      const db = await fresh();
      const now = Date.now();
      const deadLocal = await new ScanJobs(db, { owner: `${os.hostname()}:${deadPid()}:x` }).startOrJoin(job("a"));
      const silent = await new ScanJobs(db, { owner: "replica-9:1:y", now: () => new Date(now - JOB_ABANDONED_AFTER_MS - 5_000).toISOString() }).startOrJoin(job("b"));
      const busy = await new ScanJobs(db, { owner: "replica-8:1:z" }).startOrJoin(job("c"));
      const mine = await new ScanJobs(db).startOrJoin(job("d"));
      const gone = await new ScanJobs(db).interruptAbandoned();
      expect(gone.map((j) => j.id).sort()).toEqual([deadLocal.job.id, silent.job.id].sort());
      const jobs = new ScanJobs(db);
      expect((await jobs.get(busy.job.id))!.state).toBe("running");
      expect((await jobs.get(mine.job.id))!.state).toBe("running");
      expect((await jobs.list({ limit: 10 })).filter((j) => j.interrupted)).toHaveLength(2);
    });
  });
}

describe("isJobAbandoned", () => {
  it("judges this host's jobs by their pid and other hosts' by their heartbeat", () => {
    const now = Date.parse("2025-01-01T00:10:00Z");
    expect(isJobAbandoned({ owner: `${os.hostname()}:${process.pid}:x`, createdAt: "2020-01-01T00:00:00Z" }, now)).toBe(false);
    expect(isJobAbandoned({ owner: "elsewhere:1:x", heartbeatAt: "2025-01-01T00:09:30Z", createdAt: "2025-01-01T00:00:00Z" }, now)).toBe(false);
    expect(isJobAbandoned({ owner: "elsewhere:1:x", heartbeatAt: "2025-01-01T00:08:00Z", createdAt: "2025-01-01T00:00:00Z" }, now)).toBe(true);
    expect(isJobAbandoned({ createdAt: "2025-01-01T00:09:59Z" }, now)).toBe(true);
  });
});
