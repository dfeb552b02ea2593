/** How findings read: scopes, roles and identities in words, and the evidence of an assignment. Pure. */
import type { Evidence } from "@/lib/model/findings";
import { nameLookupsOf } from "@/lib/inventory/names";
import { scopeLabel, type NameLookups } from "@/lib/model/names";
import { IdentityJobNoun } from "@/lib/model/vocabulary";
import { IdentityKind, type Identity, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { roleDefinitionIdOf } from "@/lib/roles/catalog";
import type { RuleContext } from "@/lib/rules/rule-context";
import { conditionEffect } from "./conditions";

const lookups = new WeakMap<RuleContext, NameLookups>();

/** "resource group rg-x", "subscription Contoso Prod", "management group Platform", "storage account st1": the one scope namer, over this scan's names. */
export function describeScope(ctx: RuleContext, scope: string): string {
  let names = lookups.get(ctx);
  if (!names) {
    names = nameLookupsOf(ctx.index);
    lookups.set(ctx, names);
  }
  return scopeLabel(scope, names);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
}

export function roleLabel(role: RoleDefinition): string {
  return role.roleType === "CustomRole" ? `custom role "${role.roleName}"` : role.roleName;
}

/** "kubelet identity aks-prod-agentpool": the identity's job and name, as a sentence names it. */
export function identityLabel(identity: Identity): string {
  return `${IdentityJobNoun[identity.kind]} ${identity.displayName}`;
}

/** Evidence naming the assignment, its role definition and the identity's jobs. */
export function assignmentEvidence(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): Evidence[] {
  const out: Evidence[] = [
    { source: assignment.id, fact: `${identity.displayName} holds ${role.roleName} at ${describeScope(ctx, assignment.scope)} (${assignment.scopeLevel} scope)` },
  ];
  const condition = conditionEffect(assignment, role);
  if (condition) out.push({ source: assignment.id, fact: `the assignment carries ${condition.summary}` });
  for (const use of identity.uses) {
    const cluster = ctx.cluster(use.clusterId);
    if (!cluster) continue;
    const job =
      use.kind === IdentityKind.Addon
        ? `the ${use.addon} add-on identity`
        : use.kind === IdentityKind.App
          ? `used by pods through ${use.mechanism ?? "a workload link"}`
          : `the ${use.kind} identity`;
    out.push({ source: cluster.id, fact: `${identity.displayName} is ${job} of cluster ${cluster.name}` });
  }
  return out;
}

export function roleEvidence(role: RoleDefinition, fact: string): Evidence {
  return { source: role.id || roleDefinitionIdOf(role.name), fact: `${role.roleName} (${role.roleType === "CustomRole" ? "custom" : "built-in"}): ${fact}` };
}
