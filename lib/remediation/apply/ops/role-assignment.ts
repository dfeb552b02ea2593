import { randomUUID } from "node:crypto";
import {
  createRoleAssignment,
  deleteRoleAssignment,
  findRoleAssignment,
  getRoleAssignment,
  parseRoleAssignmentId,
  roleAssignmentId,
  type RoleAssignmentRef,
  type RoleAssignmentState,
} from "@/lib/azure/role-assignments";
import { errorStatus } from "@/lib/model/source-error";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { Operation } from "../types";
import { attempt, ChangedSinceScanError, errorFacts, OperationError, wrap } from "./errors";
import type { OperationHandler } from "./handler";

type Create = Extract<Operation, { op: "create-role-assignment" }>;
type Delete = Extract<Operation, { op: "delete-role-assignment" }>;

interface Grant {
  roleDefinitionId: string;
  principalId: string;
  scope: string;
  /** Compared when set: a re-created grant must read back with its condition. */
  condition?: string;
}

/** Why `a` is not the grant `b` (role, principal, scope), or undefined when it is. */
function differs(a: RoleAssignmentState, b: Grant): string | undefined {
  if (roleDefinitionGuid(a.roleDefinitionId ?? "") !== roleDefinitionGuid(b.roleDefinitionId)) return `its role is now ${a.roleDefinitionId}, the scan saw ${b.roleDefinitionId}`;
  if ((a.principalId ?? "").toLowerCase() !== b.principalId.toLowerCase()) return `its principal is now ${a.principalId}, the scan saw ${b.principalId}`;
  if (normalizeId(a.scope ?? "") !== normalizeId(b.scope)) return `its scope is now ${a.scope}, the scan saw ${b.scope}`;
  if (b.condition !== undefined && (a.condition ?? "") !== b.condition) return `its condition is ${a.condition ? `now ${a.condition}` : "gone"}, the plan wanted ${b.condition}`;
  return undefined;
}

function refOf(id: string): RoleAssignmentRef {
  const ref = parseRoleAssignmentId(id);
  if (!ref) throw new OperationError(`not a role assignment id: ${id}`);
  return ref;
}

export const createRoleAssignmentOp: OperationHandler<Create> = {
  deletes: false,
  target: (op) => roleAssignmentId(op),
  async run(ctx, op, onBefore) {
    const sub = ctx.fallbackSubscriptionId;
    await onBefore(undefined);
    try {
      await createRoleAssignment(ctx.azure, op, sub);
    } catch (error) {
      if (errorStatus(error) === 409 && errorFacts(error).code === "RoleAssignmentExists") {
        // Someone (or an earlier retry) granted exactly this already: the goal is met, and undo must leave it.
        const existing = await attempt(`find the existing ${op.roleName ?? op.roleDefinitionId} of ${op.principalId} at ${op.scope}`, () => findRoleAssignment(ctx.azure, op, sub));
        if (existing && (existing.condition ?? undefined) !== (op.condition ?? undefined)) {
          // The same role, principal and scope under another condition is not this grant: ARM keeps one of each.
          throw new OperationError(`${existing.id} already grants ${op.roleName ?? op.roleDefinitionId} to ${op.principalId} at ${op.scope} with ${existing.condition ? `the condition ${existing.condition}` : "no condition"}; the plan wanted ${op.condition ? `the condition ${op.condition}` : "none"}. Nothing was created.`, 409, "RoleAssignmentExists");
        }
        return { after: existing, noop: true, note: "already existed (409 RoleAssignmentExists): counted as done" };
      }
      throw wrap(error, `create ${op.roleName ?? op.roleDefinitionId} for ${op.principalId} at ${op.scope}`);
    }
    const readBack = await attempt(`read back the new assignment ${op.name} at ${op.scope}`, () => getRoleAssignment(ctx.azure, op, sub));
    if (!readBack) throw new OperationError(`could not read back the new assignment ${op.name} at ${op.scope}: it is not there`, 404);
    const mismatch = differs(readBack, op);
    if (mismatch) throw new OperationError(`the new assignment ${readBack.id} does not read back as created: ${mismatch}`);
    return { after: readBack };
  },
  inverse: (op) => ({
    op: "delete-role-assignment",
    id: roleAssignmentId(op),
    expected: { roleDefinitionId: op.roleDefinitionId, principalId: op.principalId, scope: op.scope },
    missingIsDone: true,
    roleName: op.roleName,
  }),
};

export const deleteRoleAssignmentOp: OperationHandler<Delete> = {
  deletes: true,
  target: (op) => op.id,
  async run(ctx, op, onBefore) {
    const ref = refOf(op.id);
    const sub = ctx.fallbackSubscriptionId;
    const current = await attempt(`re-read ${op.id} before deleting it`, () => getRoleAssignment(ctx.azure, ref, sub));
    await onBefore(current);
    if (!current) {
      if (op.missingIsDone) return { noop: true, note: "already gone" };
      throw new ChangedSinceScanError(`the assignment ${op.id} no longer exists; it was removed after the scan. Nothing was deleted; rescan to see the current grants.`);
    }
    const mismatch = differs(current, op.expected);
    if (mismatch) throw new ChangedSinceScanError(`the assignment ${op.id} changed since the scan (${mismatch}); it was not deleted. Rescan and review the fix again.`);
    await attempt(`delete ${op.id}`, () => deleteRoleAssignment(ctx.azure, ref, sub));
    const still = await attempt(`confirm ${op.id} is deleted`, () => getRoleAssignment(ctx.azure, ref, sub));
    if (still) throw new OperationError(`${op.id} still exists after it was deleted`);
    return { before: current };
  },
  inverse(op, outcome) {
    const before = (outcome.before ?? {}) as RoleAssignmentState;
    // Recreated under the original name: ARM frees a role assignment's name when it is deleted,
    // and the same id keeps audit trails and finding ids (keyed by assignment id) stable.
    const originalName = op.id.split("/").filter(Boolean).pop();
    return {
      op: "create-role-assignment",
      scope: before.scope ?? op.expected.scope,
      name: originalName && /^[0-9a-f-]{36}$/i.test(originalName) ? originalName : randomUUID(),
      roleDefinitionId: before.roleDefinitionId ?? op.expected.roleDefinitionId,
      principalId: before.principalId ?? op.expected.principalId,
      principalType: before.principalType ?? "ServicePrincipal",
      roleName: op.roleName,
      // Undo restores the grant as it was, condition and all.
      ...(typeof before.condition === "string" && before.condition ? { condition: before.condition, conditionVersion: typeof before.conditionVersion === "string" ? before.conditionVersion : "2.0" } : {}),
    };
  },
};
