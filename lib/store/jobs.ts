import { randomUUID } from "node:crypto";
import { ScanState } from "@/lib/model/coverage";
import type { SourceError } from "@/lib/model/types";
import { storeError, StorePart } from "./db";
import { isOwnerGone, processOwner } from "./owner";
import { insertScan } from "./scans";
import { isUniqueViolation, type SqlDatabase, type SqlValue } from "./sql";

/** What started a job. */
export const JobTrigger = { Request: "request", Schedule: "schedule", FirstUse: "first-use", Verify: "verify" } as const;
export type JobTrigger = (typeof JobTrigger)[keyof typeof JobTrigger];

export interface ScanJobRecord {
  id: string;
  /** Tenant + viewer + subscription selection: one running job per scope. */
  scopeKey: string;
  tenantId?: string;
  viewer: string;
  /** What is scanned, for people: "the demo emulator at https://localhost:8443", "Azure as alice@contoso.com". */
  source: string;
  trigger: JobTrigger;
  requestedBy?: string;
  state: ScanState;
  /** The process running it stopped (crash, kill, restart) before it finished; it ended as failed. */
  interrupted: boolean;
  createdAt: string;
  finishedAt?: string;
  owner?: string;
  heartbeatAt?: string;
  cancelRequestedAt?: string;
  /** The runner's progress record (lib/scan/progress.ts), as it last wrote it. */
  progress: unknown;
  errors: SourceError[];
  /** Why it failed or was cancelled. */
  error?: string;
  /** The scan row it left (scan history), once finished. */
  scanId?: number;
}

export interface NewScanJob {
  scopeKey: string;
  tenantId?: string;
  viewer: string;
  source: string;
  trigger: JobTrigger;
  requestedBy?: string;
  progress: unknown;
}

interface JobRow {
  id: string;
  scope_key: string;
  tenant_id: string | null;
  viewer: string;
  source: string;
  trigger: JobTrigger;
  requested_by: string | null;
  state: ScanState;
  interrupted: number;
  created_at: string;
  finished_at: string | null;
  owner: string | null;
  heartbeat_at: string | null;
  cancel_requested_at: string | null;
  progress: string;
  errors: string;
  error: string | null;
  scan_id: number | null;
}

function toJob(r: JobRow): ScanJobRecord {
  const job: ScanJobRecord = {
    id: r.id,
    scopeKey: r.scope_key,
    viewer: r.viewer,
    source: r.source,
    trigger: r.trigger,
    state: r.state,
    interrupted: Number(r.interrupted) === 1,
    createdAt: r.created_at,
    progress: JSON.parse(r.progress),
    errors: JSON.parse(r.errors) as SourceError[],
  };
  if (r.tenant_id !== null) job.tenantId = r.tenant_id;
  if (r.requested_by !== null) job.requestedBy = r.requested_by;
  if (r.finished_at !== null) job.finishedAt = r.finished_at;
  if (r.owner !== null) job.owner = r.owner;
  if (r.heartbeat_at !== null) job.heartbeatAt = r.heartbeat_at;
  if (r.cancel_requested_at !== null) job.cancelRequestedAt = r.cancel_requested_at;
  if (r.error !== null) job.error = r.error;
  if (r.scan_id !== null) job.scanId = Number(r.scan_id);
  return job;
}

/**
 * A running job writes its progress (and so its heartbeat) every few seconds; one silent this
 * long on another host is taken to have lost its process.
 */
export const JOB_ABANDONED_AFTER_MS = 60_000;

/** Whether a running job's process is gone (this host: the pid is dead; elsewhere: no heartbeat for a minute). */
export function isJobAbandoned(job: Pick<ScanJobRecord, "owner" | "heartbeatAt" | "createdAt">, now = Date.now()): boolean {
  return isOwnerGone({ owner: job.owner, heartbeatAt: job.heartbeatAt, startedAt: job.createdAt }, JOB_ABANDONED_AFTER_MS, now);
}

export const INTERRUPTED_MESSAGE = "interrupted: the server running this scan stopped before it finished; start a scan again";

/**
 * Scan jobs in the store. The partial unique index on running jobs per scope is the lock: a
 * second start for the same scope, from this process or another replica, joins the running job.
 */
export class ScanJobs {
  readonly owner: string;
  private readonly now: () => string;

  constructor(
    private readonly db: SqlDatabase,
    options: { owner?: string; now?: () => string } = {},
  ) {
    this.owner = options.owner ?? processOwner;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  private async run<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw storeError(this.db.location, doing, err, StorePart.ScanJobs);
    }
  }

  /**
   * Starts a job for the scope, owned by this process, or joins the one running (`created:
   * false`). A running job whose process is gone is ended as interrupted first.
   */
  async startOrJoin(input: NewScanJob): Promise<{ job: ScanJobRecord; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const running = await this.running(input.scopeKey);
      if (running && !isJobAbandoned(running)) return { job: running, created: false };
      if (running) await this.interrupt(running);
      const id = randomUUID();
      const now = this.now();
      try {
        await this.db.run(
          `INSERT INTO scan_jobs (id, scope_key, tenant_id, viewer, source, trigger, requested_by, state, created_at, owner, heartbeat_at, progress)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
          [id, input.scopeKey, input.tenantId ?? null, input.viewer, input.source, input.trigger, input.requestedBy ?? null, now, this.owner, now, JSON.stringify(input.progress)],
        );
      } catch (err) {
        // Another request or replica started one between the read and the insert: join it.
        if (isUniqueViolation(err)) continue;
        throw storeError(this.db.location, "start a scan job", err, StorePart.ScanJobs);
      }
      return { job: (await this.get(id))!, created: true };
    }
    throw storeError(this.db.location, "start a scan job", new Error("the running job of this scope kept changing"), StorePart.ScanJobs);
  }

  /** Records progress (the heartbeat); says whether someone asked to cancel, maybe on another replica. */
  async heartbeat(id: string, progress: unknown, errors: readonly SourceError[]): Promise<{ cancelRequested: boolean }> {
    return this.run(`record progress of scan job ${id}`, async () => {
      await this.db.run("UPDATE scan_jobs SET progress = ?, errors = ?, heartbeat_at = ? WHERE id = ? AND state = 'running'", [JSON.stringify(progress), JSON.stringify(errors), this.now(), id]);
      const row = await this.db.get<{ cancel_requested_at: string | null }>("SELECT cancel_requested_at FROM scan_jobs WHERE id = ?", [id]);
      return { cancelRequested: row?.cancel_requested_at != null };
    });
  }

  /** Ends a running job; a job already ended (interrupted by another process meanwhile) is left as it is. */
  async finish(id: string, end: { state: Exclude<ScanState, "running">; progress: unknown; errors: readonly SourceError[]; error?: string; scanId?: number }): Promise<void> {
    await this.run(`finish scan job ${id}`, () =>
      this.db.run("UPDATE scan_jobs SET state = ?, progress = ?, errors = ?, error = ?, scan_id = ?, finished_at = ?, heartbeat_at = ? WHERE id = ? AND state = 'running'", [
        end.state,
        JSON.stringify(end.progress),
        JSON.stringify(end.errors),
        end.error ?? null,
        end.scanId ?? null,
        this.now(),
        this.now(),
        id,
      ]),
    );
  }

  /** Asks a running job to stop (its runner sees it at its next heartbeat, on whichever replica). */
  async requestCancel(id: string): Promise<ScanJobRecord | undefined> {
    await this.run(`cancel scan job ${id}`, () => this.db.run("UPDATE scan_jobs SET cancel_requested_at = coalesce(cancel_requested_at, ?) WHERE id = ? AND state = 'running'", [this.now(), id]));
    return this.get(id);
  }

  async get(id: string): Promise<ScanJobRecord | undefined> {
    return this.run(`read scan job ${id}`, async () => {
      const row = await this.db.get<JobRow>("SELECT * FROM scan_jobs WHERE id = ?", [id]);
      return row ? toJob(row) : undefined;
    });
  }

  async running(scopeKey: string): Promise<ScanJobRecord | undefined> {
    return this.run("read the running scan job", async () => {
      const row = await this.db.get<JobRow>("SELECT * FROM scan_jobs WHERE scope_key = ? AND state = 'running'", [scopeKey]);
      return row ? toJob(row) : undefined;
    });
  }

  /** Newest first, optionally of one scope or viewer. */
  async list(options: { scopeKey?: string; viewer?: string; limit?: number } = {}): Promise<ScanJobRecord[]> {
    return this.run("list scan jobs", async () => {
      const where: string[] = [];
      const args: SqlValue[] = [];
      if (options.scopeKey) {
        where.push("scope_key = ?");
        args.push(options.scopeKey);
      }
      if (options.viewer) {
        where.push("viewer = ?");
        args.push(options.viewer);
      }
      const rows = await this.db.all<JobRow>(`SELECT * FROM scan_jobs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT ?`, [
        ...args,
        Math.max(1, Math.min(options.limit ?? 50, 500)),
      ]);
      return rows.map(toJob);
    });
  }

  /** Ends, as failed and interrupted, every running job whose process is gone; returns them as they were. */
  async interruptAbandoned(): Promise<ScanJobRecord[]> {
    const running = await this.run("list running scan jobs", async () => (await this.db.all<JobRow>("SELECT * FROM scan_jobs WHERE state = 'running'")).map(toJob));
    const gone = running.filter((j) => j.owner !== this.owner && isJobAbandoned(j));
    for (const job of gone) await this.interrupt(job);
    return gone;
  }

  /** Ends a job whose process is gone as failed and interrupted, and records the attempt in the scan history. */
  private async interrupt(job: ScanJobRecord): Promise<void> {
    await this.run(`end interrupted scan job ${job.id}`, () =>
      this.db.transaction(async (tx) => {
        const now = this.now();
        const ended = await tx.run("UPDATE scan_jobs SET state = 'failed', interrupted = 1, error = ?, finished_at = ? WHERE id = ? AND state = 'running'", [INTERRUPTED_MESSAGE, now, job.id]);
        if (ended.changes !== 1) return;
        const { scanId } = await insertScan(tx, {
          scannedAt: job.createdAt,
          tenantId: job.tenantId,
          viewer: job.viewer,
          source: job.source,
          durationMs: Math.max(0, Date.parse(now) - Date.parse(job.createdAt)),
          findings: [],
          errors: job.errors,
          state: ScanState.Failed,
          scopeKey: job.scopeKey,
          jobId: job.id,
          startedAt: job.createdAt,
          failure: INTERRUPTED_MESSAGE,
        });
        await tx.run("UPDATE scan_jobs SET scan_id = ? WHERE id = ?", [scanId, job.id]);
      }),
    );
  }
}
