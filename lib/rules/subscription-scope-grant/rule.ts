import type { FixPlan } from "@/lib/model/findings";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { isSubscriptionOrWider, workloadAssignments } from "@/lib/rules/shared/identity";
import { manualRescopePlan, rescopePlan } from "@/lib/rules/shared/plans";
import { narrowerScopesFor } from "@/lib/rules/shared/narrowing";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

export const rule = defineRule(
  {
    id: "subscription-scope-grant",
    title: "Workload identity holds a non-reader role at subscription or management-group scope",
    severity: "high",
    description: "Flags a workload identity holding any role other than a Reader-class role at subscription or management-group scope.",
    rationale: "Lock scope down to the smallest of subscription, resource group, resource: a subscription-wide grant reaches every resource, including ones created later.",
    remediation: "Move the assignment to the resource group or resource the identity actually uses.",
    conditions: "A condition narrows only storage data actions, never the subscription-wide reach of the rest of the role, and a container-name condition does not keep out storage accounts created later with that container: a conditioned assignment is judged like an unconditioned one (the evidence names the condition), and the narrower assignments the fix creates keep it.",
    benchmarks: [Control.mcsbPA7],
    references: [Ref.rbacScope, Ref.rbacBestPractices, Ref.aksIdentityConcepts],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx)) {
      if (!isSubscriptionOrWider(assignment.scopeLevel)) continue;
      const c = ctx.roles.classify(role.name);
      if (!c || c.readerClass) continue;
      const where = describeScope(ctx, assignment.scope);
      const narrower = narrowerScopesFor(ctx, identity, assignment, role);
      const fixes: FixPlan[] = [
        narrower.scopes.length > 0
          ? rescopePlan(ctx, assignment, role, narrower.scopes, { candidates: narrower.candidates })
          : manualRescopePlan(ctx, identity, assignment, role, "the resource group or resources it uses"),
      ];
      const op = c.nonReadEvidence ? `${c.nonReadEvidence.data ? "data action" : "action"} ${c.nonReadEvidence.operation}` : "operations beyond reading";
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        message: `The ${identityLabel(identity)} holds ${roleLabel(role)} at ${where}. ${role.roleName} is not read-only, and at this scope it reaches every resource in the ${assignment.scopeLevel === "subscription" ? "subscription" : "management group"}.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, `not Reader-class: grants ${op}`),
          ...(narrower.scopes.length > 0 ? [{ source: narrower.scopes[0]!, fact: `narrower scope proposed: ${narrower.basis}` }] : []),
        ],
        fixes,
      });
    }
    return out;
  },
);
