import { StagedState, type MigrationPhase, type PhaseStatus } from "@/lib/model/staged-migration";

export { PhaseStatus, StagedState } from "@/lib/model/staged-migration";
import { AuditLogError } from "./audit";
import type { SqlDatabase } from "./sql";

/** One phase of one binding: the change steps it writes (none for the rollout and token checks) and how it went. */
export interface PhaseRecord {
  /** `namespace/name` of the binding. */
  binding: string;
  phase: MigrationPhase;
  seqs: number[];
  status: PhaseStatus;
  /** For people: "2 of 3 new pods available", "Token exchange verified for payments/api", the refusal in words. */
  message?: string;
  updatedAt?: string;
}

export interface StagedMigrationRecord {
  changeId: string;
  clusterId: string;
  state: StagedState;
  pauseRequested: boolean;
  /** The plan as it was when the migration started (bindings, workloads, identities): what resuming continues. */
  plan: unknown;
  phases: PhaseRecord[];
  updatedAt: string;
}

interface Row {
  change_id: string;
  cluster_id: string;
  state: StagedState;
  pause_requested: number | string;
  plan: string;
  phases: string;
  updated_at: string;
}

const toRecord = (r: Row): StagedMigrationRecord => ({
  changeId: r.change_id,
  clusterId: r.cluster_id,
  state: r.state,
  pauseRequested: Number(r.pause_requested) !== 0,
  plan: JSON.parse(r.plan) as unknown,
  phases: JSON.parse(r.phases) as PhaseRecord[],
  updatedAt: r.updated_at,
});

/**
 * Where each staged migration stands (table staged_migrations, beside its `changes` row). The
 * engine writes a phase's outcome as soon as it is known, so a new process continues at the
 * first phase that is not done.
 */
export class StagedMigrationLog {
  private readonly now: () => string;

  constructor(
    private readonly db: SqlDatabase,
    options: { now?: () => string } = {},
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  private async run<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new AuditLogError(`Audit log: could not ${doing}: ${(err as Error).message}`, { cause: err });
    }
  }

  async create(record: Omit<StagedMigrationRecord, "updatedAt" | "pauseRequested" | "state">): Promise<void> {
    await this.run(`record staged migration ${record.changeId}`, () =>
      this.db.run("INSERT INTO staged_migrations (change_id, cluster_id, state, pause_requested, plan, phases, updated_at) VALUES (?, ?, 'running', 0, ?, ?, ?)", [
        record.changeId,
        record.clusterId,
        JSON.stringify(record.plan),
        JSON.stringify(record.phases),
        this.now(),
      ]),
    );
  }

  async get(changeId: string): Promise<StagedMigrationRecord | undefined> {
    return this.run(`read staged migration ${changeId}`, async () => {
      const row = await this.db.get<Row>("SELECT * FROM staged_migrations WHERE change_id = ?", [changeId]);
      return row ? toRecord(row) : undefined;
    });
  }

  /** Records one phase's status and message (the whole phase list is rewritten: it is small). */
  async updatePhase(changeId: string, index: number, update: { status: PhaseStatus; message?: string }): Promise<void> {
    await this.run(`update phase ${index + 1} of staged migration ${changeId}`, () =>
      this.db.transaction(async (tx) => {
        const row = await tx.get<Row>("SELECT * FROM staged_migrations WHERE change_id = ?", [changeId]);
        if (!row) throw new Error(`no staged migration ${changeId}`);
        const phases = JSON.parse(row.phases) as PhaseRecord[];
        const phase = phases[index];
        if (!phase) throw new Error(`staged migration ${changeId} has no phase ${index + 1}`);
        const now = this.now();
        phases[index] = { ...phase, status: update.status, ...(update.message !== undefined ? { message: update.message } : {}), updatedAt: now };
        await tx.run("UPDATE staged_migrations SET phases = ?, updated_at = ? WHERE change_id = ?", [JSON.stringify(phases), now, changeId]);
      }),
    );
  }

  /** Sets the state; running clears a pause request (resuming is the answer to it). */
  async setState(changeId: string, state: StagedState): Promise<void> {
    await this.run(`update staged migration ${changeId}`, async () => {
      const clear = state === StagedState.Running ? ", pause_requested = 0" : "";
      const info = await this.db.run(`UPDATE staged_migrations SET state = ?, updated_at = ?${clear} WHERE change_id = ?`, [state, this.now(), changeId]);
      if (info.changes !== 1) throw new Error(`no staged migration ${changeId}`);
    });
  }

  /** Asks a running migration to stop before its next phase; false when it is not running. */
  async requestPause(changeId: string): Promise<boolean> {
    return this.run(`pause staged migration ${changeId}`, async () => {
      const info = await this.db.run("UPDATE staged_migrations SET pause_requested = 1, updated_at = ? WHERE change_id = ? AND state = 'running'", [this.now(), changeId]);
      return info.changes === 1;
    });
  }

  /** Changes held by a paused migration: pending on purpose, not left behind by a dead process. */
  async pausedChangeIds(): Promise<Set<string>> {
    return this.run("list paused staged migrations", async () => new Set((await this.db.all<{ change_id: string }>("SELECT change_id FROM staged_migrations WHERE state = 'paused'")).map((r) => r.change_id)));
  }
}
