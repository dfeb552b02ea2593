import type { FixPlan } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { IdentityKind, type Identity, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { clustersWhere, workloadAssignments } from "@/lib/rules/shared/identity";
import { createStep, deleteStep, removePlan } from "@/lib/rules/shared/plans";
import { registriesUsedBy } from "@/lib/rules/shared/narrowing";
import type { RuleContext } from "@/lib/rules/rule-context";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { clusterNetworkScopes } from "../profiles";
import { Ref } from "../references";

/**
 * The profile grants (RULES.md "Role profiles") that replace a broad role for each AKS job
 * of the identity: what the job actually needs, at the profile's scope.
 */
function profileReplacement(ctx: RuleContext, identity: Identity): { role: RoleDefinition; scope: string; why: string }[] {
  const out: { role: RoleDefinition; scope: string; why: string }[] = [];
  const push = (guid: string, scope: string, why: string) => {
    const role = ctx.roles.get(guid);
    if (role && !out.some((x) => x.role.name === role.name && normalizeId(x.scope) === normalizeId(scope))) out.push({ role, scope, why });
  };
  for (const c of clustersWhere(ctx, identity, IdentityKind.ControlPlane)) {
    const n = clusterNetworkScopes(ctx, c);
    for (const s of [...n.subnets, ...n.routeTables]) push(BuiltinRoleId.NetworkContributor, s, `the network of cluster ${c.name}`);
  }
  for (const c of clustersWhere(ctx, identity, IdentityKind.Kubelet)) {
    for (const r of registriesUsedBy(ctx, c)) push(BuiltinRoleId.AcrPull, r.id, `images of cluster ${c.name} come from ${r.name}`);
  }
  for (const u of identity.uses) {
    const c = ctx.cluster(u.clusterId);
    if (u.kind === IdentityKind.Addon && c && /^oms|azuremonitor/i.test(u.addon ?? "")) push(BuiltinRoleId.MonitoringMetricsPublisher, c.id, "Container Insights publishes metrics");
  }
  return out;
}

function replacePlan(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): FixPlan | undefined {
  const repl = profileReplacement(ctx, identity);
  if (repl.length === 0) return undefined;
  return {
    id: "replace-with-profile",
    summary: `Replace ${role.roleName} with ${repl.map((r) => `${r.role.roleName} on ${describeScope(ctx, r.scope)}`).join(", ")}`,
    steps: [...repl.map((r) => createStep(assignment, r.role, r.scope)), deleteStep(assignment, role)],
  };
}

export const rule = defineRule(
  {
    id: "broad-role-on-workload-identity",
    title: "Workload identity holds Contributor or another broad role",
    severity: "high",
    description:
      "Flags a workload identity holding a role that is not privileged but whose effective actions write across every provider (actions include `*`), such as Contributor or custom roles like it.",
    rationale: "Write access to every resource type under the scope: one stolen token changes anything there.",
    remediation: "Replace it with the specific role the identity's job needs (see the role profiles) at the narrowest scope.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.rbacBestPractices, Ref.builtinRoles, Ref.aksManagedIdentity],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx)) {
      const c = ctx.roles.classify(role.name);
      if (!c?.broad) continue;
      const where = describeScope(ctx, assignment.scope);
      const fixes: FixPlan[] = [];
      const replace = replacePlan(ctx, identity, assignment, role);
      if (replace) fixes.push(replace);
      fixes.push(removePlan(assignment, role, `Delete the ${role.roleName} assignment of ${identity.displayName} at ${where}`));
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        message: `The ${identityLabel(identity)} holds ${roleLabel(role)} at ${where}: write access to every resource type there, not just the ones its job needs.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, broadFact(role)),
        ],
        fixes,
      });
    }
    return out;
  },
);

/** Names the wildcard actions that make the role broad, and what its notActions take away. */
function broadFact(role: RoleDefinition): string {
  const wild = [...new Set(role.permissions.flatMap((p) => p.actions).filter((a) => a.includes("*") && !/\/read$/i.test(a)))];
  const not = [...new Set(role.permissions.flatMap((p) => p.notActions))];
  const actions = wild.length > 0 ? `its actions include ${wild.map((a) => `"${a}"`).join(", ")}` : "its actions reach every provider";
  const except = not.length > 0 ? `; notActions remove ${not.slice(0, 4).map((a) => `"${a}"`).join(", ")}${not.length > 4 ? ` and ${not.length - 4} more` : ""}` : "";
  return `write access under every provider: ${actions}${except}, so it cannot grant roles`;
}
