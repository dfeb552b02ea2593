import { MIGRATION_PHASES, MigrationPhase, type StagedMigrationPlan, type StagedProgressView } from "@/lib/model/staged-migration";
import { ChangeStatus, type ChangeRecord } from "@/lib/store/audit";

export type { BindingProgress, PhaseProgress, StagedProgress, StagedProgressView } from "@/lib/model/staged-migration";
import { PhaseStatus, StagedState, type PhaseRecord, type StagedMigrationRecord } from "@/lib/store/staged-migrations";
import { inFlight } from "../apply/run";

export const PHASE_LABELS: Record<MigrationPhase, string> = {
  [MigrationPhase.Credential]: "Create the federated credential",
  [MigrationPhase.Annotate]: "Annotate the ServiceAccount and label the pod template",
  [MigrationPhase.Rollout]: "Wait for the rollout",
  [MigrationPhase.TokenExchange]: "Verify the token exchange",
  [MigrationPhase.Delete]: "Delete the binding",
};

function summary(record: StagedMigrationRecord, change: ChangeRecord, active: boolean, phases: PhaseRecord[]): string {
  const done = phases.filter((p) => p.status === PhaseStatus.Done).length;
  const of = `${done} of ${phases.length} phases done`;
  if (record.state === StagedState.Completed) return `Migration finished: ${of}; every chosen binding was moved after its rollout and token exchange were verified.`;
  if (record.state === StagedState.Stopped) return `Migration stopped: ${change.error ?? "a phase failed"}`;
  if (record.state === StagedState.Paused) return `Paused after ${of}; resume to continue at the next phase.`;
  if (!active && change.status !== ChangeStatus.Pending) return `Interrupted (${of}): the process running it stopped; resume to continue where it was.`;
  const current = phases.find((p) => p.status === PhaseStatus.Running);
  const pausing = record.pauseRequested ? " Pausing after this phase." : "";
  return current ? `${current.message || PHASE_LABELS[current.phase]} (${of}).${pausing}` : `${of}.${pausing}`;
}

export function buildStagedProgress(record: StagedMigrationRecord, change: ChangeRecord): StagedProgressView {
  const plan = record.plan as StagedMigrationPlan;
  const active = inFlight.has(record.changeId);
  return {
    changeId: record.changeId,
    findingId: change.findingId,
    clusterId: plan.clusterId,
    clusterName: plan.clusterName,
    state: record.state,
    changeStatus: change.status,
    active,
    pauseRequested: record.pauseRequested,
    message: summary(record, change, active, record.phases),
    bindings: plan.bindings.map((b) => ({
      key: b.key,
      identityName: b.identityName,
      workloads: b.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`),
      phases: MIGRATION_PHASES.map((phase) => {
        const p = record.phases.find((x) => x.binding === b.key && x.phase === phase);
        return { phase, label: PHASE_LABELS[phase], status: p?.status ?? PhaseStatus.Planned, ...(p?.message ? { message: p.message } : {}) };
      }),
    })),
  };
}
