import type { FixPlan, FixStep } from "@/lib/model/findings";

const DELETE_KINDS: ReadonlySet<FixStep["kind"]> = new Set([
  "delete-role-assignment",
  "delete-federated-credential",
  "delete-app-federated-credential",
  "kubernetes-delete",
  "delete-managed-identity",
]);

export function isDeleteStep(step: FixStep): boolean {
  return DELETE_KINDS.has(step.kind);
}

/**
 * The safe order the applier uses: everything that creates or changes comes before anything
 * that removes, so a workload never loses access it still needs between two steps (the new
 * grant exists before the old one goes). Within each phase the plan's order is kept. A
 * manual step stays with the step before it: plans write "then delete the secret" after the
 * deletion it follows, and "confirm nothing uses it" before the deletions.
 */
export function orderSteps(plan: FixPlan): FixStep[] {
  const creates: FixStep[] = [];
  const deletes: FixStep[] = [];
  let phase: "create" | "delete" = "create";
  for (const step of plan.steps) {
    if (step.kind !== "manual") phase = isDeleteStep(step) ? "delete" : "create";
    (phase === "delete" ? deletes : creates).push(step);
  }
  return [...creates, ...deletes];
}
