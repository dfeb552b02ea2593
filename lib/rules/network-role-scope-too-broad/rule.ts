import type { Severity } from "@/lib/model/findings";
import { normalizeId, sameId } from "@/lib/model/scope";
import { IdentityKind, ScopeLevel, type RoleAssignment } from "@/lib/model/types";
import { appliesTo } from "@/lib/rules/shared/narrowing";
import { assignmentEvidence, describeScope, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { clustersWhere, hasUse, isSubscriptionOrWider, workloadAssignments } from "@/lib/rules/shared/identity";
import { rescopePlan } from "@/lib/rules/shared/plans";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { isNetworkRole } from "../network-role";
import { clusterNetworkScopes } from "../profiles";
import { Ref } from "../references";

/** RULES.md: virtual network = low, resource group = medium, subscription (or wider) = high. */
function severityFor(assignment: RoleAssignment): Severity {
  if (isSubscriptionOrWider(assignment.scopeLevel)) return "high";
  if (assignment.scopeLevel === ScopeLevel.ResourceGroup) return "medium";
  return "low";
}

export const rule = defineRule(
  {
    id: "network-role-scope-too-broad",
    title: "Control plane's network role is wider than its subnets",
    severity: "medium",
    description:
      "Flags Network Contributor (or a custom role that writes only Microsoft.Network) held by a cluster's control-plane identity at a scope wider than the cluster's subnet(s) and attached route table: virtual network = low, resource group = medium, subscription = high.",
    rationale: "The control plane needs to join load balancers and routes to the AKS subnets; wider, it can rewire every network in the scope.",
    remediation: "Re-create the assignment on each subnet in the agent pools' vnetSubnetID (and the route table if one is attached), then delete the wide one.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.aksNetworkPermissions, Ref.aksManagedIdentity, Ref.rbacScope],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, (i) => hasUse(i, IdentityKind.ControlPlane))) {
      if (!isNetworkRole(role)) continue;
      for (const cluster of clustersWhere(ctx, identity, IdentityKind.ControlPlane)) {
        const { subnets, routeTables } = clusterNetworkScopes(ctx, cluster);
        const needed = [...subnets, ...routeTables];
        if (needed.length === 0 || needed.some((s) => sameId(s, assignment.scope))) continue;
        const covered = needed.filter((s) => appliesTo(ctx, assignment.scope, s));
        // Wider = the scope contains the cluster's network; a network role on some other
        // resource (a public IP, another vnet) is not this rule's concern.
        if (covered.length === 0) continue;
        const severity = severityFor(assignment);
        out.push({
          key: [assignment.id, normalizeId(cluster.id)],
          identity,
          assignment,
          clusterId: cluster.id,
          targetIds: needed,
          baseSeverity: severity,
          adjustSeverity: false,
          message: `The control-plane identity ${identity.displayName} of ${cluster.name} holds ${roleLabel(role)} at ${describeScope(ctx, assignment.scope)}; the cluster only needs it on ${needed.map((s) => describeScope(ctx, s)).join(", ")}.`,
          evidence: [
            ...assignmentEvidence(ctx, identity, assignment, role),
            roleEvidence(role, "writes Microsoft.Network resources"),
            ...subnets.map((s) => ({ source: s, fact: `subnet of an agent pool of ${cluster.name}` })),
            ...routeTables.map((r) => ({ source: r, fact: `route table attached to a subnet of ${cluster.name}` })),
            { source: cluster.id, fact: `severity ${severity}: ${assignment.scopeLevel === "resource" ? "a virtual network" : `a ${assignment.scopeLevel}`} scope` },
          ],
          fixes: [rescopePlan(ctx, assignment, role, needed, { summary: `Re-create ${role.roleName} on ${needed.map((s) => describeScope(ctx, s)).join(", ")} and delete the assignment at ${describeScope(ctx, assignment.scope)}` })],
        });
      }
    }
    return out;
  },
);
