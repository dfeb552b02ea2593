import type { Operation, OperationOutcome } from "../types";
import { createAppFederatedCredentialOp, deleteAppFederatedCredentialOp } from "./app-federated-credential";
import { createFederatedCredentialOp, deleteFederatedCredentialOp } from "./federated-credential";
import type { BeforeNotice, OperationContext, OperationHandler, OperationHandlers } from "./handler";
import { kubernetesApplyOp, kubernetesDeleteOp } from "./kubernetes";
import { createManagedIdentityOp, deleteManagedIdentityOp } from "./managed-identity";
import { createRoleAssignmentOp, deleteRoleAssignmentOp } from "./role-assignment";

export { ChangedSinceScanError, OperationError } from "./errors";
export { restoreManifest } from "./kubernetes";
export type { OperationContext } from "./handler";

/** The handler of every operation kind. */
export const operationHandlers: OperationHandlers = {
  "create-role-assignment": createRoleAssignmentOp,
  "delete-role-assignment": deleteRoleAssignmentOp,
  "create-federated-credential": createFederatedCredentialOp,
  "delete-federated-credential": deleteFederatedCredentialOp,
  "create-app-federated-credential": createAppFederatedCredentialOp,
  "delete-app-federated-credential": deleteAppFederatedCredentialOp,
  "create-managed-identity": createManagedIdentityOp,
  "delete-managed-identity": deleteManagedIdentityOp,
  "kubernetes-apply": kubernetesApplyOp,
  "kubernetes-delete": kubernetesDeleteOp,
};

/** The handler of an operation's kind. Handlers' methods take their own kind only, which the table guarantees. */
export function handlerOf(operation: Operation): OperationHandler<Operation> {
  return operationHandlers[operation.op] as OperationHandler<Operation>;
}

/**
 * Performs one operation (see OperationHandler.run). `onBefore` hears the object as read
 * before the write, so the caller can record it before anything is sent.
 */
export function executeOperation(ctx: OperationContext, operation: Operation, opts: { onBefore?: BeforeNotice } = {}): Promise<OperationOutcome> {
  return handlerOf(operation).run(ctx, operation, opts.onBefore ?? (async () => {}));
}

/**
 * The operation that reverses a done one, from what the audit recorded; undefined when it
 * changed nothing. Deleted role assignments come back under their original name with the same
 * role, scope and principal; a deleted identity comes back with a new principal (Azure never
 * reuses one).
 */
export function inverseOperation(operation: Operation, outcome: OperationOutcome): Operation | undefined {
  if (outcome.noop) return undefined;
  return handlerOf(operation).inverse(operation, outcome);
}

/** The object an operation writes, for the audit's target column, the dry run and the wizard. */
export function operationTarget(operation: Operation): string {
  return handlerOf(operation).target(operation);
}

/** Whether the operation removes an object (it runs after every creation). */
export function isDeleteOperation(operation: Operation): boolean {
  return handlerOf(operation).deletes;
}

/** Whether the operation writes to a cluster's Kubernetes API. */
export function isKubernetesOperation(operation: Operation): boolean {
  return handlerOf(operation).kubernetes === true;
}
