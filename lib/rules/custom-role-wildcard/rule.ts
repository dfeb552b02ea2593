import { wildcardActions } from "@/lib/roles/classify";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence } from "@/lib/rules/shared/evidence";
import { removePlan } from "@/lib/rules/shared/plans";
import { workloadAssignments } from "@/lib/rules/shared/identity";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

export const rule = defineRule(
  {
    id: "custom-role-wildcard",
    title: "Custom role with a wildcard action assigned to a workload identity",
    severity: "medium",
    description: "Flags a custom role assigned to a workload identity whose effective actions or data actions contain a wildcard (`*` or `Provider/*`).",
    rationale: "A wildcard grows silently as providers add operations: the role grants tomorrow what nobody reviewed today.",
    remediation: "Narrow the role's actions to the operations the workload needs.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.customRoles, Ref.rbacBestPractices],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx)) {
      if (role.roleType !== "CustomRole") continue;
      const wildcards = wildcardActions(role);
      if (wildcards.length === 0) continue;
      const patterns = wildcards.map((w) => `${w.pattern}${w.data ? " (data)" : ""}`);
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        targetIds: [role.id],
        message: `The ${identityLabel(identity)} holds custom role "${role.roleName}" at ${describeScope(ctx, assignment.scope)}; the role grants ${patterns.join(", ")}, which includes every operation those providers add in future.`,
        evidence: [...assignmentEvidence(ctx, identity, assignment, role), roleEvidence(role, `wildcard ${wildcards.length === 1 ? "action" : "actions"}: ${patterns.join(", ")}`)],
        fixes: [
          {
            id: "narrow-role",
            summary: `Replace ${patterns.join(", ")} in "${role.roleName}" with the operations ${identity.displayName} uses`,
            steps: [
              {
                kind: "manual",
                description: `Edit role definition ${role.id} ("${role.roleName}"): replace ${patterns.join(", ")} with the concrete operations ${identity.displayName} needs (az role definition update), then re-check the other assignments of this role.`,
              },
            ],
          },
          removePlan(assignment, role),
        ],
      });
    }
    return out;
  },
);
