import type { FixStep } from "./findings";

/**
 * The phases that move one aad-pod-identity binding to Azure Workload Identity, in the order
 * they run. Only the last deletes anything: until then the binding keeps serving its pods, so a
 * migration stopped at any earlier phase leaves every workload with a working identity.
 */
export const MigrationPhase = {
  /** The federated credential trusting the workload's ServiceAccount (ARM, or Graph for an app registration). */
  Credential: "credential",
  /** ServiceAccount annotated with the client id, pod template labelled azure.workload.identity/use: the workload rolls. */
  Annotate: "annotate",
  /** Waits until the controller reports every new pod available (as `kubectl rollout status` judges it). */
  Rollout: "rollout",
  /** A ServiceAccount token for api://AzureADTokenExchange exchanged at Entra for the identity: proves the new pods can sign in. */
  TokenExchange: "token-exchange",
  /** The AzureIdentityBinding (and an AzureIdentity no remaining binding uses) deleted. */
  Delete: "delete",
} as const;
export type MigrationPhase = (typeof MigrationPhase)[keyof typeof MigrationPhase];

export const MIGRATION_PHASES: readonly MigrationPhase[] = Object.values(MigrationPhase);

/** A workload a binding selects, with the ServiceAccount it runs as once migrated. */
export interface MigrationWorkload {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  serviceAccount: string;
}

/** One binding of a cluster, as the wizard lists it for choosing. */
export interface MigrationBinding {
  /** `namespace/name`: how a person's choice names the binding. */
  key: string;
  namespace: string;
  name: string;
  selector: string;
  /** A pod identity of the managed add-on (removed with `az aks pod-identity delete`, not by Scopewise). */
  managed: boolean;
  /** The AzureIdentity is a service principal: its credential lives on an app registration (Graph). */
  appRegistration: boolean;
  identityName: string;
  clientId?: string;
  /** `namespace/name` of the AzureIdentity it binds, when it is a CRD binding. */
  azureIdentity?: string;
  workloads: MigrationWorkload[];
}

/** A chosen binding with the fix steps of its write phases (credential, annotate, delete). */
export interface StagedBindingPlan extends MigrationBinding {
  steps: Record<typeof MigrationPhase.Credential | typeof MigrationPhase.Annotate | typeof MigrationPhase.Delete, FixStep[]>;
}

/** The staged migration of the chosen bindings of one cluster; bindings not chosen appear nowhere in it. */
export interface StagedMigrationPlan {
  clusterId: string;
  clusterName: string;
  bindings: StagedBindingPlan[];
  /** Why the migration cannot run automatically (workload identity not enabled on the cluster...). */
  blocked?: string;
}

/** The staged-migration choice names a binding the cluster does not have. */
export class MigrationChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationChoiceError";
  }
}

/** The plan id of a staged migration's change in the audit log (its writes are phases of the chosen bindings). */
export const STAGED_MIGRATION_PLAN_ID = "staged-migration";

export const StagedState = {
  Running: "running",
  /** A person paused it between phases: nothing runs until someone resumes it. */
  Paused: "paused",
  /** A phase failed (a write, a rollout, a token exchange): nothing after it ran, nothing was deleted after it. */
  Stopped: "stopped",
  Completed: "completed",
} as const;
export type StagedState = (typeof StagedState)[keyof typeof StagedState];

export const PhaseStatus = { Planned: "planned", Running: "running", Done: "done", Failed: "failed" } as const;
export type PhaseStatus = (typeof PhaseStatus)[keyof typeof PhaseStatus];


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
  /** The audit-log status of its change (pending, applied, needs-reconcile...). */
  changeStatus: string;
  /** A process is running it now (the view keeps polling). */
  active: boolean;
  pauseRequested: boolean;
  /** One sentence for people: where it stands, or why it stopped and what was not deleted. */
  message: string;
}

export interface StagedProgressView extends StagedProgress {
  bindings: BindingProgress[];
}

