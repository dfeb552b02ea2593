/** Which identities and grants the assignment rules judge: jobs, workload assignments, scope levels. Pure. */
import { normalizeId, scopeLevelRank } from "@/lib/model/scope";
import { IdentityKind, ScopeLevel, type Cluster, type Identity, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import type { RuleContext } from "@/lib/rules/rule-context";

/** The identity's jobs, as RULES.md "Terms" names them. */
export function hasUse(identity: Identity, kind: IdentityKind): boolean {
  return identity.uses.some((u) => u.kind === kind);
}

/**
 * App identity (RULES.md "App identities"): an identity whose most specific job is being used
 * by pods. A kubelet identity that an app also reaches (AZURE_CLIENT_ID) stays a kubelet
 * identity: app-only rules judge app identities, the kubelet rules judge the kubelet.
 */
export function isAppIdentity(identity: Identity): boolean {
  return identity.kind === IdentityKind.App;
}

/** AKS identities: control plane, kubelet, add-ons. */
export function isAksIdentity(identity: Identity): boolean {
  return identity.uses.some((u) => u.kind === IdentityKind.ControlPlane || u.kind === IdentityKind.Kubelet || u.kind === IdentityKind.Addon);
}

/** Clusters for which the identity does the given job. */
export function clustersWhere(ctx: RuleContext, identity: Identity, kind: IdentityKind): Cluster[] {
  const out = new Map<string, Cluster>();
  for (const u of identity.uses) {
    if (u.kind !== kind) continue;
    const c = ctx.cluster(u.clusterId);
    if (c) out.set(normalizeId(c.id), c);
  }
  return [...out.values()];
}

export interface WorkloadAssignment {
  identity: Identity;
  assignment: RoleAssignment;
  role: RoleDefinition;
}

const triplesMemo = new WeakMap<RuleContext, WorkloadAssignment[]>();

/**
 * Every (workload identity, assignment, role) triple; assignments whose role cannot be resolved
 * are skipped (nothing to judge). Listed once per context: a dozen rules walk all of them, and
 * resolving 100k roles (and allocating a triple each) per rule added up to a second.
 */
export function workloadAssignments(ctx: RuleContext, filter?: (identity: Identity) => boolean): readonly WorkloadAssignment[] {
  let all = triplesMemo.get(ctx);
  if (!all) {
    all = [];
    for (const identity of ctx.workloadIdentities) {
      for (const assignment of ctx.assignmentsOf(identity)) {
        const role = ctx.roleOf(assignment);
        if (role) all.push({ identity, assignment, role });
      }
    }
    triplesMemo.set(ctx, all);
  }
  return filter ? all.filter((t) => filter(t.identity)) : all;
}

export function isWiderThanResource(assignment: RoleAssignment): boolean {
  return scopeLevelRank(assignment.scopeLevel) < scopeLevelRank(ScopeLevel.Resource);
}

export function isSubscriptionOrWider(level: ScopeLevel): boolean {
  return scopeLevelRank(level) <= scopeLevelRank(ScopeLevel.Subscription);
}
