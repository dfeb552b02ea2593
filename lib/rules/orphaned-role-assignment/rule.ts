import { GRAPH_SOURCE } from "@/lib/model/coverage";
import { tryParseScope } from "@/lib/model/scope";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";

export const rule = defineRule(
  {
    id: "orphaned-role-assignment",
    title: "Role assignment of a deleted principal",
    severity: "low",
    description:
      "Flags role assignments whose principal no longer exists in the directory: Microsoft Graph was read and did not return it, and its principalType is one Graph returns from this tenant (User, Group, ServicePrincipal). A ForeignGroup (another tenant's group), an untyped principal or an unreadable directory proves nothing.",
    rationale:
      "Orphaned assignments clutter the access review and hide the real grants; Azure shows them as 'Identity not found', and the id can be misread or mistaken for a live principal later.",
    remediation: "Delete the role assignment.",
    conditions: ConditionReading.notAboutAccess,
    benchmarks: [Control.mcsbPA3],
    references: [
      { title: "Troubleshoot Azure RBAC: role assignments with identity not found", url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/troubleshooting#role-assignments-with-identity-not-found" },
      { title: "Remove Azure role assignments", url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/role-assignments-remove" },
    ],
    reads: [GRAPH_SOURCE],
  },
  (ctx) => {
    const inv = ctx.inventory;
    // Graph unavailable (or partly failed) means unknown, not deleted.
    if (!inv.principalsResolved || inv.errors.some((e) => e.source.startsWith("graph:"))) return [];
    const out: FindingDraft[] = [];
    for (const identity of inv.identities) {
      if (identity.existsInDirectory !== false || !identity.principalId) continue;
      for (const a of ctx.assignmentsOf(identity)) {
        const role = ctx.roleOf(a)?.roleName ?? a.roleName ?? a.roleDefinitionName;
        out.push({
          key: [a.id],
          message: `${role} on ${scopeLabel(a.scope)} is still assigned to ${a.principalType || "principal"} ${a.principalId}, which no longer exists in the directory.`,
          identity,
          assignment: a,
          evidence: [
            { source: a.id, fact: `role assignment ${a.name}: ${role} for principal ${a.principalId} (${a.principalType}) on ${a.scope}` },
            { source: a.principalId, fact: `Microsoft Graph returned no directory object with id ${a.principalId}` },
          ],
          fixes: [
            {
              id: "delete-assignment",
              summary: `Delete the orphaned ${role} assignment on ${a.scope}`,
              steps: [{ kind: "delete-role-assignment", roleAssignmentId: a.id, principalId: a.principalId, roleName: role, scope: a.scope }],
            },
          ],
          // Nobody can use a deleted principal's grant: reach and scope do not change the risk.
          adjustSeverity: false,
        });
      }
    }
    return out;
  },
);

/** "storageAccounts stpayreceipts (…/rg-payments-data)" style label: the deleted principal has no name, the scope does. */
function scopeLabel(scope: string): string {
  const p = tryParseScope(scope);
  if (!p) return scope;
  if (p.resourceName) return `${p.resourceType ?? "resource"} ${p.resourceName} in resource group ${p.resourceGroup}`;
  if (p.resourceGroup) return `resource group ${p.resourceGroup}`;
  if (p.subscriptionId) return `subscription ${p.subscriptionId}`;
  if (p.managementGroup) return `management group ${p.managementGroup}`;
  return scope;
}
