import { buildNameLookups } from "@/lib/inventory/names";
import type { Finding } from "@/lib/model/findings";
import { MigrationPhase, STAGED_MIGRATION_PLAN_ID, type StagedBindingPlan, type StagedMigrationPlan } from "@/lib/model/staged-migration";
import type { Inventory } from "@/lib/model/types";
import { planStagedMigration } from "@/lib/rules/pod-identity-deprecated/staged-plan";
import { ChangeKind, ChangeStatus, isAbandoned, StepStatus, type ChangeRecord } from "@/lib/store/audit";
import { PhaseStatus, StagedState, type PhaseRecord, type StagedMigrationLog } from "@/lib/store/staged-migrations";
import { ApplyRequestError, touchedScopes, type EngineContext } from "../apply/apply";
import { handlerOf, operationTarget } from "../apply/ops";
import { resolvePlan } from "../apply/resolve";
import { inFlight, runStep, type RunState, type StoredOperation } from "../apply/run";
import { verifyTokenExchanges, waitForRollouts, type CheckOutcome, type CheckTiming, type MigrationChecks } from "./checks";

export interface StagedContext extends EngineContext {
  staged: StagedMigrationLog;
  checks: MigrationChecks;
  /** How long one workload's rollout may take before the migration stops (default 10 minutes). */
  rolloutDeadlineMs?: number;
  /** How long a refused token exchange is retried while Entra sees the new credential (default 1 minute). */
  exchangeDeadlineMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const WRITE_PHASES = [MigrationPhase.Credential, MigrationPhase.Annotate, MigrationPhase.Delete] as const;

/** The write steps of each binding's phases, resolved once: new names drawn, sentences written. */
function resolvePhases(plan: StagedMigrationPlan, inventory: Inventory): { steps: StoredOperation[]; phases: PhaseRecord[]; followUps: Map<string, string[]> } {
  const names = buildNameLookups(inventory);
  const steps: StoredOperation[] = [];
  const phases: PhaseRecord[] = [];
  const followUps = new Map<string, string[]>();
  for (const b of plan.bindings) {
    for (const phase of [MigrationPhase.Credential, MigrationPhase.Annotate, MigrationPhase.Rollout, MigrationPhase.TokenExchange, MigrationPhase.Delete]) {
      const seqs: number[] = [];
      if ((WRITE_PHASES as readonly string[]).includes(phase)) {
        const fixSteps = b.steps[phase as (typeof WRITE_PHASES)[number]];
        const resolved = resolvePlan({ id: `${b.key}:${phase}`, summary: phase, steps: fixSteps }, inventory, { kubernetes: true, names });
        // A step left to people before automated ones (a credential Scopewise cannot create) blocks the whole migration.
        if (resolved.blocked && resolved.operations.length > 0) throw new ApplyRequestError(`binding ${b.key}, ${phase} phase: ${resolved.blocked}`);
        if (phase === MigrationPhase.Credential && resolved.operations.length === 0 && b.workloads.length > 0) {
          throw new ApplyRequestError(`binding ${b.key}: its federated credential cannot be created automatically (${resolved.followUps.join("; ")})`);
        }
        for (const o of resolved.operations) {
          steps.push({ ...o.operation, description: o.description });
          seqs.push(steps.length);
        }
        if (resolved.followUps.length) followUps.set(`${b.key}:${phase}`, resolved.followUps);
      }
      phases.push({ binding: b.key, phase, seqs, status: PhaseStatus.Planned });
    }
  }
  return { steps, phases, followUps };
}

/**
 * Records a staged migration of the chosen bindings of the finding's cluster: one change in the
 * audit log holding every write (so undo and the changes page treat it as any change) and its
 * phases, per binding in order, in staged_migrations. Nothing is written to Azure or the
 * cluster yet; runStagedMigration does that. Throws ApplyRequestError when it cannot run.
 */
export async function startStagedMigration(finding: Finding, inventory: Inventory, chosen: readonly string[], ctx: StagedContext): Promise<string> {
  if (finding.ruleId !== "pod-identity-deprecated" || !finding.clusterId) throw new ApplyRequestError(`finding ${finding.id} is not an aad-pod-identity migration`);
  const plan = planStagedMigration(inventory, finding.clusterId, chosen);
  if (plan.blocked) throw new ApplyRequestError(`the migration cannot run: ${plan.blocked}`);
  const { steps, phases, followUps } = resolvePhases(plan, inventory);
  for (const p of phases) {
    const manual = followUps.get(`${p.binding}:${p.phase}`);
    if (manual) p.message = `Left to a person: ${manual.join("; ")}`;
  }
  const changeId = await ctx.audit.startChange({
    kind: ChangeKind.Apply,
    findingId: finding.id,
    planId: STAGED_MIGRATION_PLAN_ID,
    actor: ctx.actor,
    summary: `Staged migration to Azure Workload Identity on ${plan.clusterName}: ${plan.bindings.map((b) => b.key).join(", ")}`,
    scopes: touchedScopes(steps, finding),
    steps: steps.map((o) => ({ kind: o.op, targetId: operationTarget(o), operation: o })),
  });
  try {
    await ctx.staged.create({ changeId, clusterId: plan.clusterId, plan, phases });
  } catch (err) {
    await ctx.audit.setStatus(changeId, ChangeStatus.Failed, { error: `the staged migration could not be recorded: ${(err as Error).message}` });
    throw err;
  }
  return changeId;
}

/** What a stop leaves in place, for people: the binding is still there and still serves its pods. */
function notDeleted(plan: StagedMigrationPlan, phases: PhaseRecord[]): string {
  const pending = plan.bindings.filter((b) => phases.some((p) => p.binding === b.key && p.phase === MigrationPhase.Delete && p.status !== PhaseStatus.Done));
  return pending.length ? ` Nothing was deleted for ${pending.map((b) => `AzureIdentityBinding ${b.key}`).join(", ")}: ${pending.length === 1 ? "it still serves its" : "they still serve their"} pods.` : "";
}

async function runWritePhase(state: RunState, change: ChangeRecord, phase: PhaseRecord): Promise<CheckOutcome> {
  let made = 0;
  for (const seq of phase.seqs) {
    const step = change.steps.find((s) => s.seq === seq)!;
    // A done write is never sent again; one a crash interrupted is re-sent idempotently (a delete finding nothing counts as done).
    if (step.status === StepStatus.Done) continue;
    const op = step.operation as StoredOperation;
    const uncertain = step.status === StepStatus.InProgress;
    const operation = (uncertain && handlerOf(op).deletes ? { ...op, missingIsDone: true } : op) as StoredOperation;
    try {
      await runStep(state, seq, operation, uncertain && step.before != null ? step.before : undefined);
      made += 1;
    } catch (err) {
      return { ok: false, message: `Step ${seq} (${op.description ?? op.op}) failed: ${(err as Error).message}` };
    }
  }
  return { ok: true, message: `${phase.seqs.length} write(s) done${made < phase.seqs.length ? ` (${phase.seqs.length - made} already done before)` : ""}` };
}

/**
 * Runs a staged migration from its first unfinished phase: per binding, credential, annotate,
 * rollout, token exchange, delete. Before each phase it honours a pause request. A failed
 * phase stops it before anything after it (deletes included) runs; the change is then
 * needs-reconcile with the reason, for a person to resume (after fixing the cause) or undo.
 */
export async function runStagedMigration(changeId: string, ctx: StagedContext): Promise<StagedState> {
  const record = await ctx.staged.get(changeId);
  if (!record) throw new ApplyRequestError(`no staged migration ${changeId}`, 404);
  const plan = record.plan as StagedMigrationPlan;
  const bindings = new Map<string, StagedBindingPlan>(plan.bindings.map((b) => [b.key, b]));
  const state: RunState = { audit: ctx.audit, changeId, ctx: { azure: ctx.azure, kube: ctx.kube, fallbackSubscriptionId: ctx.subscriptionId } };
  const timing: CheckTiming = {
    deadlineMs: ctx.rolloutDeadlineMs ?? 10 * 60_000,
    pollMs: ctx.pollMs ?? 2000,
    sleep: ctx.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: () => Date.now(),
  };
  inFlight.add(changeId);
  try {
    const phases = [...record.phases];
    for (const [i, phase] of phases.entries()) {
      if (phase.status === PhaseStatus.Done) continue;
      if ((await ctx.staged.get(changeId))?.pauseRequested) {
        await ctx.staged.setState(changeId, StagedState.Paused);
        return StagedState.Paused;
      }
      const binding = bindings.get(phase.binding)!;
      await ctx.staged.updatePhase(changeId, i, { status: PhaseStatus.Running, message: "" });
      const report = async (message: string) => {
        await ctx.staged.updatePhase(changeId, i, { status: PhaseStatus.Running, message });
        // The wait writes no step: this keeps the change's heartbeat (another replica must not take it for abandoned).
        await ctx.audit.setStatus(changeId, ChangeStatus.Pending);
      };
      let outcome: CheckOutcome;
      if (phase.phase === MigrationPhase.Rollout) outcome = await waitForRollouts(ctx.checks, plan.clusterId, binding.workloads, timing, report);
      else if (phase.phase === MigrationPhase.TokenExchange) outcome = await verifyTokenExchanges(ctx.checks, plan.clusterId, binding.clientId, binding.workloads, { ...timing, deadlineMs: ctx.exchangeDeadlineMs ?? 60_000 });
      else outcome = await runWritePhase(state, (await ctx.audit.get(changeId))!, phase);
      phases[i] = { ...phase, status: outcome.ok ? PhaseStatus.Done : PhaseStatus.Failed };
      if (!outcome.ok) {
        const message = `${outcome.message}.${notDeleted(plan, phases)}`;
        await ctx.staged.updatePhase(changeId, i, { status: PhaseStatus.Failed, message });
        await ctx.staged.setState(changeId, StagedState.Stopped);
        await ctx.audit.setStatus(changeId, ChangeStatus.NeedsReconcile, { error: message });
        return StagedState.Stopped;
      }
      const manual = phase.message?.startsWith("Left to a person") ? ` ${phase.message}` : "";
      await ctx.staged.updatePhase(changeId, i, { status: PhaseStatus.Done, message: `${outcome.message}.${manual}` });
    }
    await ctx.staged.setState(changeId, StagedState.Completed);
    await ctx.audit.setStatus(changeId, ChangeStatus.Applied, { result: { bindings: plan.bindings.map((b) => b.key) } });
    return StagedState.Completed;
  } finally {
    inFlight.delete(changeId);
  }
}

async function requireStaged(changeId: string, ctx: StagedContext) {
  const change = await ctx.audit.get(changeId);
  const record = change && (await ctx.staged.get(changeId));
  if (!change || !record || (ctx.visible && !ctx.visible(change))) throw new ApplyRequestError(`no staged migration ${changeId}`, 404);
  return { change, record };
}

/** Asks a running migration to stop before its next phase (a phase under way finishes first). */
export async function pauseStagedMigration(changeId: string, ctx: StagedContext): Promise<void> {
  const { record } = await requireStaged(changeId, ctx);
  if (record.state !== StagedState.Running || !(await ctx.staged.requestPause(changeId))) {
    throw new ApplyRequestError(`staged migration ${changeId} is ${record.state}; only a running one can be paused`, 409);
  }
}

/**
 * Takes a paused, stopped or interrupted (its process died: needs-reconcile) migration back:
 * the change becomes pending again under this process, and the caller runs it
 * (runStagedMigration) from the first unfinished phase.
 */
export async function resumeStagedMigration(changeId: string, ctx: StagedContext): Promise<void> {
  const { change, record } = await requireStaged(changeId, ctx);
  // Running on record but no process runs it: its process died (needs-reconcile once reconciled, or still pending with a gone owner).
  const orphaned = change.status === ChangeStatus.NeedsReconcile || (change.status === ChangeStatus.Pending && (change.owner === ctx.audit.owner || isAbandoned(change)));
  const interrupted = record.state === StagedState.Running && !inFlight.has(changeId) && orphaned;
  if (record.state !== StagedState.Paused && record.state !== StagedState.Stopped && !interrupted) {
    throw new ApplyRequestError(`staged migration ${changeId} is ${record.state} (change ${change.status}); only a paused, stopped or interrupted one can be resumed`, 409);
  }
  if (change.steps.some((s) => s.status === StepStatus.Undone)) throw new ApplyRequestError(`staged migration ${changeId} was undone; start a new one`, 409);
  await ctx.audit.setStatus(changeId, ChangeStatus.Pending);
  await ctx.staged.setState(changeId, StagedState.Running);
}
