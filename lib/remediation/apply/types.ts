import type { AzureClients } from "@/lib/azure/clients";
import type { KubeAccess } from "@/lib/kubernetes/kubeconfig";
import type { Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import type { AuditLog, ChangeStatus } from "@/lib/store/audit";

/** Field manager of every Kubernetes server-side apply Scopewise makes. */
export const FIELD_MANAGER = "scopewise";

/**
 * One write, as executed and as recorded in the audit log (`change_steps.operation`). Fix
 * steps become operations once the person's choices are applied and new names are drawn.
 */
export type Operation =
  | {
      op: "create-role-assignment";
      scope: string;
      name: string;
      roleDefinitionId: string;
      principalId: string;
      principalType: string;
      roleName?: string;
      /** The ABAC condition the new assignment carries (the one of the grant it replaces). */
      condition?: string;
      conditionVersion?: string;
    }
  | {
      op: "delete-role-assignment";
      id: string;
      /** What the scan saw; the delete stops when the assignment no longer matches it. */
      expected: { roleDefinitionId: string; principalId: string; scope: string };
      /** Undo and rollback delete what they created: an assignment already gone is fine there. */
      missingIsDone?: boolean;
      roleName?: string;
    }
  | { op: "create-federated-credential"; identityId: string; name: string; issuer: string; subject: string; audiences: string[] }
  | { op: "delete-federated-credential"; id: string; missingIsDone?: boolean }
  /** Microsoft Graph: a federated identity credential on the application with this appId (client id). */
  | { op: "create-app-federated-credential"; appId: string; name: string; issuer: string; subject: string; audiences: string[] }
  | { op: "delete-app-federated-credential"; appId: string; name: string; missingIsDone?: boolean }
  | { op: "create-managed-identity"; resourceGroupId: string; name: string; location: string; tags?: Record<string, string> }
  | { op: "delete-managed-identity"; id: string; missingIsDone?: boolean }
  | { op: "kubernetes-apply"; clusterId: string; manifest: Record<string, unknown> }
  | { op: "kubernetes-delete"; clusterId: string; apiVersion: string; kind: string; namespace?: string; name: string; missingIsDone?: boolean };

export type OperationKind = Operation["op"];

/** What one executed operation found and left. */
export interface OperationOutcome {
  /** The object before the write (undefined: it did not exist). */
  before?: unknown;
  /** The object after the write, as read back. */
  after?: unknown;
  /** The write changed nothing (it was already so): undo leaves it alone. */
  noop?: boolean;
  /** Human-readable note ("already existed (409 RoleAssignmentExists): counted as done"). */
  note?: string;
}

export type { KubeAccess };

/** What the person chose in the wizard. */
export interface PlanChoices {
  /** Keep only these scopes of the plan's role-assignment creations (each must be offered by the plan). */
  scopes?: string[];
  /** Replacement role for the created assignments (must be the plan's role or one it offers). */
  roleDefinitionId?: string;
}

/** Test and instrumentation hooks; production callers pass none. */
export interface ApplyHooks {
  /** After step `seq` is done and recorded, before the next one starts. */
  afterStep?(seq: number, operation: Operation): void | Promise<void>;
}

export interface ApplyOptions {
  inventory: Inventory;
  finding: Finding;
  azure: AzureClients;
  /** Kubernetes access; without it, plans that change clusters are not applicable (shown as YAML instead). */
  kube?: KubeAccess;
  audit: AuditLog;
  actor: string;
  /** Default true: report the steps, touch nothing. */
  dryRun?: boolean;
  choices?: PlanChoices;
  hooks?: ApplyHooks;
}

export const StepState = {
  Planned: "planned",
  Done: "done",
  Failed: "failed",
  Undone: "undone",
  UndoFailed: "undo-failed",
  Skipped: "skipped",
} as const;
export type StepState = (typeof StepState)[keyof typeof StepState];

export interface StepReport {
  seq: number;
  op: OperationKind;
  target: string;
  description: string;
  state: StepState;
  note?: string;
  error?: string;
}

export interface ApplyFailure {
  seq: number;
  message: string;
  status?: number;
  code?: string;
  /** The old assignment changed or disappeared since the scan: the apply stopped on purpose. */
  changedSinceScan?: boolean;
}

export interface ApplyResult {
  dryRun: boolean;
  changeId?: string;
  findingId: string;
  planId: string;
  status: "dry-run" | "not-applicable" | ChangeStatus;
  steps: StepReport[];
  /** Plan steps Scopewise does not perform (manual, az commands after the automated part). */
  followUps: string[];
  /** Why the plan cannot be applied automatically (dry run and apply alike). */
  blocked?: string;
  failure?: ApplyFailure;
  /** One paragraph for people: what happened and the final state. */
  message: string;
}

/** A plan turned into operations, plus what is left for people to do. */
export interface ResolvedPlan {
  plan: FixPlan;
  operations: { operation: Operation; description: string }[];
  followUps: string[];
  blocked?: string;
}
