import { MIGRATION_PHASES, MigrationPhase, type StagedMigrationPlan } from "@/lib/model/staged-migration";
import { ChangeStatus, type ChangeRecord } from "@/lib/store/audit";
import { PhaseStatus, StagedState, type PhaseRecord, type StagedMigrationRecord } from "@/lib/store/staged-migrations";
import { inFlight } from "../apply/run";

export const PHASE_LABELS: Record<MigrationPhase, string> = {
  [MigrationPhase.Credential]: "Create the federated credential",
  [MigrationPhase.Annotate]: "Annotate the ServiceAccount and label the pod template",
  [MigrationPhase.Rollout]: "Wait for the rollout",
  [MigrationPhase.TokenExchange]: "Verify the token exchange",
  [MigrationPhase.Delete]: "Delete the binding",
};

export interface PhaseProgress {
  phase: MigrationPhase;
  label: string;
  status: PhaseStatus;
  message?: string;
}

export interface BindingProgress {
  key: string;
  identityName: string;
  workloads: string[];
  phases: PhaseProgress[];
}

/** What the wizard's live view and GET /api/changes/staged/{id} show: per binding, per phase. */
export interface StagedProgress {
  changeId: string;
  findingId: string;
  clusterId: string;
  clusterName: string;
  state: StagedState;
  changeStatus: ChangeStatus;
  /** A process is running it now (the view keeps polling). */
  active: boolean;
  pauseRequested: boolean;
  /** One sentence for people: where it stands, or why it stopped and what was not deleted. */
  message: string;
}

export interface StagedProgressView extends StagedProgress {
  bindings: BindingProgress[];
}

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
