import { randomUUID } from "node:crypto";
import type { FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, roleDefinitionGuid, subscriptionOf } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { lookupsFromTable, emptyNameTable, roleName, type NameLookups } from "@/lib/model/names";
import { describeStep } from "../describe";
import { azCommandLine } from "../render/quote";
import { isDeleteOperation, isKubernetesOperation } from "./ops";
import type { Operation, PlanChoices, ResolvedPlan } from "./types";

const NO_NAMES = lookupsFromTable(emptyNameTable());

/** The person's choices do not fit the plan (a scope or role it does not offer). */
export class PlanChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanChoiceError";
  }
}

/**
 * ARM stores role definition ids subscription-qualified for assignments in a subscription;
 * sending that form is what `az role assignment create` does and what every API version takes.
 */
export function qualifiedRoleDefinitionId(roleDefinitionId: string, scope: string): string {
  const guid = roleDefinitionGuid(roleDefinitionId);
  const sub = subscriptionOf(scope);
  return `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

function applyChoices(steps: FixStep[], choices: PlanChoices | undefined, names: NameLookups): FixStep[] {
  const creates = steps.filter((s): s is Extract<FixStep, { kind: "create-role-assignment" }> => s.kind === "create-role-assignment");
  if (!choices || creates.length === 0) {
    if (choices?.scopes || choices?.roleDefinitionId) throw new PlanChoiceError("this plan creates no role assignment, so it takes no scope or role choice");
    return steps;
  }
  const offeredScopes = new Map<string, string>();
  const offeredRoles = new Map<string, string>();
  for (const c of creates) {
    offeredScopes.set(normalizeId(c.scope), c.scope);
    for (const s of c.alternatives?.scopes ?? []) offeredScopes.set(normalizeId(s), s);
    offeredRoles.set(roleDefinitionGuid(c.roleDefinitionId), c.roleDefinitionId);
    for (const r of c.alternatives?.roleDefinitionIds ?? []) offeredRoles.set(roleDefinitionGuid(r), r);
  }
  let role: { roleDefinitionId: string; roleName: string } | undefined;
  if (choices.roleDefinitionId) {
    const id = offeredRoles.get(roleDefinitionGuid(choices.roleDefinitionId));
    if (!id) throw new PlanChoiceError(`role ${choices.roleDefinitionId} is not one this plan offers (${[...offeredRoles.values()].join(", ")})`);
    const sameAsPlan = creates.find((c) => roleDefinitionGuid(c.roleDefinitionId) === roleDefinitionGuid(id));
    role = { roleDefinitionId: id, roleName: sameAsPlan?.roleName ?? roleName(id, names) };
  }
  let scopes: string[] | undefined;
  if (choices.scopes) {
    if (choices.scopes.length === 0) throw new PlanChoiceError("choose at least one scope; to remove the grant entirely use a removal plan");
    scopes = [];
    for (const s of choices.scopes) {
      const offered = offeredScopes.get(normalizeId(s));
      if (!offered) throw new PlanChoiceError(`scope ${s} is not one this plan offers`);
      if (!scopes.some((x) => normalizeId(x) === normalizeId(offered))) scopes.push(offered);
    }
  }
  const template = creates[0]!;
  const out: FixStep[] = [];
  let placed = false;
  for (const s of steps) {
    if (s.kind !== "create-role-assignment") {
      out.push(s);
      continue;
    }
    if (scopes) {
      if (placed) continue;
      placed = true;
      for (const scope of scopes) out.push({ ...template, scope, ...role });
    } else {
      out.push(role ? { ...s, ...role } : s);
    }
  }
  return out;
}

/**
 * Turns a fix plan into the writes Scopewise makes: choices applied, new role-assignment names
 * drawn (crypto.randomUUID), the old assignment's scanned state attached to each delete, and
 * creations ordered before deletions so access never lapses. Steps Scopewise cannot perform
 * block the plan when automated steps follow them (those may depend on them), and are left
 * to the person (follow-ups) when they come last. Each operation carries the step's sentence
 * (lib/remediation/describe.ts) with the names in `options.names`; without them, ids.
 */
export function resolvePlan(plan: FixPlan, inventory: Inventory, options: { choices?: PlanChoices; kubernetes?: boolean; names?: NameLookups } = {}): ResolvedPlan {
  const names = options.names ?? NO_NAMES;
  const steps = applyChoices(plan.steps, options.choices, names);
  const automated: { operation: Operation; description: string }[] = [];
  const followUps: string[] = [];
  let blocked: string | undefined;
  const assignments = new Map(inventory.roleAssignments.map((a) => [normalizeId(a.id), a]));

  steps.forEach((step, i) => {
    // Names only: the step record keeps its target id beside the sentence, which people see on demand.
    const description = describeStep(step, names).plain;
    if (step.kind === "manual" || step.kind === "az-command") {
      followUps.push(step.kind === "az-command" ? `${step.description} (${azCommandLine(step.args)})` : step.description);
      return;
    }
    if (followUps.length > 0 && !blocked) {
      blocked = `step ${i} must be done by hand before the rest can be applied: ${followUps[followUps.length - 1]}; apply this plan with the rendered script instead`;
    }
    let operation: Operation;
    switch (step.kind) {
      case "create-role-assignment":
        operation = {
          op: "create-role-assignment",
          scope: step.scope,
          name: randomUUID(),
          roleDefinitionId: qualifiedRoleDefinitionId(step.roleDefinitionId, step.scope),
          principalId: step.principalId,
          principalType: step.principalType,
          roleName: step.roleName,
          ...(step.condition ? { condition: step.condition, conditionVersion: step.conditionVersion || "2.0" } : {}),
        };
        break;
      case "delete-role-assignment": {
        const scanned = assignments.get(normalizeId(step.roleAssignmentId));
        if (!scanned) {
          blocked ??= `the assignment ${step.roleAssignmentId} is not in the current scan; rescan before applying`;
          return;
        }
        operation = {
          op: "delete-role-assignment",
          id: scanned.id,
          expected: { roleDefinitionId: scanned.roleDefinitionId, principalId: scanned.principalId, scope: scanned.scope },
          roleName: step.roleName,
        };
        break;
      }
      case "create-federated-credential":
        operation = { op: "create-federated-credential", identityId: step.identityId, name: step.name, issuer: step.issuer, subject: step.subject, audiences: step.audiences };
        break;
      case "delete-federated-credential":
        operation = { op: "delete-federated-credential", id: step.federatedCredentialId };
        break;
      case "create-app-federated-credential":
        operation = { op: "create-app-federated-credential", appId: step.appId, name: step.name, issuer: step.issuer, subject: step.subject, audiences: step.audiences };
        break;
      case "delete-app-federated-credential":
        operation = { op: "delete-app-federated-credential", appId: step.appId, name: step.name };
        break;
      case "create-managed-identity": {
        // A new identity goes where its resource group is, as the portal and az default to.
        const location = step.location ?? inventory.resourceGroups.find((g) => normalizeId(g.id) === normalizeId(step.resourceGroupId))?.location;
        if (!location) {
          blocked ??= `no location is known for the new identity ${step.name}; create it by hand`;
          return;
        }
        operation = { op: "create-managed-identity", resourceGroupId: step.resourceGroupId, name: step.name, location };
        break;
      }
      case "delete-managed-identity":
        operation = { op: "delete-managed-identity", id: step.identityId };
        break;
      case "kubernetes-apply":
        operation = { op: "kubernetes-apply", clusterId: step.clusterId, manifest: step.manifest };
        break;
      case "kubernetes-delete":
        operation = { op: "kubernetes-delete", clusterId: step.clusterId, apiVersion: step.apiVersion, kind: step.objectKind, namespace: step.namespace, name: step.name };
        break;
    }
    if (isKubernetesOperation(operation) && options.kubernetes === false) {
      blocked ??= "this plan changes Kubernetes objects and no Kubernetes access is available; apply the YAML yourself";
    }
    automated.push({ operation, description });
  });

  if (automated.length === 0) blocked ??= "nothing in this plan can be applied automatically; use the rendered script";
  // Stable: creations in plan order, then deletions in plan order.
  const ordered = [...automated.filter((s) => !isDeleteOperation(s.operation)), ...automated.filter((s) => isDeleteOperation(s.operation))];
  return { plan, operations: ordered, followUps, ...(blocked ? { blocked } : {}) };
}
