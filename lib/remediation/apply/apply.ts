import type { AzureClients } from "@/lib/azure/clients";
import { buildNameLookups } from "@/lib/inventory/names";
import type { FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { ChangeKind, ChangeStatus, StepStatus, type AuditLog, type ChangeRecord, type StepRecord } from "@/lib/store/audit";
import { ChangedSinceScanError, executeOperation, handlerOf, inverseOperation, OperationError, operationTarget, type OperationContext } from "./ops";
import { resolvePlan } from "./resolve";
import { StepState, type ApplyFailure, type ApplyHooks, type ApplyOptions, type ApplyResult, type KubeAccess, type Operation, type OperationOutcome, type StepReport } from "./types";

/** An operation as the audit log stores it: the outcome flags undo needs ride along. */
type StoredOperation = Operation & { noop?: boolean; note?: string; rollbackOf?: number; description?: string };

/** The request cannot be carried out as asked (unknown plan, change in the wrong state...). */
export class ApplyRequestError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 | 422 = 422,
  ) {
    super(message);
    this.name = "ApplyRequestError";
  }
}

function fallbackSubscription(inventory: Inventory): string {
  const sub = inventory.subscriptions[0]?.subscriptionId;
  if (!sub) throw new ApplyRequestError("the scan saw no subscription to address Azure through");
  return sub;
}

function failureOf(seq: number, error: unknown): ApplyFailure {
  const f: ApplyFailure = { seq, message: error instanceof Error ? error.message : String(error) };
  if (error instanceof OperationError) {
    if (error.status !== undefined) f.status = error.status;
    if (error.code) f.code = error.code;
  }
  if (error instanceof ChangedSinceScanError) f.changedSinceScan = true;
  return f;
}

function report(seq: number, operation: StoredOperation, state: StepReport["state"], extra: { note?: string; error?: string } = {}): StepReport {
  return { seq, op: operation.op, target: operationTarget(operation), description: operation.description ?? operation.op, state, ...(extra.note ? { note: extra.note } : {}), ...(extra.error ? { error: extra.error } : {}) };
}

interface RunState {
  audit: AuditLog;
  ctx: OperationContext;
  changeId: string;
  hooks?: ApplyHooks;
}

interface Done {
  seq: number;
  operation: StoredOperation;
  outcome: OperationOutcome;
}

/**
 * Runs one recorded step: marks it in-progress with the pre-read object before the write
 * (write-ahead), then done with the object read back, or failed with the error.
 */
async function runStep(state: RunState, seq: number, operation: StoredOperation, recordedBefore?: unknown): Promise<OperationOutcome> {
  const { audit, changeId } = state;
  let started = false;
  try {
    const outcome = await executeOperation(state.ctx, operation, {
      onBefore: (before) => {
        audit.updateStep(changeId, seq, StepStatus.InProgress, { before: recordedBefore ?? before ?? null });
        started = true;
      },
    });
    if (recordedBefore !== undefined) outcome.before = recordedBefore;
    const stored: StoredOperation = { ...operation, ...(outcome.noop ? { noop: true } : {}), ...(outcome.note ? { note: outcome.note } : {}) };
    if (!started) audit.updateStep(changeId, seq, StepStatus.InProgress, { before: outcome.before ?? null });
    audit.updateStep(changeId, seq, StepStatus.Done, { operation: stored, after: outcome.after ?? null });
    return outcome;
  } catch (error) {
    audit.updateStep(changeId, seq, StepStatus.Failed, { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/**
 * Undoes `done` in reverse order, each reversal recorded as an extra step of the same change
 * (kind `rollback:<op>`) before it is sent; the reversed step is then marked undone.
 * Returns the reports and whether everything was reversed.
 */
async function rollBack(state: RunState, done: Done[]): Promise<{ reports: StepReport[]; complete: boolean }> {
  const reports: StepReport[] = [];
  let complete = true;
  for (const d of [...done].reverse()) {
    const inverse = inverseOperation(d.operation, d.outcome);
    if (!inverse) {
      reports.push(report(d.seq, d.operation, StepState.Done, { note: d.outcome.note ?? "changed nothing; left as it was" }));
      continue;
    }
    const rollbackOp: StoredOperation = { ...inverse, rollbackOf: d.seq, description: `Undo step ${d.seq}: ${d.operation.description ?? d.operation.op}` };
    const seq = state.audit.appendSteps(state.changeId, [{ kind: `rollback:${inverse.op}`, targetId: operationTarget(inverse), operation: rollbackOp }]);
    try {
      await runStep(state, seq, rollbackOp);
      state.audit.updateStep(state.changeId, d.seq, StepStatus.Undone);
      reports.push(report(d.seq, d.operation, StepState.Undone, { note: `reversed by ${inverse.op}` }));
    } catch (error) {
      complete = false;
      reports.push(report(d.seq, d.operation, StepState.UndoFailed, { error: (error as Error).message }));
    }
  }
  return { reports, complete };
}

/**
 * Applies one of `options.finding`'s fix plans (the caller picked it from `finding.fixes`).
 * Dry run is the default: it returns the writes it would make, touching nothing. A real run
 * records the change and its steps in the audit log first, creates the new grants and reads
 * them back, re-reads each old assignment and stops if it changed since the scan, then
 * deletes; on any failure it undoes what it did, in reverse order, and reports which step
 * failed, why, what was undone and the final state. The plan is resolved once, here.
 */
export async function applyPlan(plan: FixPlan, options: ApplyOptions): Promise<ApplyResult> {
  const { finding, inventory, audit } = options;
  const resolved = resolvePlan(plan, inventory, { choices: options.choices, kubernetes: !!options.kube, names: buildNameLookups(inventory) });
  const planned = resolved.operations.map((o, i) => report(i + 1, { ...o.operation, description: o.description }, StepState.Planned));
  const base = { findingId: finding.id, planId: plan.id, followUps: resolved.followUps };
  if (resolved.blocked) {
    return { ...base, dryRun: options.dryRun !== false, status: "not-applicable", steps: planned, blocked: resolved.blocked, message: `This plan cannot be applied automatically: ${resolved.blocked}.` };
  }
  if (options.dryRun !== false) {
    return { ...base, dryRun: true, status: "dry-run", steps: planned, message: `Dry run: ${planned.length} write(s) would be made, creations first; nothing was changed.` };
  }

  const operations: StoredOperation[] = resolved.operations.map((o) => ({ ...o.operation, description: o.description }));
  const changeId = audit.startChange({
    kind: ChangeKind.Apply,
    findingId: finding.id,
    planId: plan.id,
    actor: options.actor,
    summary: plan.summary,
    steps: operations.map((o) => ({ kind: o.op, targetId: operationTarget(o), operation: o })),
  });
  const state: RunState = { audit, changeId, hooks: options.hooks, ctx: { azure: options.azure, kube: options.kube, fallbackSubscriptionId: fallbackSubscription(inventory) } };
  const result = await runChange(state, operations.map((operation, i) => ({ seq: i + 1, operation })), { rollback: true });
  return { ...base, dryRun: false, changeId, ...result };
}

/**
 * Changes this process is applying right now. A pending change that is not in this set was
 * left behind by a process that stopped; one that is in it is simply still running, and
 * reconcile must not mark it as interrupted.
 */
const inFlight = new Set<string>();

async function runChange(
  state: RunState,
  steps: { seq: number; operation: StoredOperation; recordedBefore?: unknown }[],
  opts: { rollback: boolean; alreadyDone?: Done[] },
): Promise<Pick<ApplyResult, "status" | "steps" | "failure" | "message">> {
  inFlight.add(state.changeId);
  try {
    return await runSteps(state, steps, opts);
  } finally {
    inFlight.delete(state.changeId);
  }
}

async function runSteps(
  state: RunState,
  steps: { seq: number; operation: StoredOperation; recordedBefore?: unknown }[],
  opts: { rollback: boolean; alreadyDone?: Done[] },
): Promise<Pick<ApplyResult, "status" | "steps" | "failure" | "message">> {
  const done: Done[] = [...(opts.alreadyDone ?? [])];
  const reports: StepReport[] = [];
  for (const [i, step] of steps.entries()) {
    try {
      const outcome = await runStep(state, step.seq, step.operation, step.recordedBefore);
      done.push({ seq: step.seq, operation: { ...step.operation, ...(outcome.noop ? { noop: true } : {}) }, outcome });
      reports.push(report(step.seq, step.operation, StepState.Done, { note: outcome.note }));
      await state.hooks?.afterStep?.(step.seq, step.operation);
    } catch (error) {
      const failure = failureOf(step.seq, error);
      reports.push(report(step.seq, step.operation, StepState.Failed, { error: failure.message }));
      for (const rest of steps.slice(i + 1)) reports.push(report(rest.seq, rest.operation, StepState.Skipped));
      const changed = done.filter((d) => !d.outcome.noop);
      if (!opts.rollback || changed.length === 0) {
        const status = changed.length === 0 ? ChangeStatus.Failed : ChangeStatus.NeedsReconcile;
        const message =
          changed.length === 0
            ? `Step ${failure.seq} failed (${failure.message}) before anything was changed; Azure and the clusters are as they were.`
            : `Step ${failure.seq} failed (${failure.message}); steps ${changed.map((d) => d.seq).join(", ")} were made and are still in place.`;
        state.audit.setStatus(state.changeId, status, { error: failure.message, result: { failure } });
        return { status, steps: mergeReports(reports, []), failure, message };
      }
      const rolled = await rollBack(state, done);
      const status = rolled.complete ? ChangeStatus.RolledBack : ChangeStatus.NeedsReconcile;
      const undone = rolled.reports.filter((r) => r.state === StepState.Undone).map((r) => r.seq);
      const stuck = rolled.reports.filter((r) => r.state === StepState.UndoFailed);
      const why = failure.changedSinceScan ? "Stopped" : `Step ${failure.seq} failed`;
      const message = rolled.complete
        ? `${why}: ${failure.message} Undid step${undone.length === 1 ? "" : "s"} ${undone.join(", ")} in reverse order; Azure and the clusters are as they were before the change.`
        : `${why}: ${failure.message} Undoing failed for step${stuck.length === 1 ? "" : "s"} ${stuck.map((r) => `${r.seq} (${r.error})`).join(", ")}; the change needs reconciling (finish or undo it from the audit log).`;
      state.audit.setStatus(state.changeId, status, { error: failure.message, result: { failure, undone, undoFailed: stuck.map((r) => r.seq) } });
      return { status, steps: mergeReports(reports, rolled.reports), failure, message };
    }
  }
  state.audit.setStatus(state.changeId, ChangeStatus.Applied, { result: { steps: reports.length } });
  const noops = reports.filter((r) => r.note).length;
  return {
    status: ChangeStatus.Applied,
    steps: reports,
    message: `Applied ${reports.length} step(s)${noops ? ` (${noops} already in place)` : ""}; new grants were read back before the old ones were deleted.`,
  };
}

function mergeReports(reports: StepReport[], rollback: StepReport[]): StepReport[] {
  const bySeq = new Map(rollback.map((r) => [r.seq, r]));
  return reports.map((r) => bySeq.get(r.seq) ?? r);
}

// ---- reconcile, finish, undo ---------------------------------------------------------

export interface EngineContext {
  azure: AzureClients;
  kube?: KubeAccess;
  audit: AuditLog;
  actor: string;
  /** Any subscription the caller can address (ARM clients need one even for scope-based calls). */
  subscriptionId: string;
}

export interface UnfinishedChange {
  change: ChangeRecord;
  /** Steps that may or may not have reached Azure / the cluster (a crash came between write and record). */
  uncertain: number[];
  done: number[];
  notStarted: number[];
}

/**
 * Run at start: changes left `pending` by a process that died mid-apply are marked
 * `needs-reconcile` and reported with which steps are done, uncertain or not started; the
 * person then finishes or undoes each (finishChange / undoChange).
 */
export function reconcile(audit: AuditLog): UnfinishedChange[] {
  const unfinished = audit.list({ status: [ChangeStatus.Pending, ChangeStatus.NeedsReconcile], limit: 1000 }).filter((c) => !inFlight.has(c.id));
  return unfinished.map((change) => {
    if (change.status === ChangeStatus.Pending) {
      audit.setStatus(change.id, ChangeStatus.NeedsReconcile, { error: "the process applying this change stopped before it finished" });
      change = audit.get(change.id)!;
    }
    const steps = change.steps.filter((s) => !s.kind.startsWith("rollback:"));
    return {
      change,
      uncertain: steps.filter((s) => s.status === StepStatus.InProgress).map((s) => s.seq),
      done: steps.filter((s) => s.status === StepStatus.Done).map((s) => s.seq),
      notStarted: steps.filter((s) => s.status === StepStatus.Planned).map((s) => s.seq),
    };
  });
}

function requireChange(audit: AuditLog, changeId: string): ChangeRecord {
  const change = audit.get(changeId);
  if (!change) throw new ApplyRequestError(`no change ${changeId} in the audit log`, 404);
  return change;
}

const stored = (s: StepRecord) => s.operation as StoredOperation;

/**
 * Completes an interrupted apply: steps not started run, steps whose write may or may not
 * have happened are re-run idempotently (same role-assignment name; a delete that finds the
 * object gone counts as done), keeping the `before` the interrupted run recorded.
 */
export async function finishChange(changeId: string, ctx: EngineContext): Promise<ApplyResult> {
  const change = requireChange(ctx.audit, changeId);
  if (change.kind !== ChangeKind.Apply || change.status !== ChangeStatus.NeedsReconcile) {
    throw new ApplyRequestError(`change ${changeId} is ${change.kind} / ${change.status}; only an interrupted apply (needs-reconcile) can be finished`, 409);
  }
  if (change.steps.some((s) => s.kind.startsWith("rollback:"))) {
    throw new ApplyRequestError(`change ${changeId} failed and was partly rolled back; undo it instead of finishing it`, 409);
  }
  ctx.audit.setStatus(changeId, ChangeStatus.Pending);
  const state: RunState = { audit: ctx.audit, changeId, ctx: { azure: ctx.azure, kube: ctx.kube, fallbackSubscriptionId: ctx.subscriptionId } };
  const alreadyDone: Done[] = change.steps
    .filter((s) => s.status === StepStatus.Done)
    .map((s) => ({ seq: s.seq, operation: stored(s), outcome: { before: s.before, after: s.after, noop: stored(s).noop } }));
  const remaining = change.steps
    .filter((s) => s.status === StepStatus.InProgress || s.status === StepStatus.Planned || s.status === StepStatus.Failed)
    .map((s) => {
      const op = stored(s);
      // A delete the crash may have sent already: finding the object gone means it was.
      const resumed = (s.status === StepStatus.InProgress && handlerOf(op).deletes ? { ...op, missingIsDone: true } : op) as StoredOperation;
      return { seq: s.seq, operation: resumed, recordedBefore: s.status === StepStatus.InProgress && s.before !== undefined && s.before !== null ? s.before : undefined };
    });
  const result = await runChange(state, remaining, { rollback: false, alreadyDone });
  ctx.audit.setStatus(changeId, result.status as ChangeStatus, { result: { finishedBy: ctx.actor } });
  return { dryRun: false, changeId, findingId: change.findingId, planId: change.planId, followUps: [], ...result };
}

/**
 * Reverses an applied (or interrupted) change as a change of its own (kind `undo`): what was
 * deleted is recreated (same role, scope and principal under its original name; the same federated
 * credential; the Kubernetes object as it was), what was created is deleted. Steps that
 * changed nothing (already in place) are left alone.
 */
export async function undoChange(changeId: string, ctx: EngineContext): Promise<ApplyResult> {
  const change = requireChange(ctx.audit, changeId);
  if (change.kind !== ChangeKind.Apply) throw new ApplyRequestError(`change ${changeId} is an ${change.kind}; only applies can be undone`, 409);
  if (change.status !== ChangeStatus.Applied && change.status !== ChangeStatus.NeedsReconcile) {
    throw new ApplyRequestError(`change ${changeId} is ${change.status}; only applied or interrupted changes can be undone`, 409);
  }
  const inverses: StoredOperation[] = [];
  const originals: number[] = [];
  for (const s of [...change.steps].reverse()) {
    if (s.kind.startsWith("rollback:")) continue;
    if (s.status !== StepStatus.Done && s.status !== StepStatus.InProgress) continue;
    const op = stored(s);
    if (s.status === StepStatus.InProgress) {
      // The write may not have been sent. What it found decides whether it could have changed anything:
      // a delete that found nothing, or a creation that found the object and keeps it, changed nothing.
      const handler = handlerOf(op);
      if (handler.deletes ? !s.before : handler.keepsExisting && s.before) continue;
    }
    const inverse = inverseOperation(op, { before: s.before ?? undefined, after: s.after ?? undefined, noop: op.noop });
    if (!inverse) continue;
    inverses.push({ ...inverse, description: `Undo step ${s.seq}: ${op.description ?? op.op}` });
    originals.push(s.seq);
  }
  if (inverses.length === 0) {
    ctx.audit.setStatus(changeId, ChangeStatus.Undone, { result: { undoneBy: ctx.actor, note: "nothing to reverse" } });
    return { dryRun: false, changeId, findingId: change.findingId, planId: change.planId, followUps: [], status: ChangeStatus.Applied, steps: [], message: "Nothing to undo: the change made no writes that are still in place." };
  }
  const undoId = ctx.audit.startChange({
    kind: ChangeKind.Undo,
    findingId: change.findingId,
    planId: change.planId,
    actor: ctx.actor,
    summary: `Undo of: ${change.summary}`,
    targetChangeId: changeId,
    steps: inverses.map((o) => ({ kind: o.op, targetId: operationTarget(o), operation: o })),
  });
  const state: RunState = { audit: ctx.audit, changeId: undoId, ctx: { azure: ctx.azure, kube: ctx.kube, fallbackSubscriptionId: ctx.subscriptionId } };
  const result = await runChange(state, inverses.map((operation, i) => ({ seq: i + 1, operation })), { rollback: false });
  if (result.status === ChangeStatus.Applied) {
    for (const seq of originals) ctx.audit.updateStep(changeId, seq, StepStatus.Undone);
    ctx.audit.setStatus(changeId, ChangeStatus.Undone, { result: { undoneBy: ctx.actor, undoChangeId: undoId } });
    result.message = `Undone: ${inverses.length} step(s) reversed (recorded as change ${undoId}).`;
  } else {
    ctx.audit.setStatus(changeId, ChangeStatus.NeedsReconcile, { error: `undo ${undoId} did not complete: ${result.failure?.message}` });
  }
  return { dryRun: false, changeId: undoId, findingId: change.findingId, planId: change.planId, followUps: [], ...result };
}
