import type { FixPlan } from "@/lib/model/findings";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence } from "@/lib/rules/shared/evidence";
import { DnsZoneType, narrowerScopesFor, PrivateDnsZoneType } from "@/lib/rules/shared/narrowing";
import { isWiderThanResource } from "@/lib/rules/shared/identity";
import { manualRescopePlan, rescopePlan } from "@/lib/rules/shared/plans";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

const DNS_ROLES = new Map<string, string>([
  [BuiltinRoleId.DnsZoneContributor, DnsZoneType],
  [BuiltinRoleId.PrivateDnsZoneContributor, PrivateDnsZoneType],
]);

export const rule = defineRule(
  {
    id: "dns-role-scope-too-broad",
    title: "DNS zone role held above the zone",
    severity: "medium",
    description: "Flags DNS Zone Contributor or Private DNS Zone Contributor held at a scope wider than a DNS zone (resource group, subscription, management group).",
    rationale: "The scope of a DNS role is the zone: held higher, it can rewrite the records of every zone there (and take over their names).",
    remediation: "Re-create the assignment on the zone(s) in that scope that the cluster uses, or on each zone if unknown (the wizard asks).",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.dnsProtect, Ref.externalDnsAzure, Ref.aksPrivateCluster],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    // RULES.md does not limit this rule to workload identities: any principal's zone role is judged.
    for (const assignment of ctx.inventory.roleAssignments) {
      const guid = assignment.roleDefinitionName.toLowerCase();
      const zoneType = DNS_ROLES.get(guid);
      if (!zoneType || !isWiderThanResource(assignment)) continue;
      const role = ctx.roleOf(assignment);
      const identity = ctx.identityOfPrincipal(assignment.principalId);
      if (!role || !identity) continue;
      const narrower = narrowerScopesFor(ctx, identity, assignment, role);
      const fixes: FixPlan[] = [
        narrower.scopes.length > 0
          ? rescopePlan(ctx, assignment, role, narrower.scopes, { candidates: narrower.candidates })
          : manualRescopePlan(ctx, identity, assignment, role, "the zone(s) it manages"),
      ];
      const zones = narrower.candidates;
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        targetIds: narrower.scopes,
        message: `The ${identityLabel(identity)} holds ${role.roleName} at ${describeScope(ctx, assignment.scope)}, which reaches ${zones.length === 1 ? "1 zone" : `${zones.length} zones`} there${narrower.scopes.length > 0 && narrower.scopes.length < zones.length ? `; it manages only ${narrower.scopes.map((s) => s.split("/").pop()).join(", ")}` : ""}.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, `manages ${zoneType.split("/").pop()} records`),
          ...zones.map((z) => ({ source: z, fact: `zone ${z.split("/").pop()} is under ${describeScope(ctx, assignment.scope)}${narrower.scopes.includes(z) ? ` (${narrower.basis})` : ""}` })),
        ],
        fixes,
      });
    }
    return out;
  },
);
