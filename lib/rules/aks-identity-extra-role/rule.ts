import type { FixPlan } from "@/lib/model/findings";
import { IdentityKind } from "@/lib/model/types";
import { assignmentEvidence, describeScope, identityLabel, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { moveToDedicatedIdentityPlan, removePlan } from "@/lib/rules/shared/plans";
import { workloadAssignments } from "@/lib/rules/shared/identity";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { addonProfilesText } from "../addon-profiles";
import { profileRoleGuids } from "../profiles";
import { Ref } from "../references";

/** Control-plane and add-on identities; an identity that is also a kubelet is judged by kubelet-identity-extra-role. */
const isJudged = (i: { uses: { kind: string }[] }) =>
  i.uses.some((u) => u.kind === IdentityKind.ControlPlane || u.kind === IdentityKind.Addon) && !i.uses.some((u) => u.kind === IdentityKind.Kubelet);

export const rule = defineRule(
  {
    id: "aks-identity-extra-role",
    title: "Control-plane or add-on identity holds a role outside its profile",
    severity: "medium",
    description: `Flags a role held by a cluster's control-plane or add-on identity (add-ons include the application routing add-on and cluster extensions) that is in none of its profile's roles, at any scope; a profile role at too wide a scope is left to the scope rules. Add-on and extension profiles: ${addonProfilesText()}.`,
    rationale: "These identities are reachable by AKS components and add-on pods; every extra right widens what a compromise of them reaches.",
    remediation: "Move the right to a dedicated identity for the job that needs it, or delete it.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7],
    references: [
      Ref.aksManagedIdentity,
      Ref.aksIdentityConcepts,
      Ref.aksNetworkPermissions,
      { title: "Application routing add-on: custom domain names and certificates (DNS zone and Key Vault roles)", url: "https://learn.microsoft.com/en-us/azure/aks/app-routing-dns-ssl" },
      { title: "Azure Backup for AKS: the backup extension's identity needs Storage Blob Data Contributor on its storage account", url: "https://learn.microsoft.com/en-us/azure/backup/azure-kubernetes-service-cluster-backup-concept" },
      { title: "GitOps (Flux v2) on AKS and Azure Arc-enabled Kubernetes", url: "https://learn.microsoft.com/en-us/azure/azure-arc/kubernetes/tutorial-use-gitops-flux2" },
    ],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const { identity, assignment, role } of workloadAssignments(ctx, isJudged)) {
      const allowed = profileRoleGuids(identity, ctx);
      if (allowed.has(role.name.toLowerCase())) continue;
      const jobs = identity.uses
        .filter((u) => u.kind === IdentityKind.ControlPlane || u.kind === IdentityKind.Addon)
        .map((u) => `${u.kind === IdentityKind.Addon ? `${u.addon} add-on` : "control plane"} of ${ctx.cluster(u.clusterId)?.name ?? u.clusterId}`);
      const fixes: FixPlan[] = [];
      const move = moveToDedicatedIdentityPlan(ctx, identity, assignment, role);
      if (move) fixes.push(move);
      fixes.push(removePlan(assignment, role));
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        message: `The ${identityLabel(identity)} (${jobs.join("; ")}) holds ${roleLabel(role)} at ${describeScope(ctx, assignment.scope)}, which is not among the roles its job needs.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, `not in the role profile of the ${jobs.join("; ")}`),
        ],
        fixes,
      });
    }
    return out;
  },
);
