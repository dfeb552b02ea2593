import type { Evidence, FixPlan } from "@/lib/model/findings";
import { ScopeLevel, type Resource } from "@/lib/model/types";
import { resourceTypeNoun } from "@/lib/model/vocabulary";
import { assignmentEvidence, describeScope, plural, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { isAppIdentity, isSubscriptionOrWider, workloadAssignments } from "@/lib/rules/shared/identity";
import { conditionEffect } from "@/lib/rules/shared/conditions";
import { manualRescopePlan, rescopePlan } from "@/lib/rules/shared/plans";
import { MAX_PROPOSED_SCOPES, resourcesUnder } from "@/lib/rules/shared/narrowing";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
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
    conditions: "A condition that limits every data action of the role to named containers or queues bounds the grant by those names: at resource-group scope that is not a finding; at subscription or management-group scope the grant still reaches those names in every storage account there, including new ones, so it is a finding at low severity. A condition that leaves some data action unconditioned, or limits by other attributes (tags, paths, principal attributes), is judged like none. Fixes re-create the role on each resource with the same condition.",
    benchmarks: [Control.mcsbPA7],
    references: [Ref.storageDataRoles, Ref.rbacScope, Ref.rbacBestPractices],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    // What a scope holds of some kinds reads the same for every assignment there: worded once, shared.
    const reach = new Map<string, { reached: Resource[]; kinds: string; ids: string[]; names: string; evidence: Evidence[] }>();
    for (const { identity, assignment, role } of workloadAssignments(ctx, isAppIdentity)) {
      const c = ctx.roles.classify(role.name);
      if (!c?.dataRole) continue;
      const wide = isSubscriptionOrWider(assignment.scopeLevel);
      if (!wide && assignment.scopeLevel !== ScopeLevel.ResourceGroup) continue;
      const types = c.governedResourceTypes;
      // Limited by name to some containers or queues: the names bound the grant in a resource group, not above it.
      const limited = conditionEffect(assignment, role)?.dataLimitedTo;
      if (limited && !wide) continue;
      const where = describeScope(ctx, assignment.scope);
      const memoKey = `${assignment.scope}\u0000${types.join("\u0000")}`;
      let scoped = reach.get(memoKey);
      if (!scoped) {
        const reached = types.length > 0 ? resourcesUnder(ctx, assignment.scope, types) : [];
        const kinds = types.map(resourceTypeNoun).join(" / ") || "data resource";
        scoped = { reached, kinds, ids: reached.map((r) => r.id), names: reached.map((r) => r.name).join(", "), evidence: reached.map((r) => ({ source: r.id, fact: `${kinds} ${r.name} is under ${where}` })) };
        reach.set(memoKey, scoped);
      }
      const { reached, kinds, ids } = scoped;
      if (!wide && reached.length <= 1) continue;
      const fixes: FixPlan[] = [
        ids.length > 0 && ids.length <= MAX_PROPOSED_SCOPES
          ? rescopePlan(ctx, assignment, role, ids, { summary: `Re-create ${role.roleName} on the ${kinds} the app uses (${scoped.names}; the wizard asks which) and delete the assignment at ${where}` })
          : manualRescopePlan(ctx, identity, assignment, role, `the ${kinds} it uses`),
      ];
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        targetIds: ids,
        ...(limited ? { baseSeverity: "low" as const } : {}),
        message: limited
          ? `The app identity ${identity.displayName} holds the data role ${roleLabel(role)} at ${where}, limited by its condition to the ${limited.noun}${limited.values.length === 1 ? "" : "s"} named ${limited.values.map((v) => `'${v}'`).join(", ")}, but in each of ${plural(reached.length, kinds)}${reached.length > 0 ? ` (${scoped.names})` : ""} and every one created later.`
          : `The app identity ${identity.displayName} holds the data role ${roleLabel(role)} at ${where}, which reaches ${plural(reached.length, kinds)}${reached.length > 0 ? ` (${scoped.names})` : ""}${wide ? " and every one created later" : ""}.`,
        evidence: [...assignmentEvidence(ctx, identity, assignment, role), roleEvidence(role, `data-plane role governing ${kinds}`), ...scoped.evidence],
        fixes,
      });
    }
    return out;
  },
);
