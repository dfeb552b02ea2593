import type { AzureClients } from "@/lib/azure/clients";
import type { KubeAccess } from "@/lib/kubernetes/kubeconfig";
import type { Operation, OperationKind, OperationOutcome } from "../types";

export interface OperationContext {
  azure: AzureClients;
  kube?: KubeAccess;
  /** Any subscription the caller can address; ARM clients need one even for scope-based calls. */
  fallbackSubscriptionId: string;
}

/**
 * Told the object as read before the write; the write is sent only once it resolves, so the
 * audit log holds the object durably before anything changes. If it rejects, nothing is sent.
 */
export type BeforeNotice = (before: unknown) => Promise<void>;

/**
 * What the engine knows about one kind of operation: how to perform it, how to reverse it and
 * which object it writes. One handler per kind, in the table of ops/index.ts.
 */
export interface OperationHandler<O extends Operation> {
  /**
   * Reads the target first (the audit's `before`, reported through `onBefore`), writes, and
   * reads the result back to confirm it. Targets already in the wanted state count as done
   * (`noop`), so a step a crash interrupted can run again.
   */
  run(ctx: OperationContext, operation: O, onBefore: BeforeNotice): Promise<OperationOutcome>;
  /** The operation that reverses a done one, from what it found and left; undefined when there is nothing to reverse. */
  inverse(operation: O, outcome: OperationOutcome): Operation | undefined;
  /** The id of the object it writes (ARM id, Graph path, or cluster/namespace/kind/name). */
  target(operation: O): string;
  /** It removes an object: it comes after every creation, and finding the object gone may mean it is done. */
  deletes: boolean;
  /** An object that already existed is used as is and left in place by undo (`run` answers noop). */
  keepsExisting?: boolean;
  /** It writes to a cluster's Kubernetes API, which needs Kubernetes access. */
  kubernetes?: boolean;
}

/** One handler per operation kind: a kind without one does not typecheck. */
export type OperationHandlers = { [K in OperationKind]: OperationHandler<Extract<Operation, { op: K }>> };
