import type { FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { PlanChoices } from "@/lib/remediation/changes";

type CreateStep = Extract<FixStep, { kind: "create-role-assignment" }>;

export const isCreateAssignment = (s: FixStep): s is CreateStep => s.kind === "create-role-assignment";

/** The choice is not one the plan offers; the message names what was offered. */
export class WizardChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WizardChoiceError";
  }
}

/** Scopes a plan lets people pick for its new assignments: the plan's own first, then its alternatives. */
export function offeredScopes(plan: FixPlan): string[] {
  const out = new Map<string, string>();
  for (const c of plan.steps.filter(isCreateAssignment)) {
    out.set(normalizeId(c.scope), out.get(normalizeId(c.scope)) ?? c.scope);
  }
  for (const c of plan.steps.filter(isCreateAssignment)) for (const s of c.alternatives?.scopes ?? []) if (!out.has(normalizeId(s))) out.set(normalizeId(s), s);
  return [...out.values()];
}

/** Role definition ids a plan lets people pick for its new assignments: the plan's own first, then its alternatives. */
export function offeredRoles(plan: FixPlan): string[] {
  const out = new Map<string, string>();
  for (const c of plan.steps.filter(isCreateAssignment)) if (!out.has(roleDefinitionGuid(c.roleDefinitionId))) out.set(roleDefinitionGuid(c.roleDefinitionId), c.roleDefinitionId);
  for (const c of plan.steps.filter(isCreateAssignment))
    for (const r of c.alternatives?.roleDefinitionIds ?? []) if (!out.has(roleDefinitionGuid(r))) out.set(roleDefinitionGuid(r), r);
  return [...out.values()];
}

/**
 * The plan with the person's choices in it, as the renderers need it (FixSteps, plan order).
 * Same semantics as the engine's `resolvePlan` (lib/remediation/apply/resolve.ts), which
 * stays the authority at apply time: chosen scopes replace the plan's creations (one per
 * scope, at the place of the first), a chosen role replaces every creation's role, choices
 * the plan does not offer are refused. The chosen role's name comes from `roleName`.
 */
export function buildChosenPlan(plan: FixPlan, choices: PlanChoices, roleName: (roleDefinitionId: string) => string | undefined): FixPlan {
  const creates = plan.steps.filter(isCreateAssignment);
  if (creates.length === 0) {
    if (choices.scopes || choices.roleDefinitionId) throw new WizardChoiceError(`plan "${plan.id}" creates no role assignment, so it takes no scope or role choice`);
    return plan;
  }
  let role: { id: string; name: string } | undefined;
  if (choices.roleDefinitionId) {
    const id = offeredRoles(plan).find((r) => roleDefinitionGuid(r) === roleDefinitionGuid(choices.roleDefinitionId!));
    if (!id) throw new WizardChoiceError(`role ${choices.roleDefinitionId} is not one plan "${plan.id}" offers`);
    const sameAsPlan = creates.find((c) => roleDefinitionGuid(c.roleDefinitionId) === roleDefinitionGuid(id));
    role = { id, name: sameAsPlan?.roleName ?? roleName(id) ?? roleDefinitionGuid(id) };
  }
  let scopes: string[] | undefined;
  if (choices.scopes) {
    if (choices.scopes.length === 0) throw new WizardChoiceError("choose at least one scope");
    const offered = offeredScopes(plan);
    scopes = [];
    for (const s of choices.scopes) {
      const match = offered.find((o) => normalizeId(o) === normalizeId(s));
      if (!match) throw new WizardChoiceError(`scope ${s} is not one plan "${plan.id}" offers`);
      if (!scopes.some((x) => normalizeId(x) === normalizeId(match))) scopes.push(match);
    }
  }
  const withRole = (s: CreateStep): CreateStep => (role ? { ...s, roleDefinitionId: role.id, roleName: role.name } : s);
  const steps: FixStep[] = [];
  let placed = false;
  for (const s of plan.steps) {
    if (!isCreateAssignment(s)) steps.push(s);
    else if (!scopes) steps.push(withRole(s));
    else if (!placed) {
      placed = true;
      for (const scope of scopes) steps.push(withRole({ ...creates[0]!, scope }));
    }
  }
  return { ...plan, steps };
}
