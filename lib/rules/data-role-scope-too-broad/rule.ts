import type { FixPlan } from "@/lib/model/findings";
import { ScopeLevel } from "@/lib/model/types";
import { resourceTypeNoun } from "@/lib/model/vocabulary";
import { assignmentEvidence, describeScope, plural, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { isAppIdentity, isSubscriptionOrWider, workloadAssignments } from "@/lib/rules/shared/identity";
import { manualRescopePlan, rescopePlan } from "@/lib/rules/shared/plans";
import { MAX_PROPOSED_SCOPES, resourcesUnder } from "@/lib/rules/shared/narrowing";
import { defineRule, type FindingDraft } from "../define";
import { Ref } from "../references";

export const rule = defineRule(
  {
    id: "data-role-scope-too-broad",
    title: "App identity's data role reaches more resources than one",
    severity: "medium",
    description:
      "Flags an app identity holding a data-plane role at subscription or management-group scope, or at resource-group scope where that resource group holds more than one resource of the kind the role governs.",
    rationale: "Scope a data role to the storage account (namespace, vault) the app needs; resource-group scope is tolerable only when it reaches one resource.",
    remediation: "Re-create the assignment on the specific resource(s) and delete the wide one.",
    references: [Ref.storageDataRoles, Ref.rbacScope, Ref.rbacBestPractices],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, isAppIdentity)) {
      const c = ctx.roles.classify(role.name);
      if (!c?.dataRole) continue;
      const wide = isSubscriptionOrWider(assignment.scopeLevel);
      if (!wide && assignment.scopeLevel !== ScopeLevel.ResourceGroup) continue;
      const types = c.governedResourceTypes;
      const reached = types.length > 0 ? resourcesUnder(ctx, assignment.scope, types) : [];
      if (!wide && reached.length <= 1) continue;
      const where = describeScope(ctx, assignment.scope);
      const kinds = types.map(resourceTypeNoun).join(" / ") || "data resource";
      const ids = reached.map((r) => r.id);
      const fixes: FixPlan[] = [
        ids.length > 0 && ids.length <= MAX_PROPOSED_SCOPES
          ? rescopePlan(ctx, assignment, role, ids, { summary: `Re-create ${role.roleName} on the ${kinds} the app uses (${reached.map((r) => r.name).join(", ")}; the wizard asks which) and delete the assignment at ${where}` })
          : manualRescopePlan(ctx, identity, assignment, role, `the ${kinds} it uses`),
      ];
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        targetIds: ids,
        message: `The app identity ${identity.displayName} holds the data role ${roleLabel(role)} at ${where}, which reaches ${plural(reached.length, kinds)}${reached.length > 0 ? ` (${reached.map((r) => r.name).join(", ")})` : ""}${wide ? " and every one created later" : ""}.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, `data-plane role governing ${kinds}`),
          ...reached.map((r) => ({ source: r.id, fact: `${kinds} ${r.name} is under ${where}` })),
        ],
        fixes,
      });
    }
    return out;
  },
);
