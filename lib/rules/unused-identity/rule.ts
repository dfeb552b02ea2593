import { ALL_CLUSTERS, ALL_SUBSCRIPTIONS } from "@/lib/model/coverage";
import type { Evidence, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import type { RuleContext } from "@/lib/rules/rule-context";

/** Sources whose failure could hide a reference to an identity: then "unused" cannot be concluded. */
const REFERENCE_SOURCES = ["arm:resources", "arm:managedClusters", "arm:federatedIdentityCredentials", "arm:userAssignedIdentities"];

export const rule = defineRule(
  {
    id: "unused-identity",
    title: "User-assigned identity holds roles but nothing uses it",
    severity: "low",
    description:
      "Flags a user-assigned managed identity with role assignments that no cluster, add-on, aad-pod-identity binding, ServiceAccount, federated credential or other resource's identity block references.",
    rationale: "Rights that nobody needs, waiting to be misused: anyone who can attach the identity to a resource or add a federated credential to it inherits them.",
    remediation: "Confirm nothing outside the scan uses it, then delete its role assignments and the identity.",
    conditions: ConditionReading.notAboutAccess,
    benchmarks: [Control.mcsbPA3],
    references: [
      { title: "Manage user-assigned managed identities: delete", url: "https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/how-manage-user-assigned-managed-identities#delete-a-user-assigned-managed-identity" },
      { title: "Managed identity best practices: lifecycle and role assignments", url: "https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations" },
    ],
    reads: [ALL_SUBSCRIPTIONS, ALL_CLUSTERS],
  },
  (ctx) => {
    const inv = ctx.inventory;
    if (inv.errors.some((e) => REFERENCE_SOURCES.some((s) => e.source.startsWith(s)))) return [];
    const referenced = referencedIdentities(ctx);
    const out: FindingDraft[] = [];
    for (const uai of inv.userAssignedIdentities) {
      if (referenced.resourceIds.has(normalizeId(uai.id)) || referenced.clientIds.has(normalizeId(uai.clientId))) continue;
      const identity = ctx.index.identityByResourceId.get(normalizeId(uai.id));
      if (!identity || identity.uses.length > 0) continue;
      const assignments = ctx.assignmentsOf(identity);
      if (assignments.length === 0) continue;
      const roleOf = (a: (typeof assignments)[number]) => ctx.roleOf(a)?.roleName ?? a.roleName ?? a.roleDefinitionName;
      const evidence: Evidence[] = [
        { source: uai.id, fact: `${uai.name} is referenced by no cluster, add-on, AzureIdentity, ServiceAccount, pod env, federated credential or resource identity block in the scan` },
        ...assignments.map((a) => ({ source: a.id, fact: `${uai.name} holds ${roleOf(a)} on ${a.scope}` })),
      ];
      const steps: FixStep[] = [
        { kind: "manual", description: `Confirm nothing outside the scanned subscriptions and clusters uses ${uai.name} (client id ${uai.clientId}): sign-in logs for the service principal ${uai.principalId} show its last use.` },
        ...assignments.map((a): FixStep => ({ kind: "delete-role-assignment", roleAssignmentId: a.id, principalId: a.principalId, roleName: roleOf(a), scope: a.scope })),
        { kind: "delete-managed-identity", identityId: uai.id },
      ];
      out.push({
        key: [uai.id],
        message: `${uai.name} holds ${assignments.map((a) => `${roleOf(a)} on ${a.scope}`).join("; ")} but nothing in the scan uses it.`,
        identity,
        // One assignment: the finding is about it; several: all are listed in targetIds.
        assignment: assignments.length === 1 ? assignments[0] : undefined,
        scope: assignments.length === 1 ? assignments[0]!.scope : uai.id,
        targetIds: [uai.id, ...assignments.map((a) => a.id)],
        evidence,
        fixes: [{ id: "delete-identity", summary: `Delete ${uai.name}'s ${assignments.length} role assignment(s) and the identity`, steps }],
        // The risk is that the rights exist at all; no pod reaches the identity and a narrow scope does not make it needed.
        adjustSeverity: false,
      });
    }
    return out;
  },
);

/**
 * Every user-assigned identity something points at: resource identity blocks (clusters, VMSS,
 * Automation, Functions...), cluster identity profiles, federated credentials, AzureIdentity
 * objects and ServiceAccount annotations (even with no pod running), and container env.
 */
function referencedIdentities(ctx: RuleContext): { resourceIds: Set<string>; clientIds: Set<string> } {
  const resourceIds = new Set<string>();
  const clientIds = new Set<string>();
  const inv = ctx.inventory;
  for (const r of inv.resources) for (const id of Object.keys(r.identity?.userAssignedIdentities ?? {})) resourceIds.add(normalizeId(id));
  for (const c of inv.clusters) {
    for (const ref of [c.controlPlane, c.kubelet, ...c.addons.map((a) => a.identity), ...c.podIdentities.map((p) => p.identity)]) {
      if (ref?.resourceId) resourceIds.add(normalizeId(ref.resourceId));
      if (ref?.clientId) clientIds.add(normalizeId(ref.clientId));
    }
  }
  for (const f of inv.federatedCredentials) resourceIds.add(normalizeId(f.identityId));
  const k8s = inv.kubernetes;
  for (const a of k8s.azureIdentities) {
    if (a.resourceId) resourceIds.add(normalizeId(a.resourceId));
    if (a.clientId) clientIds.add(normalizeId(a.clientId));
  }
  for (const s of k8s.serviceAccounts) if (s.workloadIdentityClientId) clientIds.add(normalizeId(s.workloadIdentityClientId));
  for (const p of k8s.pods) for (const c of p.containers) if (c.env.AZURE_CLIENT_ID) clientIds.add(normalizeId(c.env.AZURE_CLIENT_ID));
  return { resourceIds, clientIds };
}
