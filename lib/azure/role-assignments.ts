import type { PrincipalType } from "@azure/arm-authorization";
import type { AzureClients } from "@/lib/azure/clients";
import { errorStatus } from "@/lib/model/source-error";
import { normalizeId, roleDefinitionGuid, subscriptionOf } from "@/lib/model/scope";

/**
 * One role assignment as the authorization SDK returns it (properties flattened), as plain
 * JSON. The audit log keeps this shape as a step's before/after, and undo reads it back.
 */
export interface RoleAssignmentState {
  id?: string;
  name?: string;
  scope?: string;
  roleDefinitionId?: string;
  principalId?: string;
  principalType?: string;
  [field: string]: unknown;
}

/** A role assignment by where it lives: its scope and its GUID name. */
export interface RoleAssignmentRef {
  scope: string;
  name: string;
}

export interface NewRoleAssignment extends RoleAssignmentRef {
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  /** An ABAC condition; ARM accepts conditionVersion "2.0" only. */
  condition?: string;
  conditionVersion?: string;
}

const plain = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * The SDK's authorization client is built per subscription even for scope-based calls; a scope
 * above every subscription (a management group, the root) goes through `anySubscriptionId`'s.
 */
function authorizationFor(clients: AzureClients, scope: string, anySubscriptionId: string) {
  return clients.authorization(subscriptionOf(scope) ?? anySubscriptionId);
}

/** `<scope>/providers/Microsoft.Authorization/roleAssignments/<name>`; the root scope has no prefix. */
export function roleAssignmentId(ref: RoleAssignmentRef): string {
  return `${ref.scope === "/" ? "" : ref.scope}/providers/Microsoft.Authorization/roleAssignments/${ref.name}`;
}

/** The scope and name of a role assignment id, or undefined when it is not one. */
export function parseRoleAssignmentId(id: string): RoleAssignmentRef | undefined {
  const m = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/([^/]+)$/is.exec(id);
  return m ? { scope: m[1] || "/", name: m[2]! } : undefined;
}

/** `GET {scope}/providers/Microsoft.Authorization/roleAssignments/{name}`; undefined on 404. */
export async function getRoleAssignment(clients: AzureClients, ref: RoleAssignmentRef, anySubscriptionId: string): Promise<RoleAssignmentState | undefined> {
  try {
    return plain(await authorizationFor(clients, ref.scope, anySubscriptionId).roleAssignments.get(ref.scope, ref.name));
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw error;
  }
}

/** `PUT` of a new role assignment; ARM answers 409 RoleAssignmentExists when the same grant exists under another name. */
export async function createRoleAssignment(clients: AzureClients, assignment: NewRoleAssignment, anySubscriptionId: string): Promise<void> {
  await authorizationFor(clients, assignment.scope, anySubscriptionId).roleAssignments.create(assignment.scope, assignment.name, {
    roleDefinitionId: assignment.roleDefinitionId,
    principalId: assignment.principalId,
    principalType: assignment.principalType as PrincipalType,
    ...(assignment.condition ? { condition: assignment.condition, conditionVersion: assignment.conditionVersion || "2.0" } : {}),
  });
}

/** `DELETE` of a role assignment by scope and name. */
export async function deleteRoleAssignment(clients: AzureClients, ref: RoleAssignmentRef, anySubscriptionId: string): Promise<void> {
  await authorizationFor(clients, ref.scope, anySubscriptionId).roleAssignments.delete(ref.scope, ref.name);
}

/**
 * The assignment granting `roleDefinitionId` to `principalId` exactly at `scope`, whatever its
 * name. ARM does not combine atScope() with principalId (400 UnsupportedQuery), so it lists the
 * principal's assignments that apply at the scope (`principalId eq '…'`, inherited and below ones
 * included) and keeps the one at exactly the scope. A failed list is an error, not "none".
 */
export async function findRoleAssignment(
  clients: AzureClients,
  grant: { scope: string; principalId: string; roleDefinitionId: string },
  anySubscriptionId: string,
): Promise<RoleAssignmentState | undefined> {
  // An OData string literal doubles its quotes; principal ids are GUIDs, but this one comes from a plan.
  const filter = `principalId eq '${grant.principalId.replace(/'/g, "''")}'`;
  for await (const a of authorizationFor(clients, grant.scope, anySubscriptionId).roleAssignments.listForScope(grant.scope, { filter })) {
    if (normalizeId(a.scope ?? "") === normalizeId(grant.scope) && roleDefinitionGuid(a.roleDefinitionId ?? "") === roleDefinitionGuid(grant.roleDefinitionId)) return plain(a);
  }
  return undefined;
}
