import type { ChangeRecord, StepRecord } from "@/lib/remediation/changes";

/** One step of a change as the audit page shows it. */
export interface ChangeStepView {
  seq: number;
  kind: string;
  /** Rollback steps are writes the apply made to undo its own earlier steps after a failure. */
  rollback: boolean;
  target: string;
  description: string;
  status: string;
  error?: string;
  /** Pretty JSON, or undefined when the object did not exist (before a create, after a delete). */
  before?: string;
  after?: string;
}

export interface ChangeView {
  id: string;
  kind: ChangeRecord["kind"];
  status: ChangeRecord["status"];
  tone: "ok" | "warn" | "danger" | "neutral";
  findingId: string;
  planId: string;
  actor: string;
  startedAt: string;
  finishedAt?: string;
  summary: string;
  error?: string;
  targetChangeId?: string;
  steps: ChangeStepView[];
  canUndo: boolean;
  canFinish: boolean;
  /** Workloads whose pods an undo restarts: it writes their pod templates back. */
  undoRestarts: string[];
}

export interface UnfinishedView {
  change: ChangeView;
  done: number[];
  /** The write may or may not have reached Azure (the process stopped between sending and recording). */
  uncertain: number[];
  notStarted: number[];
}

const TONE: Record<ChangeRecord["status"], ChangeView["tone"]> = {
  applied: "ok",
  undone: "neutral",
  "rolled-back": "warn",
  failed: "danger",
  pending: "warn",
  "needs-reconcile": "danger",
};

const pretty = (v: unknown) => (v === undefined || v === null ? undefined : JSON.stringify(v, null, 2));

/** The step's sentence as the engine recorded it (lib/remediation/describe.ts), or its kind for records without one. */
function recordedDescription(s: StepRecord): string {
  const op = s.operation as { description?: unknown } | undefined;
  return typeof op?.description === "string" ? op.description : s.kind;
}

export function buildChangeView(c: ChangeRecord): ChangeView {
  const rollbackOrUndoSteps = c.steps.some((s) => s.kind.startsWith("rollback:"));
  const view: ChangeView = {
    id: c.id,
    kind: c.kind,
    status: c.status,
    tone: TONE[c.status],
    findingId: c.findingId,
    planId: c.planId,
    actor: c.actor,
    startedAt: c.startedAt,
    summary: c.summary,
    steps: c.steps.map((s) => {
      const step: ChangeStepView = { seq: s.seq, kind: s.kind, rollback: s.kind.startsWith("rollback:"), target: s.targetId, description: recordedDescription(s), status: s.status };
      if (s.error) step.error = s.error;
      const before = pretty(s.before);
      const after = pretty(s.after);
      if (before) step.before = before;
      if (after) step.after = after;
      return step;
    }),
    // The engine's undoChange and finishChange accept exactly these (lib/remediation/apply/apply.ts).
    canUndo: c.kind === "apply" && (c.status === "applied" || c.status === "needs-reconcile"),
    canFinish: c.kind === "apply" && c.status === "needs-reconcile" && !rollbackOrUndoSteps,
    undoRestarts: restartsOnUndo(c),
  };
  if (c.finishedAt) view.finishedAt = c.finishedAt;
  if (c.error) view.error = c.error;
  if (c.targetChangeId) view.targetChangeId = c.targetChangeId;
  return view;
}

const ROLLING_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/**
 * The workloads an undo of this change rolls: each done step that wrote a Deployment,
 * StatefulSet or DaemonSet's pod template. Undo writes the template back as it was, and a
 * changed pod template makes the controller replace every pod. "Deployment payments/api on aks-payments-prod".
 */
export function restartsOnUndo(c: Pick<ChangeRecord, "steps">): string[] {
  const out: string[] = [];
  for (const s of c.steps) {
    const op = s.operation as { op?: string; clusterId?: string; manifest?: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: { template?: unknown } } } | undefined;
    if (s.status !== "done" || s.kind.startsWith("rollback:") || op?.op !== "kubernetes-apply") continue;
    const kind = op.manifest?.kind;
    if (typeof kind !== "string" || !ROLLING_KINDS.has(kind) || !op.manifest?.spec?.template) continue;
    const { name, namespace } = op.manifest.metadata ?? {};
    const cluster = op.clusterId ? ` on ${op.clusterId.split("/").filter(Boolean).pop()}` : "";
    out.push(`${kind} ${typeof namespace === "string" ? `${namespace}/` : ""}${String(name)}${cluster}`);
  }
  return [...new Set(out)];
}

/** Changes a stopped process or a failed undo left half-done, with which steps are done, uncertain or not started. */
export function buildUnfinished(changes: readonly ChangeRecord[]): UnfinishedView[] {
  return changes
    .filter((c) => c.status === "needs-reconcile")
    .map((c) => {
      const steps = c.steps.filter((s) => !s.kind.startsWith("rollback:"));
      return {
        change: buildChangeView(c),
        done: steps.filter((s) => s.status === "done").map((s) => s.seq),
        uncertain: steps.filter((s) => s.status === "in-progress").map((s) => s.seq),
        notStarted: steps.filter((s) => s.status === "planned").map((s) => s.seq),
      };
    });
}

/** The latest apply of a finding still in effect, for the wizard's verify step. */
export function latestApplied(changes: readonly ChangeRecord[], findingId: string): ChangeRecord | undefined {
  return changes.find((c) => c.kind === "apply" && c.findingId === findingId && c.status === "applied");
}
