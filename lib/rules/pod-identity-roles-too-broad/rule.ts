import { normalizeId, resourceGroupIdOf, sameId } from "@/lib/model/scope";
import { IdentityKind } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { appliesTo } from "@/lib/rules/shared/narrowing";
import { assignmentEvidence, describeScope, roleEvidence } from "@/lib/rules/shared/evidence";
import { clustersWhere, hasUse, workloadAssignments } from "@/lib/rules/shared/identity";
import { rescopePlan } from "@/lib/rules/shared/plans";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

const POD_IDENTITY_ROLES = new Set<string>([BuiltinRoleId.ManagedIdentityOperator, BuiltinRoleId.VirtualMachineContributor]);

export const rule = defineRule(
  {
    id: "pod-identity-roles-too-broad",
    title: "aad-pod-identity roles held above the node resource group",
    severity: "medium",
    description:
      "Flags Managed Identity Operator or Virtual Machine Contributor held by the kubelet identity of a cluster running aad-pod-identity at a scope wider than the node resource group or the bound identities' resource group.",
    rationale: "The aad-pod-identity role-assignment guidance scopes both roles to the resource group containing the VMSS; wider, every VM and identity in the scope can be taken over.",
    remediation: "Re-create the assignments at the node resource group and delete the wide ones.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.podIdentityRoles, Ref.managedIdentityOperator, Ref.vmContributor],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, (i) => hasUse(i, IdentityKind.Kubelet))) {
      if (!POD_IDENTITY_ROLES.has(role.name.toLowerCase())) continue;
      for (const cluster of clustersWhere(ctx, identity, IdentityKind.Kubelet)) {
        if (!ctx.runsPodIdentity(cluster) || !cluster.nodeResourceGroupId) continue;
        const nodeRg = cluster.nodeResourceGroupId;
        // The guidance's scopes: the node resource group, and (for MIO) the resource groups of the bound identities.
        const bound = ctx.inventory.kubernetes.azureIdentities
          .filter((a) => sameId(a.clusterId, cluster.id) && a.resourceId)
          .map((a) => resourceGroupIdOf(a.resourceId!))
          .filter((x): x is string => !!x);
        const allowed = [nodeRg, ...(role.name.toLowerCase() === BuiltinRoleId.ManagedIdentityOperator ? bound : [])];
        const wider = allowed.some((s) => appliesTo(ctx, assignment.scope, s) && !sameId(s, assignment.scope));
        if (!wider) continue;
        out.push({
          key: [assignment.id, normalizeId(cluster.id)],
          identity,
          assignment,
          clusterId: cluster.id,
          targetIds: [nodeRg],
          message: `The kubelet identity ${identity.displayName} of ${cluster.name} holds ${role.roleName} at ${describeScope(ctx, assignment.scope)}; aad-pod-identity needs it only on the node ${describeScope(ctx, nodeRg)}.`,
          evidence: [
            ...assignmentEvidence(ctx, identity, assignment, role),
            roleEvidence(role, "an aad-pod-identity role (MIC assigns identities to the node scale sets)"),
            { source: cluster.id, fact: `${cluster.name} runs aad-pod-identity; its node resource group is ${nodeRg}` },
          ],
          fixes: [rescopePlan(ctx, assignment, role, [nodeRg])],
        });
      }
    }
    return out;
  },
);
