import type { FixPlan } from "@/lib/model/findings";
import { IdentityKind } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { grants } from "@/lib/roles/permissions";
import { assignmentEvidence, describeScope, roleEvidence, roleLabel } from "@/lib/rules/shared/evidence";
import { clustersWhere, hasUse, workloadAssignments } from "@/lib/rules/shared/identity";
import { createStep, deleteStep } from "@/lib/rules/shared/plans";
import { RegistryType, registriesUsedBy, resourcesUnder } from "@/lib/rules/shared/narrowing";
import { ConditionReading } from "@/lib/rules/shared/conditions";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { Ref } from "../references";

/** Registry operations beyond pulling: pushing or overwriting images, deleting them, changing the registry. */
const WRITE_OPERATIONS = [
  "Microsoft.ContainerRegistry/registries/push/write",
  "Microsoft.ContainerRegistry/registries/artifacts/delete",
  "Microsoft.ContainerRegistry/registries/write",
] as const;

export const rule = defineRule(
  {
    id: "acr-write-on-kubelet",
    title: "Kubelet identity can write to a container registry",
    severity: "medium",
    description: "Flags the kubelet identity holding AcrPush, AcrDelete, Contributor, Owner or any role that pushes, deletes or changes a registry, at a scope that contains a registry.",
    rationale: "Kubelets only pull; with write access any pod on the nodes can overwrite the images every cluster runs.",
    remediation: "Replace the role with AcrPull on the registry.",
    conditions: ConditionReading.controlPlane,
    benchmarks: [Control.mcsbPA7, Control.cisAks513],
    references: [Ref.aksAcr, Ref.acrRoles],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    const acrPull = ctx.roles.get(BuiltinRoleId.AcrPull);
    for (const { identity, assignment, role } of workloadAssignments(ctx, (i) => hasUse(i, IdentityKind.Kubelet))) {
      const op = WRITE_OPERATIONS.find((o) => grants(role, o));
      if (!op) continue;
      const registries = resourcesUnder(ctx, assignment.scope, [RegistryType]);
      if (registries.length === 0) continue;
      const clusters = clustersWhere(ctx, identity, IdentityKind.Kubelet);
      const used = new Set(clusters.flatMap((c) => registriesUsedBy(ctx, c).map((r) => r.id.toLowerCase())));
      const pullOn = registries.filter((r) => used.has(r.id.toLowerCase()));
      const targets = (pullOn.length > 0 ? pullOn : registries).map((r) => r.id);
      const fixes: FixPlan[] = [];
      if (acrPull) {
        fixes.push({
          id: "replace-with-acrpull",
          summary: `Replace ${role.roleName} with AcrPull on ${targets.map((t) => describeScope(ctx, t)).join(", ")}`,
          steps: [...targets.map((t) => createStep(assignment, acrPull, t, registries.length > 1 ? { scopes: registries.map((r) => r.id) } : undefined)), deleteStep(assignment, role)],
        });
      }
      out.push({
        key: [assignment.id],
        identity,
        assignment,
        targetIds: registries.map((r) => r.id),
        message: `The kubelet identity ${identity.displayName} of ${clusters.map((c) => c.name).join(", ")} holds ${roleLabel(role)} at ${describeScope(ctx, assignment.scope)}, which lets it push to or delete from ${registries.map((r) => r.name).join(", ")}; kubelets only need to pull.`,
        evidence: [
          ...assignmentEvidence(ctx, identity, assignment, role),
          roleEvidence(role, `grants ${op}`),
          ...registries.map((r) => ({ source: r.id, fact: `registry ${r.name} is under ${describeScope(ctx, assignment.scope)}` })),
        ],
        fixes,
      });
    }
    return out;
  },
);
