import { ROLE_ASSIGNMENT_WRITE } from "@/lib/roles/classify";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { conditionEffect } from "@/lib/rules/shared/conditions";
import { removePlan } from "@/lib/rules/shared/plans";
import { workloadAssignments } from "@/lib/rules/shared/identity";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

export const rule = defineRule(
  {
    id: "privileged-role-on-workload-identity",
    title: "Workload identity holds a privileged role",
    severity: "critical",
    description: "Flags a workload identity (AKS or app identity) holding a role whose effective permissions include Microsoft.Authorization/roleAssignments/write, at any scope.",
    rationale:
      "Whoever can get a token for the identity (any pod that can reach it, anyone who can exec on a node for the kubelet identity) can grant itself anything under that scope.",
    remediation: "Remove the assignment; if the workload has a declared need, replace it with the narrowest role that covers that need.",
    conditions: "A condition that constrains the role assignments the identity may write (delegation with conditions: which roles, to which principals) still lets it grant what the condition allows: the finding stays at high instead of critical and names the condition. Any other condition leaves the role's control-plane actions unconditioned and is judged like none. Fixes keep the condition.",
    benchmarks: [Control.mcsbPA1, Control.mcsbPA7],
    references: [Ref.rbacBestPractices, Ref.builtinRoles, Ref.aksIdentityConcepts],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx)) {
      if (!ctx.roles.classify(role.name)?.privileged) continue;
      const where = describeScope(ctx, assignment.scope);
      const delegation = conditionEffect(assignment, role)?.guardsRoleAssignmentWrite === true;
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        ...(delegation ? { baseSeverity: "high" as const } : {}),
        message: delegation
          ? `The ${identityLabel(identity)} holds ${roleLabel(role)} at ${where} with a condition on the role assignments it may write: anything that obtains a token for ${identity.displayName} can still grant whatever roles the condition allows under ${where}.`
          : `The ${identityLabel(identity)} holds ${roleLabel(role)} at ${where}. ${role.roleName} can create role assignments, so anything that obtains a token for ${identity.displayName} can grant itself any role under ${where}.`,
        evidence: [...assignmentEvidence(ctx, identity, assignment, role), roleEvidence(role, `grants ${ROLE_ASSIGNMENT_WRITE} after its notActions`)],
        fixes: [removePlan(assignment, role, `Delete the ${role.roleName} assignment of ${identity.displayName} at ${where}`)],
      });
    }
    return out;
  },
);
