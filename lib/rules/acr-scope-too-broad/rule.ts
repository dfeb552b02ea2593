import type { FixPlan } from "@/lib/model/findings";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { isAksIdentity, isWiderThanResource, workloadAssignments } from "@/lib/rules/shared/identity";
import { manualRescopePlan, rescopePlan } from "@/lib/rules/shared/plans";
import { narrowerScopesFor } from "@/lib/rules/shared/narrowing";
import type { RuleContext } from "@/lib/rules/rule-context";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

const NAMED = new Set<string>([BuiltinRoleId.AcrPull, BuiltinRoleId.AcrPush, BuiltinRoleId.AcrDelete]);

/** AcrPull/AcrPush/AcrDelete, or any role (custom ones too) whose actions govern only container registries. */
function isRegistryRole(ctx: RuleContext, guid: string): boolean {
  if (NAMED.has(guid)) return true;
  const types = ctx.roles.classify(guid)?.governedResourceTypes ?? [];
  return types.length > 0 && types.every((t) => t.toLowerCase().startsWith("microsoft.containerregistry/"));
}

export const rule = defineRule(
  {
    id: "acr-scope-too-broad",
    title: "Registry role held by an AKS identity above the registry",
    severity: "medium",
    description:
      "Flags AcrPull, AcrPush, AcrDelete or another registry role held by an AKS identity at a scope wider than the container registry resource (resource group, subscription, management group).",
    rationale: "The scope of a registry role is the container registry: held higher, it reaches every registry there, including ones created later.",
    remediation: "Re-create the assignment at the registry's resource id and delete the wide one.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.aksAcr, Ref.acrRoles, Ref.rbacScope],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, isAksIdentity)) {
      if (!isWiderThanResource(assignment) || !isRegistryRole(ctx, role.name.toLowerCase())) continue;
      const where = describeScope(ctx, assignment.scope);
      const narrower = narrowerScopesFor(ctx, identity, assignment, role);
      const fixes: FixPlan[] = [
        narrower.scopes.length > 0
          ? rescopePlan(ctx, assignment, role, narrower.scopes, { candidates: narrower.candidates })
          : manualRescopePlan(ctx, identity, assignment, role, "the registry it pulls from"),
      ];
      const registries = narrower.candidates;
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        targetIds: narrower.scopes,
        message: `The ${identityLabel(identity)} holds ${roleLabel(role)} at ${where}, which reaches ${registries.length === 1 ? "1 registry" : `${registries.length} registries`} (${registries.map((r) => r.split("/").pop()).join(", ")}) and any added later; it should be held on the registry itself.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, "a container registry role"),
          ...registries.map((r) => ({ source: r, fact: `registry ${r.split("/").pop()} is under ${where}${narrower.scopes.includes(r) ? ` (${narrower.basis})` : ""}` })),
        ],
        fixes,
      });
    }
    return out;
  },
);
