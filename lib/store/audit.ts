import { randomUUID } from "node:crypto";
import { isOwnerGone, processOwner } from "./owner";
import { isUniqueViolation, type SqlDatabase, type SqlExecutor, type SqlValue } from "./sql";

export const ChangeStatus = {
  Pending: "pending",
  Applied: "applied",
  Failed: "failed",
  RolledBack: "rolled-back",
  Undone: "undone",
  NeedsReconcile: "needs-reconcile",
} as const;
export type ChangeStatus = (typeof ChangeStatus)[keyof typeof ChangeStatus];

export const StepStatus = {
  Planned: "planned",
  InProgress: "in-progress",
  Done: "done",
  Failed: "failed",
  Undone: "undone",
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

export const ChangeKind = { Apply: "apply", Undo: "undo", Finish: "finish" } as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

export interface StepRecord {
  seq: number;
  kind: string;
  targetId: string;
  status: StepStatus;
  operation: unknown;
  before: unknown;
  after: unknown;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface ChangeRecord {
  id: string;
  kind: ChangeKind;
  findingId: string;
  planId: string;
  actor: string;
  startedAt: string;
  finishedAt?: string;
  status: ChangeStatus;
  summary: string;
  targetChangeId?: string;
  error?: string;
  result?: unknown;
  /** The ARM scopes the change touches (its steps' targets and the finding's scope). */
  scopes: string[];
  /** The process applying it while pending (see AuditLog.owner), and when it last reported progress. */
  owner?: string;
  heartbeatAt?: string;
  steps: StepRecord[];
}

export interface NewChange {
  kind: ChangeKind;
  findingId: string;
  planId: string;
  actor: string;
  summary: string;
  targetChangeId?: string;
  /** The ARM scopes the change touches; people who cannot read one of them do not see the change. */
  scopes: string[];
  steps: { kind: string; targetId: string; operation: unknown }[];
}

interface ChangeRow {
  id: string;
  kind: ChangeKind;
  finding_id: string;
  plan_id: string;
  actor: string;
  started_at: string;
  finished_at: string | null;
  status: ChangeStatus;
  summary: string;
  target_change_id: string | null;
  error: string | null;
  result: string | null;
  scopes: string;
  owner: string | null;
  heartbeat_at: string | null;
}

interface StepRow {
  change_id: string;
  seq: number;
  kind: string;
  target_id: string;
  status: StepStatus;
  operation: string;
  before: string | null;
  after: string | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
}

/** The audit log could not be read or written; nothing may be sent to Azure without it. */
export class AuditLogError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuditLogError";
  }
}

/** Another change of the same finding is being applied right now: one at a time per finding. */
export class ChangeInProgressError extends AuditLogError {
  constructor(
    readonly findingId: string,
    readonly pending: ChangeRecord | undefined,
  ) {
    super(
      pending
        ? `another change of this finding is in progress (${pending.kind} ${pending.id} by ${pending.actor}, started ${pending.startedAt}); wait for it to finish`
        : "another change of this finding is in progress; wait for it to finish",
    );
    this.name = "ChangeInProgressError";
  }
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = (v: string | null): unknown => (v === null ? undefined : JSON.parse(v));

function toStep(r: StepRow): StepRecord {
  const s: StepRecord = { seq: r.seq, kind: r.kind, targetId: r.target_id, status: r.status, operation: parse(r.operation), before: parse(r.before), after: parse(r.after) };
  if (r.error !== null) s.error = r.error;
  if (r.started_at !== null) s.startedAt = r.started_at;
  if (r.finished_at !== null) s.finishedAt = r.finished_at;
  return s;
}

const insertStep = "INSERT INTO change_steps (change_id, seq, kind, target_id, status, operation) VALUES (?, ?, ?, ?, 'planned', ?)";

/**
 * The remediation audit log: one `changes` row per apply, undo or finish, one `change_steps`
 * row per write it makes. It is write-ahead: a step's row is `in-progress`, with everything
 * needed to find or reverse the write (the new assignment's name, the object as it was),
 * committed before the write is sent, so a crash leaves a row that says what may have
 * happened. A pending change is also the lock on its finding (one change per finding at a
 * time, across processes and replicas) and carries its owner's heartbeat, so a change a dead
 * process left behind can be told from one a live process is still applying.
 */
export class AuditLog {
  /** This process's id as the owner of the changes it applies. */
  readonly owner: string;
  private readonly now: () => string;

  constructor(
    private readonly db: SqlDatabase,
    options: { now?: () => string; owner?: string } = {},
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
    this.owner = options.owner ?? processOwner;
  }

  private async run<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AuditLogError) throw err;
      throw new AuditLogError(`Audit log: could not ${doing}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Records a change and its planned steps in one transaction; returns its id. Refuses with
   * ChangeInProgressError while another change of the same finding is pending.
   */
  async startChange(change: NewChange): Promise<string> {
    const id = randomUUID();
    try {
      await this.run("record the change", () =>
        this.db.transaction(async (tx) => {
          const now = this.now();
          await tx.run(
            `INSERT INTO changes (id, kind, finding_id, plan_id, actor, started_at, status, summary, target_change_id, owner, heartbeat_at, scopes, logged_seq)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, (SELECT coalesce(max(logged_seq), 0) + 1 FROM changes))`,
            [id, change.kind, change.findingId, change.planId, change.actor, now, change.summary, change.targetChangeId ?? null, this.owner, now, JSON.stringify(change.scopes)],
          );
          for (const [i, s] of change.steps.entries()) await tx.run(insertStep, [id, i + 1, s.kind, s.targetId, JSON.stringify(s.operation)]);
        }),
      );
    } catch (err) {
      if (isUniqueViolation((err as { cause?: unknown }).cause)) {
        const [pending] = await this.list({ findingId: change.findingId, status: [ChangeStatus.Pending], limit: 1 });
        throw new ChangeInProgressError(change.findingId, pending);
      }
      throw err;
    }
    return id;
  }

  /** Adds steps to a change (rollback writes decided mid-run); returns the seq of the first. */
  async appendSteps(changeId: string, steps: { kind: string; targetId: string; operation: unknown }[]): Promise<number> {
    return this.run(`add steps to change ${changeId}`, () =>
      this.db.transaction(async (tx) => {
        const max = (await tx.get<{ m: number | null }>("SELECT max(seq) AS m FROM change_steps WHERE change_id = ?", [changeId]))?.m ?? 0;
        for (const [i, s] of steps.entries()) await tx.run(insertStep, [changeId, max + i + 1, s.kind, s.targetId, JSON.stringify(s.operation)]);
        return max + 1;
      }),
    );
  }

  /**
   * Moves a step to `status`. `in-progress` must be recorded (with the operation as it will be
   * sent) before the write; `done`/`failed`/`undone` after it. Each update is also the change's
   * heartbeat.
   */
  async updateStep(changeId: string, seq: number, status: StepStatus, data: { operation?: unknown; before?: unknown; after?: unknown; error?: string } = {}): Promise<void> {
    await this.run(`update step ${seq} of change ${changeId}`, () =>
      this.db.transaction(async (tx) => {
        const sets = ["status = ?"];
        const args: SqlValue[] = [status];
        if (data.operation !== undefined) {
          sets.push("operation = ?");
          args.push(JSON.stringify(data.operation));
        }
        if (data.before !== undefined) {
          sets.push("before = ?");
          args.push(json(data.before));
        }
        if (data.after !== undefined) {
          sets.push("after = ?");
          args.push(json(data.after));
        }
        if (data.error !== undefined) {
          sets.push("error = ?");
          args.push(data.error);
        }
        const now = this.now();
        if (status === StepStatus.InProgress) {
          sets.push("started_at = ?");
          args.push(now);
        } else if (status !== StepStatus.Planned) {
          sets.push("finished_at = ?");
          args.push(now);
        }
        const info = await tx.run(`UPDATE change_steps SET ${sets.join(", ")} WHERE change_id = ? AND seq = ?`, [...args, changeId, seq]);
        if (info.changes !== 1) throw new AuditLogError(`Audit log: change ${changeId} has no step ${seq}`);
        await tx.run("UPDATE changes SET heartbeat_at = ? WHERE id = ?", [now, changeId]);
      }),
    );
  }

  /** Sets a change's status; every status but `pending` also stamps finished_at. Pending takes ownership for this process. */
  async setStatus(changeId: string, status: ChangeStatus, data: { error?: string; result?: unknown } = {}): Promise<void> {
    await this.run(`update change ${changeId}`, async () => {
      const now = this.now();
      const pending = status === ChangeStatus.Pending;
      const info = await this.db.run(
        "UPDATE changes SET status = ?, finished_at = ?, error = coalesce(?, error), result = coalesce(?, result), owner = ?, heartbeat_at = ? WHERE id = ?",
        [status, pending ? null : now, data.error ?? null, json(data.result), pending ? this.owner : null, pending ? now : null, changeId],
      );
      if (info.changes !== 1) throw new AuditLogError(`Audit log: no change ${changeId}`);
    }).catch((err: unknown) => {
      if (status === ChangeStatus.Pending && isUniqueViolation((err as { cause?: unknown }).cause)) throw new ChangeInProgressError("", undefined);
      throw err;
    });
  }

  async get(changeId: string): Promise<ChangeRecord | undefined> {
    return this.run(`read change ${changeId}`, async () => {
      const row = await this.db.get<ChangeRow>("SELECT * FROM changes WHERE id = ?", [changeId]);
      return row ? this.toChange(this.db, row) : undefined;
    });
  }

  /**
   * Newest first. `visible` keeps only the changes a person may see (the caller decides from
   * what that person can read); the log is read in batches until `limit` of them are found.
   */
  async list(options: { limit?: number; findingId?: string; status?: readonly ChangeStatus[]; visible?: (change: ChangeRecord) => boolean } = {}): Promise<ChangeRecord[]> {
    return this.run("list changes", async () => {
      const where: string[] = [];
      const args: SqlValue[] = [];
      if (options.findingId) {
        where.push("finding_id = ?");
        args.push(options.findingId);
      }
      if (options.status?.length) {
        where.push(`status IN (${options.status.map(() => "?").join(", ")})`);
        args.push(...options.status);
      }
      const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
      const batch = options.visible ? Math.max(limit, 200) : limit;
      const out: ChangeRecord[] = [];
      for (let offset = 0; out.length < limit; offset += batch) {
        const sql = `SELECT * FROM changes ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at DESC, logged_seq DESC, id DESC LIMIT ? OFFSET ?`;
        const rows = await this.db.all<ChangeRow>(sql, [...args, batch, offset]);
        for (const row of rows) {
          const change = await this.toChange(this.db, row);
          if (!options.visible || options.visible(change)) out.push(change);
          if (out.length === limit) break;
        }
        if (rows.length < batch) break;
      }
      return out;
    });
  }

  private async toChange(db: SqlExecutor, row: ChangeRow): Promise<ChangeRecord> {
    const steps = (await db.all<StepRow>("SELECT * FROM change_steps WHERE change_id = ? ORDER BY seq", [row.id])).map(toStep);
    const c: ChangeRecord = {
      id: row.id,
      kind: row.kind,
      findingId: row.finding_id,
      planId: row.plan_id,
      actor: row.actor,
      startedAt: row.started_at,
      status: row.status,
      summary: row.summary,
      scopes: JSON.parse(row.scopes) as string[],
      steps,
    };
    if (row.finished_at !== null) c.finishedAt = row.finished_at;
    if (row.target_change_id !== null) c.targetChangeId = row.target_change_id;
    if (row.error !== null) c.error = row.error;
    if (row.result !== null) c.result = JSON.parse(row.result);
    if (row.owner !== null) c.owner = row.owner;
    if (row.heartbeat_at !== null) c.heartbeatAt = row.heartbeat_at;
    return c;
  }
}

/** A pending change whose owner sent no heartbeat for this long is taken to be abandoned (its process is on another host). */
export const ABANDONED_AFTER_MS = 5 * 60_000;

/**
 * Whether a pending change was left behind by a process that stopped (isOwnerGone with
 * ABANDONED_AFTER_MS). A change this process owns is judged by the caller, who knows what it
 * is running.
 */
export function isAbandoned(change: Pick<ChangeRecord, "owner" | "heartbeatAt" | "startedAt">, now = Date.now()): boolean {
  return isOwnerGone(change, ABANDONED_AFTER_MS, now);
}
