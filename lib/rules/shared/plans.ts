/** Fix plans with real ids: delete, re-create at narrower scopes, move to a dedicated identity. Pure. */
import type { FixPlan, FixStep } from "@/lib/model/findings";
import { lastSegment } from "@/lib/model/scope";
import type { Identity, RoleAssignment, RoleDefinition } from "@/lib/model/types";
import { roleDefinitionIdOf } from "@/lib/roles/catalog";
import type { RuleContext } from "@/lib/rules/rule-context";
import { azureName } from "./cluster-plans";
import { describeScope } from "./evidence";

export function deleteStep(assignment: RoleAssignment, role: RoleDefinition | undefined): FixStep {
  return {
    kind: "delete-role-assignment",
    roleAssignmentId: assignment.id,
    principalId: assignment.principalId,
    roleName: role?.roleName ?? assignment.roleName ?? assignment.roleDefinitionName,
    scope: assignment.scope,
  };
}

/**
 * The replacement grant of `assignment`: the same principal, `role` at `scope`, and the
 * assignment's condition word for word. A condition only ever narrows a grant, and one that
 * names actions the new role lacks has nothing to guard there, so keeping it can never widen
 * access; dropping it could.
 */
export function createStep(
  assignment: RoleAssignment,
  role: RoleDefinition,
  scope: string,
  alternatives?: { roleDefinitionIds?: string[]; scopes?: string[] },
): FixStep {
  const condition = assignment.condition?.trim();
  const step: FixStep = {
    kind: "create-role-assignment",
    principalId: assignment.principalId,
    principalType: assignment.principalType || "ServicePrincipal",
    roleDefinitionId: role.id || roleDefinitionIdOf(role.name),
    roleName: role.roleName,
    scope,
    ...(condition ? { condition, conditionVersion: assignment.conditionVersion || "2.0" } : {}),
  };
  if (alternatives && ((alternatives.roleDefinitionIds?.length ?? 0) > 0 || (alternatives.scopes?.length ?? 0) > 0)) step.alternatives = alternatives;
  return step;
}

export function removePlan(assignment: RoleAssignment, role: RoleDefinition, summary?: string): FixPlan {
  return { id: "remove", summary: summary ?? `Delete the ${role.roleName} assignment at ${assignment.scope}`, steps: [deleteStep(assignment, role)] };
}

/**
 * Re-create the same role at each narrower scope, then delete the wide assignment (create
 * first so the workload never loses access in between). `alternatives` lists every candidate
 * scope so the wizard can let the user keep only the ones the workload needs.
 */
export function rescopePlan(
  ctx: RuleContext,
  assignment: RoleAssignment,
  role: RoleDefinition,
  scopes: readonly string[],
  options: { id?: string; summary?: string; candidates?: readonly string[]; newRole?: RoleDefinition } = {},
): FixPlan {
  const target = options.newRole ?? role;
  const candidates = [...new Set(options.candidates ?? scopes)];
  const names = scopes.map((s) => describeScope(ctx, s));
  return {
    id: options.id ?? "rescope",
    summary: options.summary ?? `Re-create ${target.roleName} on ${names.join(", ")} and delete the assignment at ${describeScope(ctx, assignment.scope)}`,
    steps: [...scopes.map((s) => createStep(assignment, target, s, candidates.length > 1 ? { scopes: candidates } : undefined)), deleteStep(assignment, role)],
  };
}

/** " with the condition <condition>" when the assignment has one: every grant made in its place must carry it. */
export function keepingCondition(assignment: RoleAssignment): string {
  const condition = assignment.condition?.trim();
  return condition ? ` with the same condition (${condition}, version ${assignment.conditionVersion || "2.0"}); without it the new grant would allow more` : "";
}

/** A plan that tells the operator what to decide when no narrower scope can be computed. */
export function manualRescopePlan(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition, what: string): FixPlan {
  return {
    id: "rescope-manual",
    summary: `Re-create ${role.roleName} for ${identity.displayName} at ${what}, then delete the assignment at ${describeScope(ctx, assignment.scope)}`,
    steps: [
      { kind: "manual", description: `Create ${role.roleName} for ${identity.displayName} (principal ${assignment.principalId}) at ${what}${keepingCondition(assignment)}; the inventory does not show which resources it uses.` },
      deleteStep(assignment, role),
    ],
  };
}

/**
 * "Move the right to a dedicated identity": create a user-assigned identity beside the
 * cluster, then (once Azure has issued its principal id) grant it the role and bind the
 * workload; then delete the grant from the shared identity.
 */
export function moveToDedicatedIdentityPlan(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): FixPlan | undefined {
  const cluster = ctx.cluster(identity.clusterIds[0]);
  if (!cluster) return undefined;
  const rgId = `/subscriptions/${cluster.subscriptionId}/resourceGroups/${cluster.resourceGroup}`;
  const slug = role.roleName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  // A name Azure accepts for the new identity, whatever characters the cluster's name holds.
  const name = azureName(["id", cluster.name, slug], 128);
  const workloads = [...new Set(ctx.linksOf(identity).map((l) => l.workloadId))];
  const who = workloads.length > 0 ? `the workload that needs it (${workloads.map(lastSegment).join(", ")})` : "the one workload that needs it";
  return {
    id: "move-to-dedicated-identity",
    summary: `Create identity ${name}, give it ${role.roleName} at ${describeScope(ctx, assignment.scope)}, bind it to ${who}, then delete the grant from ${identity.displayName}`,
    steps: [
      { kind: "create-managed-identity", resourceGroupId: rgId, name, location: cluster.location },
      {
        kind: "manual",
        description: `Grant ${role.roleName} at ${assignment.scope} to ${name}${keepingCondition(assignment)}, and bind it to ${who} with a federated credential for the cluster's OIDC issuer (Azure Workload Identity).`,
      },
      deleteStep(assignment, role),
    ],
  };
}
