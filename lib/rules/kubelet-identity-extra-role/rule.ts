import type { FixPlan } from "@/lib/model/findings";
import { IdentityKind } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { assignmentEvidence, describeScope, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { clustersWhere, hasUse, workloadAssignments } from "@/lib/rules/shared/identity";
import { moveToDedicatedIdentityPlan, removePlan } from "@/lib/rules/shared/plans";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { profileRoleGuids } from "../profiles";
import { Ref } from "../references";

const POD_IDENTITY_ROLES = new Set<string>([BuiltinRoleId.ManagedIdentityOperator, BuiltinRoleId.VirtualMachineContributor]);

export const rule = defineRule(
  {
    id: "kubelet-identity-extra-role",
    title: "Kubelet identity holds a role outside its profile",
    severity: "high",
    description:
      "Flags a role held by a cluster's kubelet identity that is not in the kubelet profile: AcrPull on registries; Managed Identity Operator and Virtual Machine Contributor only while aad-pod-identity runs; DNS Zone Contributor / Private DNS Zone Contributor on a zone. A profile role at too wide a scope is left to the scope rules.",
    rationale:
      "Every pod on a node can ask IMDS for the kubelet identity's token unless something blocks it, so the kubelet identity's rights are every pod's rights.",
    remediation: "Move the right to a dedicated app identity bound to the one workload that needs it.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [Ref.aksManagedIdentity, Ref.aksIdentityConcepts, Ref.workloadIdentity],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, (i) => hasUse(i, IdentityKind.Kubelet))) {
      const clusters = clustersWhere(ctx, identity, IdentityKind.Kubelet);
      const podIdentity = clusters.filter((c) => ctx.runsPodIdentity(c));
      const allowed = profileRoleGuids(identity, ctx);
      const guid = role.name.toLowerCase();
      // MIO / VM Contributor belong to the kubelet only while aad-pod-identity runs (unless
      // another job of the identity, e.g. a service-principal control plane, lists them).
      const otherJobs = profileRoleGuids({ ...identity, uses: identity.uses.filter((u) => u.kind !== IdentityKind.Kubelet) }, ctx);
      const inProfile = allowed.has(guid) && (!POD_IDENTITY_ROLES.has(guid) || podIdentity.length > 0 || otherJobs.has(guid));
      if (inProfile) continue;
      const clusterNames = clusters.map((c) => c.name).join(", ");
      const why = POD_IDENTITY_ROLES.has(guid)
        ? `${role.roleName} belongs to the kubelet only while aad-pod-identity runs, and ${clusterNames} runs none`
        : `${role.roleName} is not among the kubelet's roles (AcrPull, DNS zone roles, and the aad-pod-identity roles)`;
      const fixes: FixPlan[] = [];
      const move = moveToDedicatedIdentityPlan(ctx, identity, assignment, role);
      if (move) fixes.push(move);
      fixes.push(removePlan(assignment, role));
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        message: `The kubelet identity ${identity.displayName} of ${clusterNames} holds ${roleLabel(role)} at ${describeScope(ctx, assignment.scope)}. Any pod on the cluster's nodes can get the kubelet's token, so every pod holds this right; ${why}.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, "not in the kubelet identity's role profile"),
          ...clusters.map((c) => ({ source: c.id, fact: `${c.name} ${ctx.runsPodIdentity(c) ? "runs" : "does not run"} aad-pod-identity` })),
        ],
        fixes,
      });
    }
    return out;
  },
);
