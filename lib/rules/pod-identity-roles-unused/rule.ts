import { normalizeId } from "@/lib/model/scope";
import { IdentityKind } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { assignmentEvidence, describeScope, roleEvidence } from "@/lib/rules/shared/evidence";
import { clustersWhere, hasUse, workloadAssignments } from "@/lib/rules/shared/identity";
import { removePlan } from "@/lib/rules/shared/plans";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

const POD_IDENTITY_ROLES = new Set<string>([BuiltinRoleId.ManagedIdentityOperator, BuiltinRoleId.VirtualMachineContributor]);

export const rule = defineRule(
  {
    id: "pod-identity-roles-unused",
    title: "Kubelet keeps aad-pod-identity roles on a cluster without aad-pod-identity",
    severity: "low",
    description:
      "Flags Managed Identity Operator or Virtual Machine Contributor held by the kubelet identity of a cluster that runs no aad-pod-identity (no AzureIdentity objects, no nmi DaemonSet, podIdentityProfile not enabled).",
    rationale: "Leftover rights from an uninstalled or migrated component, still reachable by every pod on the nodes.",
    remediation: "Delete the assignments.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA3, Control.mcsbPA7],
    references: [Ref.podIdentityRoles, Ref.podIdentityMigration],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, (i) => hasUse(i, IdentityKind.Kubelet))) {
      if (!POD_IDENTITY_ROLES.has(role.name.toLowerCase())) continue;
      const clusters = clustersWhere(ctx, identity, IdentityKind.Kubelet);
      // A kubelet identity shared by clusters keeps the roles while any of them runs aad-pod-identity.
      if (clusters.length === 0 || clusters.some((c) => ctx.runsPodIdentity(c))) continue;
      // Unread Kubernetes APIs: AzureIdentity objects and the nmi DaemonSet cannot be ruled out.
      if (clusters.some((c) => !c.podIdentityEnabled && !ctx.index.kubernetesRead.has(normalizeId(c.id)))) continue;
      const names = clusters.map((c) => c.name).join(", ");
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        message: `The kubelet identity ${identity.displayName} of ${names} holds ${role.roleName} at ${describeScope(ctx, assignment.scope)}, but ${names} runs no aad-pod-identity: the right is a leftover that every pod on the nodes can use.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, "needed by the kubelet only for aad-pod-identity"),
          ...clusters.map((c) => ({ source: c.id, fact: `${c.name}: no AzureIdentity objects, no nmi DaemonSet, podIdentityProfile not enabled` })),
        ],
        fixes: [removePlan(assignment, role)],
      });
    }
    return out;
  },
);
