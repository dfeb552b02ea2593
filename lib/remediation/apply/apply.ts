import type { AzureClients } from "@/lib/azure/clients";
import { buildNameLookups } from "@/lib/inventory/names";
import type { Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { ChangeKind, ChangeStatus, isAbandoned, StepStatus, type AuditLog, type ChangeRecord, type StepRecord } from "@/lib/store/audit";
import { handlerOf, inverseOperation, operationTarget } from "./ops";
import { STAGED_MIGRATION_PLAN_ID } from "@/lib/model/staged-migration";
import { resolvePlan } from "./resolve";
import { inFlight, runChange, stepReport, type Done, type RunState, type StoredOperation } from "./run";
import { StepState, type ApplyOptions, type ApplyResult, type KubeAccess, type PlanChoices, type ResolvedPlan } from "./types";

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
/**
 * What applying the plan with these choices would write, without writing: the steps in the
 * order they run, each with its target and the step describer's sentence, what is left to
 * people, and why the plan cannot be applied automatically if it cannot. The dry run of the
 * API and the wizard's Apply step are this. Throws PlanChoiceError for choices the plan does
 * not offer.
 */
export function planApply(plan: FixPlan, options: { inventory: Inventory; finding: Pick<Finding, "id">; choices?: PlanChoices; kubernetes: boolean }): { result: ApplyResult; resolved: ResolvedPlan } {
  const { inventory, finding } = options;
  const resolved = resolvePlan(plan, inventory, { choices: options.choices, kubernetes: options.kubernetes, names: buildNameLookups(inventory) });
  const planned = resolved.operations.map((o, i) => stepReport(i + 1, { ...o.operation, description: o.description }, StepState.Planned));
  const base = { dryRun: true, findingId: finding.id, planId: plan.id, followUps: resolved.followUps, steps: planned };
  const result: ApplyResult = resolved.blocked
    ? { ...base, status: "not-applicable", blocked: resolved.blocked, message: `This plan cannot be applied automatically: ${resolved.blocked}.` }
    : { ...base, status: "dry-run", message: `Dry run: ${planned.length} write(s) would be made, creations first; nothing was changed.` };
  return { result, resolved };
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
  const dryRun = options.dryRun !== false;
  const { result, resolved } = planApply(plan, { inventory, finding, choices: options.choices, kubernetes: !!options.kube });
  if (result.status === "not-applicable") return { ...result, dryRun };
  if (dryRun) return result;

  const operations: StoredOperation[] = resolved.operations.map((o) => ({ ...o.operation, description: o.description }));
  const changeId = await audit.startChange({
    kind: ChangeKind.Apply,
    findingId: finding.id,
    planId: plan.id,
    actor: options.actor,
    summary: plan.summary,
    scopes: touchedScopes(operations, finding),
    steps: operations.map((o) => ({ kind: o.op, targetId: operationTarget(o), operation: o })),
  });
  const state: RunState = { audit, changeId, hooks: options.hooks, ctx: { azure: options.azure, kube: options.kube, fallbackSubscriptionId: fallbackSubscription(inventory) } };
  const run = await runChange(state, operations.map((operation, i) => ({ seq: i + 1, operation })), { rollback: true });
  return { dryRun: false, findingId: finding.id, planId: plan.id, followUps: resolved.followUps, changeId, ...run };
}

export interface EngineContext {
  azure: AzureClients;
  kube?: KubeAccess;
  audit: AuditLog;
  actor: string;
  /** Any subscription the caller can address (ARM clients need one even for scope-based calls). */
  subscriptionId: string;
  /** The changes this person may see and act on (those whose scopes they can read); all when absent. */
  visible?: (change: ChangeRecord) => boolean;
}

export interface UnfinishedChange {
  change: ChangeRecord;
  /** Steps that may or may not have reached Azure / the cluster (a crash came between write and record). */
  uncertain: number[];
  done: number[];
  notStarted: number[];
}

/**
 * Changes left `pending` by a process that stopped mid-apply (see isAbandoned: a dead process
 * of this host, or another replica silent for minutes) are marked `needs-reconcile` and
 * reported, with the interrupted ones, by which steps are done, uncertain or not started; the
 * person then finishes or undoes each (finishChange / undoChange). A change another live
 * process is still applying is left alone, and so are `held` ones (a paused staged migration
 * keeps its change pending on purpose). `visible` keeps only what a person may see.
 */
export async function reconcile(audit: AuditLog, options: { visible?: (change: ChangeRecord) => boolean; held?: ReadonlySet<string> } = {}): Promise<UnfinishedChange[]> {
  const unfinished = (await audit.list({ status: [ChangeStatus.Pending, ChangeStatus.NeedsReconcile], limit: 1000, visible: options.visible })).filter(
    (c) => c.status === ChangeStatus.NeedsReconcile || (!inFlight.has(c.id) && !options.held?.has(c.id) && (c.owner === audit.owner || isAbandoned(c))),
  );
  const out: UnfinishedChange[] = [];
  for (let change of unfinished) {
    if (change.status === ChangeStatus.Pending) {
      await audit.setStatus(change.id, ChangeStatus.NeedsReconcile, { error: "the process applying this change stopped before it finished" });
      change = (await audit.get(change.id))!;
    }
    const steps = change.steps.filter((s) => !s.kind.startsWith("rollback:"));
    out.push({
      change,
      uncertain: steps.filter((s) => s.status === StepStatus.InProgress).map((s) => s.seq),
      done: steps.filter((s) => s.status === StepStatus.Done).map((s) => s.seq),
      notStarted: steps.filter((s) => s.status === StepStatus.Planned).map((s) => s.seq),
    });
  }
  return out;
}

async function requireChange(ctx: EngineContext, changeId: string): Promise<ChangeRecord> {
  const change = await ctx.audit.get(changeId);
  // A change the person may not see is answered as one that does not exist.
  if (!change || (ctx.visible && !ctx.visible(change))) throw new ApplyRequestError(`no change ${changeId} in the audit log`, 404);
  return change;
}

const stored = (s: StepRecord) => s.operation as StoredOperation;

/**
 * Completes an interrupted apply: steps not started run, steps whose write may or may not
 * have happened are re-run idempotently (same role-assignment name; a delete that finds the
 * object gone counts as done), keeping the `before` the interrupted run recorded.
 */
export async function finishChange(changeId: string, ctx: EngineContext): Promise<ApplyResult> {
  const change = await requireChange(ctx, changeId);
  if (change.kind !== ChangeKind.Apply || change.status !== ChangeStatus.NeedsReconcile) {
    throw new ApplyRequestError(`change ${changeId} is ${change.kind} / ${change.status}; only an interrupted apply (needs-reconcile) can be finished`, 409);
  }
  if (change.steps.some((s) => s.kind.startsWith("rollback:"))) {
    throw new ApplyRequestError(`change ${changeId} failed and was partly rolled back; undo it instead of finishing it`, 409);
  }
  if (change.planId === STAGED_MIGRATION_PLAN_ID) {
    // Finishing would run its deletes without waiting for the rollout or proving the token exchange.
    throw new ApplyRequestError(`change ${changeId} is a staged migration; resume it (its rollout and token checks run again before any delete) or undo it`, 409);
  }
  await ctx.audit.setStatus(changeId, ChangeStatus.Pending);
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
  await afterWrites(result, () => ctx.audit.setStatus(changeId, result.status as ChangeStatus, { result: { finishedBy: ctx.actor } }));
  return { dryRun: false, changeId, findingId: change.findingId, planId: change.planId, followUps: [], ...result };
}

/**
 * Reverses an applied (or interrupted) change as a change of its own (kind `undo`): what was
 * deleted is recreated (same role, scope and principal under its original name; the same federated
 * credential; the Kubernetes object as it was), what was created is deleted. Steps that
 * changed nothing (already in place) are left alone.
 */
export async function undoChange(changeId: string, ctx: EngineContext): Promise<ApplyResult> {
  const change = await requireChange(ctx, changeId);
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
    await ctx.audit.setStatus(changeId, ChangeStatus.Undone, { result: { undoneBy: ctx.actor, note: "nothing to reverse" } });
    return { dryRun: false, changeId, findingId: change.findingId, planId: change.planId, followUps: [], status: ChangeStatus.Applied, steps: [], message: "Nothing to undo: the change made no writes that are still in place." };
  }
  const undoId = await ctx.audit.startChange({
    kind: ChangeKind.Undo,
    findingId: change.findingId,
    planId: change.planId,
    actor: ctx.actor,
    summary: `Undo of: ${change.summary}`,
    targetChangeId: changeId,
    scopes: change.scopes,
    steps: inverses.map((o) => ({ kind: o.op, targetId: operationTarget(o), operation: o })),
  });
  const state: RunState = { audit: ctx.audit, changeId: undoId, ctx: { azure: ctx.azure, kube: ctx.kube, fallbackSubscriptionId: ctx.subscriptionId } };
  const result = await runChange(state, inverses.map((operation, i) => ({ seq: i + 1, operation })), { rollback: false });
  if (result.status === ChangeStatus.Applied) {
    result.message = `Undone: ${inverses.length} step(s) reversed (recorded as change ${undoId}).`;
    await afterWrites(result, async () => {
      for (const seq of originals) await ctx.audit.updateStep(changeId, seq, StepStatus.Undone);
      await ctx.audit.setStatus(changeId, ChangeStatus.Undone, { result: { undoneBy: ctx.actor, undoChangeId: undoId } });
    });
  } else if (result.status === ChangeStatus.NeedsReconcile) {
    // Part of the undo reached Azure: the original change is now only partly in place.
    await afterWrites(result, () => ctx.audit.setStatus(changeId, ChangeStatus.NeedsReconcile, { error: `undo ${undoId} did not complete: ${result.failure?.message}` }));
  }
  // An undo refused before it changed anything (e.g. the person lacks rights: 403) leaves the
  // original change exactly as it was; the refusal is recorded on the undo's own change.
  return { dryRun: false, changeId: undoId, findingId: change.findingId, planId: change.planId, followUps: [], ...result };
}

/** Records what writes already did; a failing audit log is said in the result, never thrown over the writes. */
async function afterWrites(result: { message: string }, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    result.message += ` The audit log could not record this outcome (${(err as Error).message}).`;
  }
}

/**
 * The ARM scopes a change touches: its writes' targets (Kubernetes targets by their cluster)
 * and the finding's scope. People who cannot read one of them do not see the change.
 */
export function touchedScopes(operations: readonly StoredOperation[], finding: Pick<Finding, "scope" | "clusterId">): string[] {
  const out = new Set<string>();
  for (const o of operations) {
    const target = operationTarget(o);
    const arm = /^\/(subscriptions|providers)\//i.test(target) ? target.replace(/\/namespaces\/.*$/i, "") : undefined;
    if (arm) out.add(arm);
  }
  for (const s of [finding.scope, finding.clusterId]) if (s && s.startsWith("/")) out.add(s);
  return [...out];
}
