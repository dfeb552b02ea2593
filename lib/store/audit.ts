import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";

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
  steps: StepRecord[];
}

export interface NewChange {
  kind: ChangeKind;
  findingId: string;
  planId: string;
  actor: string;
  summary: string;
  targetChangeId?: string;
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

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = (v: string | null): unknown => (v === null ? undefined : JSON.parse(v));

function toStep(r: StepRow): StepRecord {
  const s: StepRecord = { seq: r.seq, kind: r.kind, targetId: r.target_id, status: r.status, operation: parse(r.operation), before: parse(r.before), after: parse(r.after) };
  if (r.error !== null) s.error = r.error;
  if (r.started_at !== null) s.startedAt = r.started_at;
  if (r.finished_at !== null) s.finishedAt = r.finished_at;
  return s;
}

/**
 * The remediation audit log: one `changes` row per apply, undo or finish, one `change_steps`
 * row per write it makes. It is write-ahead: a step's row is `in-progress`, with everything
 * needed to find or reverse the write (the new assignment's name, the object as it was),
 * before the write is sent, so a crash leaves a row that says what may have happened.
 * Reads and writes the audit tables of an open store (lib/store/db.ts `getStore` / `openStore`).
 */
export class AuditLog {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  private run<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof AuditLogError) throw err;
      throw new AuditLogError(`Audit log: could not ${doing}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Records a change and its planned steps in one transaction; returns its id. */
  startChange(change: NewChange): string {
    return this.run("record the change", () => {
      const id = randomUUID();
      const insert = this.db.transaction(() => {
        this.db
          .prepare("INSERT INTO changes (id, kind, finding_id, plan_id, actor, started_at, status, summary, target_change_id) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)")
          .run(id, change.kind, change.findingId, change.planId, change.actor, this.now(), change.summary, change.targetChangeId ?? null);
        const step = this.db.prepare("INSERT INTO change_steps (change_id, seq, kind, target_id, status, operation) VALUES (?, ?, ?, ?, 'planned', ?)");
        change.steps.forEach((s, i) => step.run(id, i + 1, s.kind, s.targetId, JSON.stringify(s.operation)));
      });
      insert.immediate();
      return id;
    });
  }

  /** Adds steps to a change (rollback writes decided mid-run); returns the seq of the first. */
  appendSteps(changeId: string, steps: { kind: string; targetId: string; operation: unknown }[]): number {
    return this.run(`add steps to change ${changeId}`, () => {
      const append = this.db.transaction(() => {
        const max = (this.db.prepare("SELECT max(seq) AS m FROM change_steps WHERE change_id = ?").get(changeId) as { m: number | null }).m ?? 0;
        const step = this.db.prepare("INSERT INTO change_steps (change_id, seq, kind, target_id, status, operation) VALUES (?, ?, ?, ?, 'planned', ?)");
        steps.forEach((s, i) => step.run(changeId, max + i + 1, s.kind, s.targetId, JSON.stringify(s.operation)));
        return max + 1;
      });
      return append.immediate();
    });
  }

  /**
   * Moves a step to `status`. `in-progress` must be recorded (with the operation as it will be
   * sent) before the write; `done`/`failed`/`undone` after it.
   */
  updateStep(changeId: string, seq: number, status: StepStatus, data: { operation?: unknown; before?: unknown; after?: unknown; error?: string } = {}): void {
    this.run(`update step ${seq} of change ${changeId}`, () => {
      const sets = ["status = ?"];
      const args: unknown[] = [status];
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
      if (status === StepStatus.InProgress) {
        sets.push("started_at = ?");
        args.push(this.now());
      }
      else if (status !== StepStatus.Planned) {
        sets.push("finished_at = ?");
        args.push(this.now());
      }
      const info = this.db.prepare(`UPDATE change_steps SET ${sets.join(", ")} WHERE change_id = ? AND seq = ?`).run(...args, changeId, seq);
      if (info.changes !== 1) throw new AuditLogError(`Audit log: change ${changeId} has no step ${seq}`);
    });
  }

  /** Sets a change's status; every status but `pending` also stamps finished_at. */
  setStatus(changeId: string, status: ChangeStatus, data: { error?: string; result?: unknown } = {}): void {
    this.run(`update change ${changeId}`, () => {
      const finished = status === ChangeStatus.Pending ? null : this.now();
      const info = this.db
        .prepare("UPDATE changes SET status = ?, finished_at = ?, error = coalesce(?, error), result = coalesce(?, result) WHERE id = ?")
        .run(status, finished, data.error ?? null, json(data.result), changeId);
      if (info.changes !== 1) throw new AuditLogError(`Audit log: no change ${changeId}`);
    });
  }

  get(changeId: string): ChangeRecord | undefined {
    return this.run(`read change ${changeId}`, () => {
      const row = this.db.prepare("SELECT * FROM changes WHERE id = ?").get(changeId) as ChangeRow | undefined;
      return row ? this.toChange(row) : undefined;
    });
  }

  /** Newest first. */
  list(options: { limit?: number; findingId?: string; status?: readonly ChangeStatus[] } = {}): ChangeRecord[] {
    return this.run("list changes", () => {
      const where: string[] = [];
      const args: unknown[] = [];
      if (options.findingId) {
        where.push("finding_id = ?");
        args.push(options.findingId);
      }
      if (options.status?.length) {
        where.push(`status IN (${options.status.map(() => "?").join(", ")})`);
        args.push(...options.status);
      }
      const sql = `SELECT * FROM changes ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
      const rows = this.db.prepare(sql).all(...args, Math.max(1, Math.min(options.limit ?? 100, 1000))) as ChangeRow[];
      return rows.map((r) => this.toChange(r));
    });
  }

  private toChange(row: ChangeRow): ChangeRecord {
    const steps = (this.db.prepare("SELECT * FROM change_steps WHERE change_id = ? ORDER BY seq").all(row.id) as StepRow[]).map(toStep);
    const c: ChangeRecord = {
      id: row.id,
      kind: row.kind,
      findingId: row.finding_id,
      planId: row.plan_id,
      actor: row.actor,
      startedAt: row.started_at,
      status: row.status,
      summary: row.summary,
      steps,
    };
    if (row.finished_at !== null) c.finishedAt = row.finished_at;
    if (row.target_change_id !== null) c.targetChangeId = row.target_change_id;
    if (row.error !== null) c.error = row.error;
    if (row.result !== null) c.result = JSON.parse(row.result);
    return c;
  }
}
