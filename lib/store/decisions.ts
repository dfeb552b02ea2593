import { subjectKeyOf, type Decision, type DecisionSubject } from "@/lib/model/decisions";
import type { FindingTriage } from "@/lib/model/triage";
import type { SqlDatabase } from "./sql";

export const DecisionAction = { Decide: "decide", Withdraw: "withdraw" } as const;
export type DecisionAction = (typeof DecisionAction)[keyof typeof DecisionAction];

/** One line of the triage audit: a decision made (or replaced) or withdrawn, by whom and when. */
export interface DecisionHistoryEntry {
  seq: number;
  subjectKey: string;
  action: DecisionAction;
  actor: string;
  at: string;
  /** The decision as made; for a withdrawal, the decision withdrawn. */
  decision: Decision;
}

export interface NewDecision extends FindingTriage {
  subject: DecisionSubject;
  evidence: string[];
}

interface DecisionRow {
  subject_key: string;
  subject: string;
  state: Decision["state"];
  reason: string;
  owner: string;
  expires: string;
  evidence: string;
  decided_by: string;
  decided_at: string;
}

interface HistoryRow {
  seq: number | string;
  subject_key: string;
  action: DecisionAction;
  actor: string;
  at: string;
  data: string;
}

function toDecision(r: DecisionRow): Decision {
  return {
    subjectKey: r.subject_key,
    subject: JSON.parse(r.subject) as DecisionSubject,
    state: r.state,
    reason: r.reason,
    owner: r.owner,
    expires: r.expires,
    evidence: JSON.parse(r.evidence) as string[],
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}

export class DecisionStoreError extends Error {}

/**
 * Triage decisions made in the dashboard: one current decision per subject, and a history of
 * every decision and withdrawal written in the same transaction as the change it records.
 */
export class TriageDecisions {
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
      throw new DecisionStoreError(`Triage decisions: could not ${doing}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Records `input` by `actor`, replacing the subject's current decision; returns it as stored. */
  async decide(input: NewDecision, actor: string): Promise<Decision> {
    const [decision] = await this.decideMany([input], actor);
    return decision!;
  }

  /** Records several decisions in one transaction (bulk triage): all of them, or none. */
  async decideMany(inputs: readonly NewDecision[], actor: string): Promise<Decision[]> {
    const at = this.now();
    const decisions = inputs.map(
      (input): Decision => ({
        subjectKey: subjectKeyOf(input.subject),
        subject: input.subject,
        state: input.state,
        reason: input.reason,
        owner: input.owner,
        expires: input.expires,
        evidence: [...new Set(input.evidence)].sort(),
        decidedBy: actor,
        decidedAt: at,
      }),
    );
    await this.run("record the decision", () =>
      this.db.transaction(async (tx) => {
        for (const d of decisions) {
          await tx.run(
            `INSERT INTO triage_decisions (subject_key, subject, state, reason, owner, expires, evidence, decided_by, decided_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (subject_key) DO UPDATE SET subject = excluded.subject, state = excluded.state, reason = excluded.reason, owner = excluded.owner,
               expires = excluded.expires, evidence = excluded.evidence, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
            [d.subjectKey, JSON.stringify(d.subject), d.state, d.reason, d.owner, d.expires, JSON.stringify(d.evidence), actor, at],
          );
        }
        await tx.insertMany(
          "triage_decision_history",
          ["subject_key", "action", "actor", "at", "data"],
          decisions.map((d) => [d.subjectKey, DecisionAction.Decide, actor, at, JSON.stringify(d)]),
        );
      }),
    );
    return decisions;
  }

  /** Withdraws the subject's decision (the finding is open again); false when there was none. */
  async withdraw(subjectKey: string, actor: string): Promise<boolean> {
    return this.run("withdraw the decision", () =>
      this.db.transaction(async (tx) => {
        const row = await tx.get<DecisionRow>("SELECT * FROM triage_decisions WHERE subject_key = ?", [subjectKey]);
        if (!row) return false;
        await tx.run("DELETE FROM triage_decisions WHERE subject_key = ?", [subjectKey]);
        await tx.run("INSERT INTO triage_decision_history (subject_key, action, actor, at, data) VALUES (?, ?, ?, ?, ?)", [
          subjectKey,
          DecisionAction.Withdraw,
          actor,
          this.now(),
          JSON.stringify(toDecision(row)),
        ]);
        return true;
      }),
    );
  }

  /** Every current decision, expired ones included (they say why a finding reopened). */
  async list(): Promise<Decision[]> {
    const rows = await this.run("read the decisions", () => this.db.all<DecisionRow>("SELECT * FROM triage_decisions ORDER BY decided_at, subject_key"));
    return rows.map(toDecision);
  }

  /** The history, newest first; of the given subjects only when `subjectKeys` is set. */
  async history(options: { subjectKeys?: readonly string[]; limit?: number } = {}): Promise<DecisionHistoryEntry[]> {
    const keys = options.subjectKeys;
    if (keys && keys.length === 0) return [];
    const where = keys ? `WHERE subject_key IN (${keys.map(() => "?").join(", ")})` : "";
    const rows = await this.run("read the decision history", () =>
      this.db.all<HistoryRow>(`SELECT * FROM triage_decision_history ${where} ORDER BY seq DESC LIMIT ?`, [...(keys ?? []), options.limit ?? 200]),
    );
    return rows.map((r) => ({ seq: Number(r.seq), subjectKey: r.subject_key, action: r.action, actor: r.actor, at: r.at, decision: JSON.parse(r.data) as Decision }));
  }
}
