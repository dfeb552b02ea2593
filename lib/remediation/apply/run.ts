import { ChangeStatus, StepStatus, type AuditLog } from "@/lib/store/audit";
import { ChangedSinceScanError, executeOperation, inverseOperation, OperationError, operationTarget, type OperationContext } from "./ops";
import { StepState, type ApplyFailure, type ApplyHooks, type ApplyResult, type Operation, type OperationOutcome, type StepReport } from "./types";

/** An operation as the audit log stores it: the outcome flags undo needs ride along. */
export type StoredOperation = Operation & { noop?: boolean; note?: string; rollbackOf?: number; description?: string };

/**
 * The audit log could not record a step after its write reached Azure or the cluster: the
 * write happened (its outcome is here), only the record of it is missing.
 */
class UnrecordedWriteError extends Error {
  constructor(
    readonly outcome: OperationOutcome,
    readonly auditError: unknown,
  ) {
    super(`the write was made, but the audit log could not record it: ${(auditError as Error).message ?? String(auditError)}`);
    this.name = "UnrecordedWriteError";
  }
}

/** What a failed step tells the person: message, and ARM's or the API server's status and code. */
function failureOf(seq: number, error: unknown): ApplyFailure {
  const f: ApplyFailure = { seq, message: error instanceof Error ? error.message : String(error) };
  if (error instanceof OperationError) {
    if (error.status !== undefined) f.status = error.status;
    if (error.code) f.code = error.code;
  }
  if (error instanceof ChangedSinceScanError) f.changedSinceScan = true;
  return f;
}

/** A step as the result lists it, with its target and description. */
export function stepReport(seq: number, operation: StoredOperation, state: StepReport["state"], extra: { note?: string; error?: string } = {}): StepReport {
  return { seq, op: operation.op, target: operationTarget(operation), description: operation.description ?? operation.op, state, ...(extra.note ? { note: extra.note } : {}), ...(extra.error ? { error: extra.error } : {}) };
}

export interface RunState {
  audit: AuditLog;
  ctx: OperationContext;
  changeId: string;
  hooks?: ApplyHooks;
}

export interface Done {
  seq: number;
  operation: StoredOperation;
  outcome: OperationOutcome;
}

/** Runs an audit write whose failure must not hide what happened; returns its error instead of throwing. */
async function recordOrReport(write: () => Promise<void>): Promise<Error | undefined> {
  try {
    await write();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Runs one recorded step. The step is marked in-progress, with the object as read before the
 * write, and that record is committed before the write is sent (write-ahead); if it cannot be
 * committed nothing is sent. After the write the step is marked done with the object read
 * back; if that record fails the write still happened, which the caller is told
 * (UnrecordedWriteError) so it counts the step as made.
 */
export async function runStep(state: RunState, seq: number, operation: StoredOperation, recordedBefore?: unknown): Promise<OperationOutcome> {
  const { audit, changeId } = state;
  let started = false;
  let outcome: OperationOutcome;
  try {
    outcome = await executeOperation(state.ctx, operation, {
      onBefore: async (before) => {
        await audit.updateStep(changeId, seq, StepStatus.InProgress, { before: recordedBefore ?? before ?? null });
        started = true;
      },
    });
  } catch (error) {
    await recordOrReport(() => audit.updateStep(changeId, seq, StepStatus.Failed, { error: error instanceof Error ? error.message : String(error) }));
    throw error;
  }
  if (recordedBefore !== undefined) outcome.before = recordedBefore;
  const stored: StoredOperation = { ...operation, ...(outcome.noop ? { noop: true } : {}), ...(outcome.note ? { note: outcome.note } : {}) };
  const auditError = await recordOrReport(async () => {
    if (!started) await audit.updateStep(changeId, seq, StepStatus.InProgress, { before: outcome.before ?? null });
    await audit.updateStep(changeId, seq, StepStatus.Done, { operation: stored, after: outcome.after ?? null });
  });
  if (auditError) throw new UnrecordedWriteError(outcome, auditError);
  return outcome;
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
      reports.push(stepReport(d.seq, d.operation, StepState.Done, { note: d.outcome.note ?? "changed nothing; left as it was" }));
      continue;
    }
    const rollbackOp: StoredOperation = { ...inverse, rollbackOf: d.seq, description: `Undo step ${d.seq}: ${d.operation.description ?? d.operation.op}` };
    try {
      // Without its write-ahead record a reversal is not sent: the log must be able to say what was tried.
      const seq = await state.audit.appendSteps(state.changeId, [{ kind: `rollback:${inverse.op}`, targetId: operationTarget(inverse), operation: rollbackOp }]);
      await runStep(state, seq, rollbackOp);
      await state.audit.updateStep(state.changeId, d.seq, StepStatus.Undone);
      reports.push(stepReport(d.seq, d.operation, StepState.Undone, { note: `reversed by ${inverse.op}` }));
    } catch (error) {
      if (error instanceof UnrecordedWriteError) {
        reports.push(stepReport(d.seq, d.operation, StepState.Undone, { note: `reversed by ${inverse.op}; ${error.message}` }));
        continue;
      }
      complete = false;
      reports.push(stepReport(d.seq, d.operation, StepState.UndoFailed, { error: (error as Error).message }));
    }
  }
  return { reports, complete };
}

/**
 * Changes this process is applying right now. A pending change that is not in this set was
 * left behind by a process that stopped; one that is in it is simply still running, and
 * reconcile must not mark it as interrupted.
 */
export const inFlight = new Set<string>();

export async function runChange(
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

/** "Create role assignment: AcrPull … (id)": each write still in place, for a message that says exactly what Azure now holds. */
function inPlace(done: Done[], reports: StepReport[]): string {
  const undone = new Set(reports.filter((r) => r.state === StepState.Undone).map((r) => r.seq));
  const left = done.filter((d) => !d.outcome.noop && !undone.has(d.seq));
  return left.map((d) => `step ${d.seq} (${d.operation.description ?? d.operation.op}; ${operationTarget(d.operation)})`).join(", ");
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
      reports.push(stepReport(step.seq, step.operation, StepState.Done, { note: outcome.note }));
      await state.hooks?.afterStep?.(step.seq, step.operation);
    } catch (error) {
      if (error instanceof UnrecordedWriteError) {
        // The write reached Azure: it counts as made, for the rollback and for the message.
        done.push({ seq: step.seq, operation: { ...step.operation, ...(error.outcome.noop ? { noop: true } : {}) }, outcome: error.outcome });
      }
      const failure = failureOf(step.seq, error);
      reports.push(stepReport(step.seq, step.operation, error instanceof UnrecordedWriteError ? StepState.Done : StepState.Failed, { error: failure.message }));
      for (const rest of steps.slice(i + 1)) reports.push(stepReport(rest.seq, rest.operation, StepState.Skipped));
      return finishFailed(state, done, reports, failure, opts.rollback);
    }
  }
  const auditError = await recordOrReport(() => state.audit.setStatus(state.changeId, ChangeStatus.Applied, { result: { steps: reports.length } }));
  const noops = reports.filter((r) => r.note).length;
  return {
    status: ChangeStatus.Applied,
    steps: reports,
    message:
      `Applied ${reports.length} step(s)${noops ? ` (${noops} already in place)` : ""}; new grants were read back before the old ones were deleted.` +
      (auditError ? ` The audit log could not mark the change applied (${auditError.message}); it will show as interrupted.` : ""),
  };
}

/**
 * After a failed step: roll back what was made (when asked), record the outcome, and say what
 * Azure and the clusters now hold. An audit log that fails here never hides a write: the
 * message names every write still in place.
 */
async function finishFailed(
  state: RunState,
  done: Done[],
  reports: StepReport[],
  failure: ApplyFailure,
  rollback: boolean,
): Promise<Pick<ApplyResult, "status" | "steps" | "failure" | "message">> {
  const changed = done.filter((d) => !d.outcome.noop);
  if (!rollback || changed.length === 0) {
    const status = changed.length === 0 ? ChangeStatus.Failed : ChangeStatus.NeedsReconcile;
    const auditError = await recordOrReport(() => state.audit.setStatus(state.changeId, status, { error: failure.message, result: { failure } }));
    const message =
      changed.length === 0
        ? `Step ${failure.seq} failed (${failure.message}) before anything was changed; Azure and the clusters are as they were.`
        : `Step ${failure.seq} failed (${failure.message}); still in place: ${inPlace(done, [])}.`;
    return { status, steps: mergeReports(reports, []), failure, message: message + auditNote(auditError) };
  }
  const rolled = await rollBack(state, done);
  const status = rolled.complete ? ChangeStatus.RolledBack : ChangeStatus.NeedsReconcile;
  const undone = rolled.reports.filter((r) => r.state === StepState.Undone).map((r) => r.seq);
  const stuck = rolled.reports.filter((r) => r.state === StepState.UndoFailed);
  const why = failure.changedSinceScan ? "Stopped" : `Step ${failure.seq} failed`;
  const auditError = await recordOrReport(() => state.audit.setStatus(state.changeId, status, { error: failure.message, result: { failure, undone, undoFailed: stuck.map((r) => r.seq) } }));
  const message = rolled.complete
    ? `${why}: ${failure.message} Undid step${undone.length === 1 ? "" : "s"} ${undone.join(", ")} in reverse order; Azure and the clusters are as they were before the change.`
    : `${why}: ${failure.message} Undoing failed for step${stuck.length === 1 ? "" : "s"} ${stuck.map((r) => `${r.seq} (${r.error})`).join(", ")}; still in place: ${inPlace(done, rolled.reports)}. The change needs reconciling (finish or undo it from the audit log).`;
  return { status, steps: mergeReports(reports, rolled.reports), failure, message: message + auditNote(auditError) };
}

function auditNote(error: Error | undefined): string {
  return error ? ` The audit log could not record this outcome (${error.message}).` : "";
}

function mergeReports(reports: StepReport[], rollback: StepReport[]): StepReport[] {
  const bySeq = new Map(rollback.map((r) => [r.seq, r]));
  return reports.map((r) => bySeq.get(r.seq) ?? r);
}
