import { createUserAssignedIdentity, deleteUserAssignedIdentity, getUserAssignedIdentity, userAssignedIdentityId, type UserAssignedIdentityState } from "@/lib/azure/identity-writes";
import { parseScope } from "@/lib/model/scope";
import type { Operation } from "../types";
import { attempt, ChangedSinceScanError, OperationError } from "./errors";
import type { OperationHandler } from "./handler";

type Create = Extract<Operation, { op: "create-managed-identity" }>;
type Delete = Extract<Operation, { op: "delete-managed-identity" }>;

/** User-assigned managed identities (ARM, Microsoft.ManagedIdentity). */
export const createManagedIdentityOp: OperationHandler<Create> = {
  deletes: false,
  keepsExisting: true,
  target: (op) => userAssignedIdentityId(op.resourceGroupId, op.name),
  async run(ctx, op, onBefore) {
    const rg = parseScope(op.resourceGroupId);
    if (!rg.subscriptionId || !rg.resourceGroup) throw new OperationError(`not a resource group id: ${op.resourceGroupId}`);
    const id = userAssignedIdentityId(op.resourceGroupId, op.name);
    const before = await attempt(`read ${id}`, () => getUserAssignedIdentity(ctx.azure, id));
    await onBefore(before);
    if (before) return { before, after: before, noop: true, note: "the identity already existed: it is used as is and left in place on undo" };
    await attempt(`create managed identity ${id}`, () => createUserAssignedIdentity(ctx.azure, id, { location: op.location, ...(op.tags ? { tags: op.tags } : {}) }));
    const after = await attempt(`read back ${id}`, () => getUserAssignedIdentity(ctx.azure, id));
    if (!after) throw new OperationError(`could not read back ${id}: it is not there`, 404);
    return { after };
  },
  inverse: (op) => ({ op: "delete-managed-identity", id: userAssignedIdentityId(op.resourceGroupId, op.name), missingIsDone: true }),
};

export const deleteManagedIdentityOp: OperationHandler<Delete> = {
  deletes: true,
  target: (op) => op.id,
  async run(ctx, op, onBefore) {
    const before = await attempt(`read ${op.id}`, () => getUserAssignedIdentity(ctx.azure, op.id));
    await onBefore(before);
    if (!before) {
      if (op.missingIsDone) return { noop: true, note: "already gone" };
      throw new ChangedSinceScanError(`the identity ${op.id} no longer exists; rescan before applying`);
    }
    await attempt(`delete ${op.id}`, () => deleteUserAssignedIdentity(ctx.azure, op.id));
    return { before };
  },
  // Azure never reuses a principal: the identity comes back with a new one, which undo's result notes.
  inverse(op, outcome) {
    const before = outcome.before as UserAssignedIdentityState & { location: string };
    const p = parseScope(op.id);
    return { op: "create-managed-identity", resourceGroupId: `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}`, name: p.resourceName!, location: before.location, ...(before.tags ? { tags: before.tags } : {}) };
  },
};
