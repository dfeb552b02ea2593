/** How findings read: scopes, roles and identities in words, and the evidence of an assignment. Pure. */
import type { Evidence } from "@/lib/model/findings";
import { nameLookupsOf } from "@/lib/inventory/names";
import { scopeLabel, type NameLookups } from "@/lib/model/names";
import { IdentityJobNoun } from "@/lib/model/vocabulary";
import { IdentityKind, type Identity, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { roleDefinitionIdOf } from "@/lib/roles/catalog";
import type { RuleContext } from "@/lib/rules/rule-context";
import { conditionEffect } from "./conditions";

const labels = new WeakMap<RuleContext, { names: NameLookups; byScope: Map<string, string> }>();

/** "resource group rg-x", "subscription Contoso Prod", "management group Platform", "storage account st1": the one scope namer, over this scan's names. */
export function describeScope(ctx: RuleContext, scope: string): string {
  let memo = labels.get(ctx);
  if (!memo) {
    memo = { names: nameLookupsOf(ctx.index), byScope: new Map() };
    labels.set(ctx, memo);
  }
  // Findings name the same few thousand scopes over and over; each label walks the management-group chain.
  let label = memo.byScope.get(scope);
  if (label === undefined) {
    label = scopeLabel(scope, memo.names);
    memo.byScope.set(scope, label);
  }
  return label;
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

const assignmentEvidenceMemo = new WeakMap<RuleContext, WeakMap<RoleAssignment, { identity: Identity; role: RoleDefinition; evidence: readonly Evidence[] }[]>>();

/**
 * Evidence naming the assignment, its role definition and the identity's jobs. Several rules
 * judge the same assignment; they share these (read-only) evidence objects instead of each
 * building its own copy.
 */
export function assignmentEvidence(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): readonly Evidence[] {
  let byAssignment = assignmentEvidenceMemo.get(ctx);
  if (!byAssignment) {
    byAssignment = new WeakMap();
    assignmentEvidenceMemo.set(ctx, byAssignment);
  }
  let entries = byAssignment.get(assignment);
  if (!entries) {
    entries = [];
    byAssignment.set(assignment, entries);
  }
  const hit = entries.find((e) => e.identity === identity && e.role === role);
  if (hit) return hit.evidence;
  const evidence: Evidence[] = [{ source: assignment.id, fact: `${identity.displayName} holds ${role.roleName} at ${describeScope(ctx, assignment.scope)} (${assignment.scopeLevel} scope)` }];
  const condition = conditionEffect(assignment, role);
  if (condition) evidence.push({ source: assignment.id, fact: `the assignment carries ${condition.summary}` });
  evidence.push(...identityJobEvidence(ctx, identity));
  entries.push({ identity, role, evidence });
  return evidence;
}

const jobEvidenceMemo = new WeakMap<RuleContext, WeakMap<Identity, readonly Evidence[]>>();

/** "<identity> is the kubelet identity of cluster aks-1", one per job. */
function identityJobEvidence(ctx: RuleContext, identity: Identity): readonly Evidence[] {
  let byIdentity = jobEvidenceMemo.get(ctx);
  if (!byIdentity) {
    byIdentity = new WeakMap();
    jobEvidenceMemo.set(ctx, byIdentity);
  }
  const hit = byIdentity.get(identity);
  if (hit) return hit;
  const out: Evidence[] = [];
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
  byIdentity.set(identity, out);
  return out;
}

export function roleEvidence(role: RoleDefinition, fact: string): Evidence {
  return { source: role.id || roleDefinitionIdOf(role.name), fact: `${role.roleName} (${role.roleType === "CustomRole" ? "custom" : "built-in"}): ${fact}` };
}
