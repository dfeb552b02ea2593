import type { FixPlan, Severity } from "@/lib/model/findings";
import type { RoleDefinition } from "@/lib/model/types";
import { DATA_ROLE_NARROWING, dataRoleFamilies, narrowerDataRoles, type DataRoleNarrowing } from "@/lib/roles/data-narrowing";
import { grantsAll } from "@/lib/roles/permissions";
import { assignmentEvidence, describeScope, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { conditionEffect } from "@/lib/rules/shared/conditions";
import { createStep, deleteStep } from "@/lib/rules/shared/plans";
import { isAppIdentity, workloadAssignments } from "@/lib/rules/shared/identity";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

/** The write-capable built-in data roles RULES.md names, with a narrower role for some need. */
const NAMED_WIDE = new Set(DATA_ROLE_NARROWING.flatMap((n) => n.from.map((g) => g.toLowerCase())));

/**
 * Owner-tier (medium) vs Contributor-tier (low), RULES.md: built-in roles by their tier name
 * (Owner, Administrator, Officer manage the data service itself); custom roles by whether
 * they cover the service's "manage" need (ACLs, ownership, purge, entity management).
 */
function tierSeverity(role: RoleDefinition): { severity: Severity; tier: string } {
  if (role.roleType === "BuiltInRole") {
    return /\b(owner|administrator|officer)\b/i.test(role.roleName) ? { severity: "medium", tier: "Owner-tier" } : { severity: "low", tier: "Contributor-tier" };
  }
  const manages = dataRoleFamilies(role).some((f) => {
    const need = f.needs.manage;
    return !!need && grantsAll(role, need.actions ?? []) && grantsAll(role, need.dataActions ?? [], { data: true });
  });
  return manages ? { severity: "medium", tier: "Owner-tier (manages the data service)" } : { severity: "low", tier: "Contributor-tier" };
}

/** One option per (data family, narrower role), with every need that role covers there, in the narrowings' order. */
function narrowingOptions(narrowings: readonly DataRoleNarrowing[]): { n: DataRoleNarrowing; needs: string[] }[] {
  const byKey = new Map<string, { n: DataRoleNarrowing; needs: string[] }>();
  for (const n of narrowings) {
    const k = `${n.family.id}|${n.suggestion.role.name}`;
    const option = byKey.get(k);
    if (option) option.needs.push(n.need);
    else byKey.set(k, { n, needs: [n.need] });
  }
  return [...byKey.values()];
}

function planId(n: DataRoleNarrowing): string {
  return `narrow-${n.family.id}-${n.need}`;
}

export const rule = defineRule(
  {
    id: "data-role-broader-than-needed",
    title: "App identity holds a write-capable data role where a narrower one exists",
    severity: "medium",
    description:
      "Flags an app identity holding a write-capable data-plane role where a narrower built-in role exists for what apps usually do: Storage Blob Data Owner/Contributor → Reader; Service Bus / Event Hubs Data Owner → Sender or Receiver; Key Vault Administrator / Secrets Officer → Secrets User; Storage Queue Data Contributor → Message Sender/Processor. Medium for Owner data roles, low for Contributor data roles.",
    rationale: "A reader app gets Storage Blob Data Reader, a sender app gets Azure Service Bus Data Sender: anything more lets a compromised app destroy or rewrite the data it only needed to read or send.",
    remediation: "The wizard asks what the app does (read / write / send / receive / manage) and proposes the narrowest built-in role covering it.",
    conditions: "A condition that guards every write data action the role grants still lets the app write where its expression holds: the finding stays, one step lower (medium becomes low). A condition that leaves some write unconditioned is judged like none. The narrower role is created with the same condition, which keeps guarding whatever of it the narrower role still grants.",
    benchmarks: [Control.mcsbPA7],
    references: [Ref.storageDataRoles, Ref.serviceBusRbac, Ref.keyVaultRbac, Ref.builtinRoles],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, isAppIdentity)) {
      const c = ctx.roles.classify(role.name);
      if (!c?.dataWrite) continue;
      const guid = role.name.toLowerCase();
      if (role.roleType === "BuiltInRole" && !NAMED_WIDE.has(guid)) continue;
      const narrowings = narrowerDataRoles(ctx.roles, role);
      if (narrowings.length === 0) continue;
      const tiered = tierSeverity(role);
      const { tier } = tiered;
      // Every write guarded by the condition: the app still writes, but only where the condition allows.
      const guarded = conditionEffect(assignment, role)?.writesGuarded === true;
      const severity = guarded ? "low" : tiered.severity;
      const where = describeScope(ctx, assignment.scope);
      const options = narrowingOptions(narrowings);
      const fixes = (): FixPlan[] => {
        const suggestionIds = [...new Set(narrowings.map((n) => n.suggestion.role.id))];
        return options.map(({ n, needs }) => ({
          id: planId(n),
          summary: `If the app only needs to ${needs.join(" / ")} (${n.family.label}): replace ${role.roleName} with ${n.suggestion.role.roleName} at ${where}`,
          steps: [createStep(assignment, n.suggestion.role, assignment.scope, { roleDefinitionIds: suggestionIds }), deleteStep(assignment, role)],
        }));
      };
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        baseSeverity: severity,
        message: `The app identity ${identity.displayName} holds ${roleLabel(role)} at ${where}${guarded ? " (its condition guards every write)" : ""}, ${/^O/.test(tier) ? "an" : "a"} ${tier} data role that can change or delete data; ${options.map(({ n, needs }) => `to ${needs.join(" / ")} (${n.family.label}), ${n.suggestion.role.roleName}`).join("; ")} would be enough.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, `writes data (${c.nonReadEvidence?.operation ?? "data actions beyond read"}); ${tier}`),
          ...narrowings.map((n) => ({
            source: n.suggestion.role.id,
            fact: `${n.suggestion.role.roleName} covers "${n.need}" for ${n.family.label} with ${n.suggestion.grantedOperations} operations (the held role grants ${n.heldGrantedOperations})`,
          })),
        ],
        fixes,
      });
    }
    return out;
  },
);
