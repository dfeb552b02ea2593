import type { Evidence, FixStep } from "@/lib/model/findings";
import { normalizeId, sameId } from "@/lib/model/scope";
import type { Cluster } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { keepingCondition } from "@/lib/rules/shared/plans";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import type { RuleContext } from "@/lib/rules/rule-context";
import { identityByRef } from "@/lib/rules/shared/cluster-plans";

export const rule = defineRule(
  {
    id: "cluster-uses-service-principal",
    title: "Cluster runs as a service principal",
    severity: "medium",
    description: "Flags clusters whose control-plane identity is a service principal (servicePrincipalProfile.clientId is not \"msi\").",
    rationale:
      "The service principal's client secret is written to every node (/etc/kubernetes/azure.json) and must be stored, rotated before it expires and protected; a managed identity has no secret to leak and Azure rotates its credentials itself.",
    remediation:
      "Run az aks update --enable-managed-identity: the control plane switches to a managed identity at once, the kubelet identity after the node pools are upgraded; re-grant the service principal's roles to the new identities, then retire the service principal.",
    conditions: "The fix re-grants each of the service principal's roles to the new managed identity; a conditioned one is re-granted with the same condition.",
    benchmarks: [Control.mcsbIM3, Control.mcsbIM8],
    references: [
      { title: "Use a managed identity in AKS: update an existing cluster to use a managed identity", url: "https://learn.microsoft.com/en-us/azure/aks/use-managed-identity#update-an-existing-cluster-to-use-a-managed-identity" },
      { title: "Use a service principal with AKS", url: "https://learn.microsoft.com/en-us/azure/aks/kubernetes-service-principal" },
    ],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const cluster of ctx.inventory.clusters) {
      if (cluster.controlPlane?.type !== "ServicePrincipal") continue;
      out.push(draftFor(ctx, cluster));
    }
    return out;
  },
);

function draftFor(ctx: RuleContext, cluster: Cluster): FindingDraft {
  const ref = cluster.controlPlane!;
  const identity = identityByRef(ctx, { clientId: ref.clientId }) ?? (ref.principalId ? ctx.identityOfPrincipal(ref.principalId) : undefined);
  const spName = identity?.displayName ?? `service principal ${ref.clientId}`;
  const assignments = identity ? ctx.assignmentsOf(identity) : [];
  const evidence: Evidence[] = [{ source: cluster.id, fact: `servicePrincipalProfile.clientId of ${cluster.name} is ${ref.clientId}, not "msi"` }];
  if (identity?.principalId) evidence.push({ source: identity.principalId, fact: `client id ${ref.clientId} is ${spName} (object id ${identity.principalId})` });
  for (const a of assignments) evidence.push({ source: a.id, fact: `${spName} holds ${roleName(ctx, a)} on ${a.scope}` });
  const kubeletToo = cluster.kubelet?.type === "ServicePrincipal";

  const steps: FixStep[] = [
    {
      kind: "az-command",
      args: ["aks", "update", "--resource-group", cluster.resourceGroup, "--name", cluster.name, "--subscription", cluster.subscriptionId, "--enable-managed-identity"],
      description:
        `Switches ${cluster.name}'s control plane to a system-assigned managed identity at once; AKS grants it Contributor on the node resource group itself. ` +
        `The kubelet identity${kubeletToo ? ` (also ${spName} today)` : ""} changes only when the node pools are upgraded, and until the roles below are re-granted the cluster cannot manage what they cover.`,
    },
    {
      kind: "az-command",
      args: ["aks", "upgrade", "--resource-group", cluster.resourceGroup, "--name", cluster.name, "--subscription", cluster.subscriptionId, "--node-image-only"],
      description: `Reimages ${cluster.name}'s node pools so the nodes switch to the new managed kubelet identity (nodes are drained and replaced one by one).`,
    },
  ];
  for (const a of assignments) {
    // AKS grants the managed control plane Contributor on its own node resource group itself.
    if (roleGuid(a.roleDefinitionId) === BuiltinRoleId.Contributor.toLowerCase() && cluster.nodeResourceGroupId && sameId(a.scope, cluster.nodeResourceGroupId)) continue;
    const who = roleGuid(a.roleDefinitionId) === BuiltinRoleId.AcrPull.toLowerCase() ? "the new kubelet identity" : "the new control-plane identity";
    steps.push({
      kind: "manual",
      description: `Grant ${who} of ${cluster.name} ${roleName(ctx, a)} on ${a.scope}${keepingCondition(a)}, which ${spName} holds today as ${a.id} (its object id is known once the update has run).`,
    });
  }
  for (const a of assignments) {
    steps.push({ kind: "delete-role-assignment", roleAssignmentId: a.id, principalId: a.principalId, roleName: roleName(ctx, a), scope: a.scope });
  }
  steps.push({ kind: "manual", description: `When nothing else uses ${spName} (app id ${ref.clientId}), delete its client secrets or the app registration.` });

  return {
    key: [cluster.id],
    message: `Cluster ${cluster.name} runs as service principal ${spName}, whose client secret sits on every node and must be rotated by hand${assignments.length ? `; it holds ${assignments.length} role assignment(s)` : ""}.`,
    identity,
    clusterId: cluster.id,
    scope: cluster.id,
    targetIds: [cluster.id, ...assignments.map((a) => a.id)],
    evidence,
    fixes: [{ id: "enable-managed-identity", summary: `Switch ${cluster.name} to managed identities and retire ${spName}`, steps }],
    // The finding is about the stored secret, not the identity's reach; the kubelet raise does not apply.
    adjustSeverity: false,
  };
}

function roleGuid(roleDefinitionId: string): string {
  return normalizeId(roleDefinitionId).split("/").pop() ?? "";
}

function roleName(ctx: RuleContext, a: Parameters<RuleContext["roleOf"]>[0]): string {
  return ctx.roleOf(a)?.roleName ?? a.roleName ?? a.roleDefinitionName;
}
