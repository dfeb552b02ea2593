import type { FixPlan } from "@/lib/model/findings";
import type { PlanChoices } from "@/lib/remediation/changes";
import { RENDER_FORMATS, type RenderFormat } from "@/lib/remediation/render";

/** The wizard's steps, in order. Their state lives in the URL so a step can be shared and reloaded. */
export const WizardStep = {
  Understand: "understand",
  Choose: "choose",
  Preview: "preview",
  Apply: "apply",
  Verify: "verify",
} as const;
export type WizardStep = (typeof WizardStep)[keyof typeof WizardStep];

export const WIZARD_STEPS: readonly WizardStep[] = ["understand", "choose", "preview", "apply", "verify"];

export const STEP_LABEL: Record<WizardStep, string> = {
  understand: "Understand",
  choose: "Choose",
  preview: "Preview",
  apply: "Apply",
  verify: "Verify",
};

/** What the URL says: `?step=&plan=&scope=…&scope=…&role=&format=&change=`. */
export interface WizardState {
  step: WizardStep;
  planId: string;
  /** Chosen scopes for the new assignments; undefined = the plan's own. */
  scopes?: string[];
  /** Chosen replacement role; undefined = the plan's own. */
  roleDefinitionId?: string;
  format?: RenderFormat;
  /** The audit-log change the verify step reports on. */
  changeId?: string;
}

export type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Reads the wizard state from the query. Unknown values fall back to defaults (a stale link
 * still opens the wizard) and are reported in `problems` so the page can say what it ignored.
 */
export function parseWizardQuery(params: SearchParams, plans: readonly FixPlan[]): { state: WizardState; problems: string[] } {
  const problems: string[] = [];
  const rawStep = first(params.step);
  let step: WizardStep = WizardStep.Understand;
  if (rawStep !== undefined) {
    if ((WIZARD_STEPS as readonly string[]).includes(rawStep)) step = rawStep as WizardStep;
    else problems.push(`unknown step "${rawStep}"; showing ${STEP_LABEL.understand}`);
  }
  const rawPlan = first(params.plan);
  let planId = plans[0]?.id ?? "";
  if (rawPlan !== undefined) {
    if (plans.some((p) => p.id === rawPlan)) planId = rawPlan;
    // After an apply the rescan may no longer offer the applied plan: verifying it is expected.
    else if (step !== WizardStep.Verify) problems.push(`this finding has no fix plan "${rawPlan}"; showing "${planId}"`);
  }
  const state: WizardState = { step, planId };
  const scopes = all(params.scope).filter((s) => s.trim() !== "");
  if (scopes.length > 0) state.scopes = scopes;
  const role = first(params.role);
  if (role) state.roleDefinitionId = role;
  const format = first(params.format);
  if (format !== undefined) {
    if ((RENDER_FORMATS as readonly string[]).includes(format)) state.format = format as RenderFormat;
    else problems.push(`unknown format "${format}"`);
  }
  const change = first(params.change);
  if (change) state.changeId = change;
  return { state, problems };
}

/** The URL of the wizard in `state` with `patch` applied; choices carry over between steps. */
export function wizardHref(findingId: string, state: WizardState, patch: Partial<WizardState> = {}): string {
  const s = { ...state, ...patch };
  const q = new URLSearchParams();
  q.set("step", s.step);
  if (s.planId) q.set("plan", s.planId);
  for (const scope of s.scopes ?? []) q.append("scope", scope);
  if (s.roleDefinitionId) q.set("role", s.roleDefinitionId);
  if (s.format) q.set("format", s.format);
  if (s.changeId) q.set("change", s.changeId);
  return `/findings/${encodeURIComponent(findingId)}/fix?${q.toString()}`;
}

export function choicesOf(state: WizardState): PlanChoices {
  return { ...(state.scopes ? { scopes: state.scopes } : {}), ...(state.roleDefinitionId ? { roleDefinitionId: state.roleDefinitionId } : {}) };
}

export interface StepperItem {
  step: WizardStep;
  label: string;
  index: number;
  href: string;
  current: boolean;
  complete: boolean;
  /** Why the step cannot be opened yet; undefined when it can. */
  disabledReason?: string;
}

export interface StepperFacts {
  /** Why the plan cannot be applied automatically (engine's `blocked`), if it cannot. */
  blocked?: string;
  /** A change for this finding was applied (the verify step has something to report). */
  changeId?: string;
}

/** The stepper: every step with its link, the current one marked, unreachable ones with the reason. */
export function buildStepper(findingId: string, state: WizardState, facts: StepperFacts): StepperItem[] {
  const currentIndex = WIZARD_STEPS.indexOf(state.step);
  return WIZARD_STEPS.map((step, index) => {
    let disabledReason: string | undefined;
    if (step === WizardStep.Apply && facts.blocked) disabledReason = `Cannot be applied automatically: ${facts.blocked}`;
    if (step === WizardStep.Verify && !facts.changeId && !state.changeId) disabledReason = "Apply the change first";
    const item: StepperItem = {
      step,
      label: STEP_LABEL[step],
      index,
      href: wizardHref(findingId, state, { step, ...(step === WizardStep.Verify && facts.changeId ? { changeId: facts.changeId } : {}) }),
      current: step === state.step,
      complete: index < currentIndex,
    };
    if (disabledReason) item.disabledReason = disabledReason;
    return item;
  });
}

/** The step after `step` that can be opened, for the "Next" button. */
export function nextStep(items: readonly StepperItem[], step: WizardStep): StepperItem | undefined {
  return items.slice(WIZARD_STEPS.indexOf(step) + 1).find((i) => !i.disabledReason);
}

/** The rule id of a finding id (`<rule-id>-<hash>`), for verifying a finding the rescan no longer reports. */
export function ruleIdOfFindingId(findingId: string, ruleIds: readonly string[]): string | undefined {
  return [...ruleIds].sort((a, b) => b.length - a.length).find((r) => findingId.startsWith(`${r}-`));
}
