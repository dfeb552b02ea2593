import type { Evidence, FixPlan } from "@/lib/model/findings";
import { normalizeId, resourceGroupIdOf, sameId, subscriptionOf, tryParseScope } from "@/lib/model/scope";
import { IdentityKind, ScopeLevel, type Identity, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { grants } from "@/lib/roles/permissions";
import { appliesTo } from "@/lib/rules/shared/narrowing";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence } from "@/lib/rules/shared/evidence";
import { clustersWhere, workloadAssignments } from "@/lib/rules/shared/identity";
import { removePlan, rescopePlan } from "@/lib/rules/shared/plans";
import type { RuleContext } from "@/lib/rules/rule-context";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

/** Attaching a user-assigned identity to a resource (and so getting its tokens there). */
const ASSIGN = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";
/** Running code on a VM or scale set (extensions, run command, model changes): the code gets the tokens of the identities attached to it. */
const VM_CONTROL: Record<string, readonly string[]> = {
  "microsoft.compute/virtualmachines": ["Microsoft.Compute/virtualMachines/write", "Microsoft.Compute/virtualMachines/extensions/write", "Microsoft.Compute/virtualMachines/runCommand/action"],
  "microsoft.compute/virtualmachinescalesets": ["Microsoft.Compute/virtualMachineScaleSets/write", "Microsoft.Compute/virtualMachineScaleSets/extensions/write"],
};

/** How the holder reaches the target: the identity resource itself, or a VM / scale set it is attached to. */
interface Target {
  identity: Identity;
  /** The object the holder's role acts on. */
  via: string;
  kind: "identity" | "compute";
  computeType?: string;
}

interface StrongGrant {
  assignment: RoleAssignment;
  role: RoleDefinition;
  privileged: boolean;
  /** "Owner at subscription Prod", as a message lists it. */
  held: string;
  evidence: Evidence;
}

interface Targets {
  all: Target[];
  bySub: Map<string, Target[]>;
  byGroup: Map<string, Target[]>;
}

function push<T>(m: Map<string, T[]>, k: string | undefined, v: T) {
  if (!k) return;
  const key = normalizeId(k);
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

function listTargets(ctx: RuleContext): Targets {
  const all: Target[] = [];
  for (const identity of ctx.inventory.identities) {
    if (identity.resourceId) all.push({ identity, via: identity.resourceId, kind: "identity" });
  }
  for (const [type] of Object.entries(VM_CONTROL)) {
    for (const r of ctx.index.resourcesByType.get(type) ?? []) {
      const attached = new Map<string, Identity>();
      for (const uaiId of Object.keys(r.identity?.userAssignedIdentities ?? {})) {
        const i = ctx.index.identityByResourceId.get(normalizeId(uaiId));
        if (i) attached.set(i.key, i);
      }
      const system = ctx.index.identityBySystemAssignedTo.get(normalizeId(r.id)) ?? (r.identity?.principalId ? ctx.identityOfPrincipal(r.identity.principalId) : undefined);
      if (system) attached.set(system.key, system);
      for (const identity of attached.values()) all.push({ identity, via: r.id, kind: "compute", computeType: type });
    }
  }
  const bySub = new Map<string, Target[]>();
  const byGroup = new Map<string, Target[]>();
  for (const t of all) {
    push(bySub, subscriptionOf(t.via), t);
    push(byGroup, resourceGroupIdOf(t.via), t);
  }
  return { all, bySub, byGroup };
}

function targetsUnder(ctx: RuleContext, targets: Targets, scope: string): Target[] {
  const p = tryParseScope(scope);
  if (!p) return [];
  let pool: Target[];
  if (p.level === ScopeLevel.Subscription) pool = targets.bySub.get(normalizeId(p.subscriptionId!)) ?? [];
  else if (p.level === ScopeLevel.ResourceGroup || p.level === ScopeLevel.Resource) pool = targets.byGroup.get(normalizeId(resourceGroupIdOf(scope)!)) ?? [];
  else pool = targets.all;
  return pool.filter((t) => appliesTo(ctx, scope, t.via));
}

export const rule = defineRule(
  {
    id: "identity-escalation-path",
    title: "Workload identity can take over a stronger identity",
    severity: "high",
    description:
      "Flags a workload identity that holds Managed Identity Operator (or any role with userAssignedIdentities/assign/action, such as Contributor) on another identity, or Virtual Machine Contributor / Contributor on a VM or scale set that identity is attached to, when that identity holds privileged or broad rights the holder lacks.",
    rationale: "A two-step path to the stronger identity's rights: attach it (or run code where it is attached) and ask for its token.",
    remediation: "Remove the assignment, or narrow it to the identities (or scale sets) that must be assigned.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.managedIdentityOperator, Ref.vmContributor, Ref.podIdentityRoles, Ref.rbacBestPractices],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    let targets: Targets | undefined;
    const strongMemo = new Map<string, StrongGrant[]>();
    const strongOf = (identity: Identity): StrongGrant[] => {
      let v = strongMemo.get(identity.key);
      if (!v) {
        v = [];
        for (const a of ctx.assignmentsOf(identity)) {
          const role = ctx.roleOf(a);
          const c = role ? ctx.roles.classify(role.name) : undefined;
          if (role && (c?.privileged || c?.broad)) {
            const privileged = !!c.privileged;
            const where = describeScope(ctx, a.scope);
            v.push({
              assignment: a,
              role,
              privileged,
              held: `${role.roleName} at ${where}`,
              evidence: { source: a.id, fact: `${identity.displayName} holds ${role.roleName} at ${where} (${privileged ? "privileged" : "broad"})` },
            });
          }
        }
        strongMemo.set(identity.key, v);
      }
      return v;
    };
    /** The target's privileged/broad grants that none of the holder's own privileged/broad grants already covers. */
    const gainsMemo = new Map<string, Map<string, StrongGrant[]>>();
    const gains = (holder: Identity, target: Identity): StrongGrant[] => {
      let byTarget = gainsMemo.get(holder.key);
      if (!byTarget) {
        byTarget = new Map();
        gainsMemo.set(holder.key, byTarget);
      }
      let gained = byTarget.get(target.key);
      if (!gained) {
        const mine = strongOf(holder);
        gained = strongOf(target).filter((t) => !mine.some((h) => appliesTo(ctx, h.assignment.scope, t.assignment.scope) && (h.privileged || !t.privileged)));
        byTarget.set(target.key, gained);
      }
      return gained;
    };

    // Tens of thousands of findings name the same targets from the same scopes: their facts are
    // built once and shared (read-only), like the assignment evidence.
    const pathFacts = new Map<Target, Map<string, Evidence>>();
    const pathFact = (p: Target, where: string): Evidence => {
      let byWhere = pathFacts.get(p);
      if (!byWhere) pathFacts.set(p, (byWhere = new Map()));
      let fact = byWhere.get(where);
      if (!fact) {
        const name = p.identity.displayName;
        fact = { source: p.via, fact: p.kind === "identity" ? `${name} is a user-assigned identity under ${where}` : `${name} is attached to ${describeScope(ctx, p.via)}` };
        byWhere.set(where, fact);
      }
      return fact;
    };
    const heldText = new WeakMap<StrongGrant[], string>();
    const heldOf = (gained: StrongGrant[]): string => {
      let text = heldText.get(gained);
      if (text === undefined) heldText.set(gained, (text = gained.map((g) => g.held).join(", ")));
      return text;
    };

    for (const { identity: holder, assignment, role } of workloadAssignments(ctx)) {
      const canAssign = grants(role, ASSIGN);
      const computeTypes = Object.entries(VM_CONTROL).filter(([, ops]) => ops.some((o) => grants(role, o))).map(([t]) => t);
      if (!canAssign && computeTypes.length === 0) continue;
      targets ??= listTargets(ctx);
      const reached = targetsUnder(ctx, targets, assignment.scope).filter(
        (t) => t.identity.key !== holder.key && (t.kind === "identity" ? canAssign : computeTypes.includes(t.computeType!)),
      );
      const byTarget = new Map<string, Target[]>();
      for (const t of reached) push(byTarget, t.identity.key, t);
      const where = describeScope(ctx, assignment.scope);
      // The same for every target this assignment reaches: built once, shared by its findings.
      let shared: { evidence: Evidence[]; fixes: FixPlan[] } | undefined;
      const sharedParts = () => {
        if (shared) return shared;
        const fixes: FixPlan[] = [removePlan(assignment, role)];
        const narrow = narrowScopes(ctx, holder, assignment, canAssign, targets!, (t) => gains(holder, t).length === 0);
        if (narrow.length > 0) {
          fixes.push(rescopePlan(ctx, assignment, role, narrow, { id: "narrow", summary: `Narrow ${role.roleName} to ${narrow.map((s) => describeScope(ctx, s)).join(", ")}, none of which reaches a stronger identity` }));
        }
        const evidence = [
          ...assignmentEvidence(ctx, holder, assignment, role),
          roleEvidence(role, [canAssign ? `grants ${ASSIGN}` : "", computeTypes.length ? `controls ${computeTypes.map((t) => t.split("/").pop()).join(" and ")}` : ""].filter(Boolean).join("; ")),
        ];
        shared = { evidence, fixes };
        return shared;
      };
      for (const paths of byTarget.values()) {
        const target = paths[0]!.identity;
        const gained = gains(holder, target);
        if (gained.length === 0) continue;
        const via = paths.map((p) => p.via);
        const how = paths
          .map((p) => (p.kind === "identity" ? `assign ${target.displayName} itself` : `run code on ${describeScope(ctx, p.via)}, which carries ${target.displayName}`))
          .join(", or ");
        const { evidence: assignmentFacts, fixes } = sharedParts();
        const evidence: Evidence[] = [...assignmentFacts, ...paths.map((p) => pathFact(p, where)), ...gained.map((g) => g.evidence)];
        out.push({
          key: [assignment.id, target.key],
          identity: holder,
          assignment,
          targetIds: [target.resourceId ?? target.principalId ?? target.key, ...via.filter((v) => !sameId(v, target.resourceId))],
          message: `The ${identityLabel(holder)} holds ${role.roleName} at ${where}, so it can ${how} and take over the ${identityLabel(target)}, which holds ${heldOf(gained)}.`,
          evidence,
          fixes,
        });
      }
    }
    return out;
  },
);

/**
 * Narrower scopes that keep the holder's legitimate job without the escalation: for a
 * kubelet running aad-pod-identity, the identities bound through AzureIdentity (assign) and
 * the node resource group (scale sets), when none of them reaches a stronger identity.
 */
function narrowScopes(
  ctx: RuleContext,
  holder: Identity,
  assignment: RoleAssignment,
  canAssign: boolean,
  targets: Targets,
  harmless: (t: Identity) => boolean,
): string[] {
  const out: string[] = [];
  for (const cluster of clustersWhere(ctx, holder, IdentityKind.Kubelet)) {
    if (!ctx.runsPodIdentity(cluster)) continue;
    const candidates: string[] = [];
    if (canAssign) {
      for (const ai of ctx.inventory.kubernetes.azureIdentities) if (sameId(ai.clusterId, cluster.id) && ai.resourceId) candidates.push(ai.resourceId);
    } else if (cluster.nodeResourceGroupId) candidates.push(cluster.nodeResourceGroupId);
    for (const s of candidates) {
      if (sameId(s, assignment.scope) || !appliesTo(ctx, assignment.scope, s)) continue;
      const reach = targetsUnder(ctx, targets, s).filter((t) => t.identity.key !== holder.key);
      if (reach.every((t) => harmless(t.identity)) && !out.some((o) => sameId(o, s))) out.push(s);
    }
  }
  return out;
}
