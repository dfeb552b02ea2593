import type { Finding, FixPlan, IacOrigin } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import type { ApplyResult, ChangeRecord, PlanChoices, StepReport } from "@/lib/remediation/changes";
import { renderContextFor, type RenderFormat } from "@/lib/remediation/render";
import { azCommandLine } from "@/lib/remediation/render/quote";
import { RoleCatalog } from "@/lib/roles/catalog";
import { buildBlastRadius, type BlastRadius } from "./blast-radius";
import { latestApplied } from "./changes";
import { buildChooseView, planKind, PlanKind, type ChooseView } from "./choose";
import { STAGED_MIGRATION_PLAN_ID, type MigrationBinding } from "@/lib/model/staged-migration";
import { listMigrationBindings } from "@/lib/rules/pod-identity-deprecated/staged-plan";
import { buildChosenPlan, WizardChoiceError } from "./chosen-plan";
import type { CodeFixView } from "./code-fix";
import { patchFileName } from "./code-fix";
import { buildPreviewTabs, downloadHref, initialTab, type PreviewTab } from "./preview";
import { buildStepper, choicesOf, nextStep, parseWizardQuery, ruleIdOfFindingId, WizardStep, wizardHref, type SearchParams, type StepperItem, type WizardState } from "./steps";

/** What the wizard page loads; everything else is derived here. */
export interface WizardInput {
  /** The finding id from the URL, decoded. */
  findingId: string;
  query: SearchParams;
  inventory: Inventory;
  findings: readonly Finding[];
  /** The audit log's changes of this finding, newest first. */
  changes: readonly ChangeRecord[];
  auditError?: string;
  ruleIds: readonly string[];
  /** Whom an apply acts as, in words. */
  actorName: string;
  /** The engine's dry run of a finding's plan with these choices (the same answer POST /api/changes gives). */
  dryRun(finding: Finding, plan: FixPlan, choices: PlanChoices): ApplyResult;
  /** The server runs read-only (SCOPEWISE_READ_ONLY): there is no apply, only the rendered plan. */
  readOnly?: boolean;
  /** The fix as a change to the Terraform source, for a finding on a grant a configured state holds (buildCodeFixView). */
  codeFixOf?: (finding: Finding, chosen: FixPlan) => CodeFixView | undefined;
  /** The production cluster the plan changes, whose name the person types to apply (lib/scan/production.ts). */
  productionClusterOf?: (finding: Finding, chosen: FixPlan) => string | undefined;
}

export interface NavLink {
  href: string;
  label: string;
}

export interface VerifyBody {
  step: typeof WizardStep.Verify;
  finding: Pick<Finding, "id" | "ruleId">;
  inventory: Inventory;
  change?: ChangeRecord;
  auditError?: string;
}

/** The body of the current step. */
export type WizardBody =
  | { step: "unavailable"; label: string; reason: string }
  | { step: typeof WizardStep.Understand; finding: Finding; radius?: BlastRadius }
  | { step: typeof WizardStep.Choose; view: ChooseView; planId: string; planHrefs: Record<string, string>; formAction: string }
  | { step: typeof WizardStep.Preview; summary: string; tabs: PreviewTab[]; initial: RenderFormat; handSteps: { description: string; command?: string }[]; manualOnly: boolean; codeFix?: CodeFixView & { downloadHref: string; fileName: string } }
  | {
      step: typeof WizardStep.Apply;
      planned: StepReport[];
      followUps: string[];
      panel: ApplyPanelProps;
    }
  | VerifyBody;

export interface ApplyPanelProps {
  findingId: string;
  planId: string;
  choices: PlanChoices;
  touchesKubernetes: boolean;
  actorName: string;
  verifyHref: string;
  /** The grant is managed by Terraform: the change belongs in the pipeline; applying here needs an explicit override. */
  terraform?: { origin: IacOrigin; previewHref: string };
  /** The plan changes a production cluster: Apply needs its name typed. */
  productionCluster?: string;
  /** An aad-pod-identity migration: the cluster's bindings, to migrate a chosen few in phases; `changeId` of one under way (pending, paused, stopped or interrupted). */
  staged?: { bindings: MigrationBinding[]; changeId?: string };
}

export type WizardModel =
  | { kind: "not-found" }
  /** After an apply the rescan no longer reports the finding: the verify step still answers. */
  | { kind: "verify-only"; back: NavLink; body: VerifyBody }
  | { kind: "no-plan"; back: NavLink }
  | {
      kind: "wizard";
      back: NavLink;
      title: string;
      subtitle: string;
      stepper: StepperItem[];
      /** What in the URL could not be used. */
      problems: string[];
      manualOnly: boolean;
      auditError?: string;
      body: WizardBody;
      nav: { back?: NavLink; next?: NavLink };
    };

function verifyOnly(input: WizardInput): WizardModel {
  const { state } = parseWizardQuery(input.query, []);
  const ruleId = ruleIdOfFindingId(input.findingId, input.ruleIds);
  if (state.step !== WizardStep.Verify || !ruleId) return { kind: "not-found" };
  const change = input.changes.find((c) => c.id === state.changeId) ?? latestApplied(input.changes, input.findingId);
  return { kind: "verify-only", back: { href: "/findings", label: "Findings" }, body: { step: WizardStep.Verify, finding: { id: input.findingId, ruleId }, inventory: input.inventory, change, auditError: input.auditError } };
}

/** The cluster's bindings, and the staged migration of this finding still under way, which the Apply step shows instead of a new one. */
function stagedOf(input: WizardInput, clusterId: string): NonNullable<ApplyPanelProps["staged"]> {
  const underWay = input.changes.find((c) => c.planId === STAGED_MIGRATION_PLAN_ID && (c.status === "pending" || c.status === "needs-reconcile"));
  return { bindings: listMigrationBindings(input.inventory, clusterId), ...(underWay ? { changeId: underWay.id } : {}) };
}

/** The plan with the URL's choices; choices it does not offer are dropped and said. */
function choose(plan: FixPlan, parsed: { state: WizardState; problems: string[] }, roleName: (id: string) => string | undefined): { state: WizardState; chosen: FixPlan; problems: string[] } {
  const problems = [...parsed.problems];
  try {
    return { state: parsed.state, chosen: buildChosenPlan(plan, choicesOf(parsed.state), roleName), problems };
  } catch (err) {
    if (!(err instanceof WizardChoiceError)) throw err;
    const { step, planId, format, changeId } = parsed.state;
    problems.push(`${err.message}; showing the plan's own choices`);
    return { state: { step, planId, ...(format ? { format } : {}), ...(changeId ? { changeId } : {}) }, chosen: plan, problems };
  }
}

/**
 * The fix wizard for a finding and the URL's state: which step, what it shows, where Back and
 * Next go. Every step is a URL; the choices travel in it.
 */
export function buildWizardModel(input: WizardInput): WizardModel {
  const finding = input.findings.find((f) => f.id === input.findingId);
  if (!finding) return verifyOnly(input);
  const back = { href: `/findings/${encodeURIComponent(finding.id)}`, label: finding.title };
  if (finding.fixes.length === 0) return { kind: "no-plan", back };

  const catalog = RoleCatalog.withBuiltins(input.inventory.roleDefinitions);
  const parsed = parseWizardQuery(input.query, finding.fixes);
  const plan = finding.fixes.find((p) => p.id === parsed.state.planId)!;
  const { state, chosen, problems } = choose(plan, parsed, (id) => catalog.get(id)?.roleName);
  const kind = planKind(plan);
  const dry = input.dryRun(finding, plan, choicesOf(state));
  const blocked = input.readOnly
    ? "this Scopewise server runs read-only; use the preview's script or templates"
    : kind === PlanKind.Manual
      ? "this plan has only manual steps; use the preview"
      : dry.blocked;
  const applied = latestApplied(input.changes, finding.id);
  const stepper = buildStepper(finding.id, state, { blocked, changeId: state.changeId ?? applied?.id });
  const current = stepper.find((s) => s.current)!;
  const next = nextStep(stepper, state.step);
  const previous = current.index > 0 ? stepper[current.index - 1] : undefined;
  // Choose submits its own form, and Apply moves on only once applied; a plan without role choices just goes on from Choose.
  const forward = next && (state.step === WizardStep.Choose ? kind !== PlanKind.Role : state.step !== WizardStep.Apply) ? next : undefined;

  let body: WizardBody;
  if (current.disabledReason) {
    body = { step: "unavailable", label: current.label, reason: current.disabledReason };
  } else if (state.step === WizardStep.Understand) {
    body = { step: WizardStep.Understand, finding, ...(finding.principalId ? { radius: buildBlastRadius(input.inventory, finding.principalId, chosen, catalog) } : {}) };
  } else if (state.step === WizardStep.Choose) {
    const planHrefs = Object.fromEntries(finding.fixes.map((p) => [p.id, wizardHref(finding.id, { step: WizardStep.Choose, planId: p.id })]));
    body = { step: WizardStep.Choose, view: buildChooseView(input.inventory, finding, plan, state, catalog), planId: plan.id, planHrefs, formAction: `/findings/${encodeURIComponent(finding.id)}/fix` };
  } else if (state.step === WizardStep.Preview) {
    const tabs = buildPreviewTabs(finding.id, chosen, renderContextFor(input.inventory, chosen), state);
    const handSteps = chosen.steps.flatMap((s) => (s.kind === "manual" ? [{ description: s.description }] : s.kind === "az-command" ? [{ description: s.description, command: azCommandLine(s.args) }] : []));
    const codeFix = input.codeFixOf?.(finding, chosen);
    body = {
      step: WizardStep.Preview,
      summary: chosen.summary,
      tabs,
      initial: initialTab(tabs, state.format),
      handSteps,
      manualOnly: kind === PlanKind.Manual,
      ...(codeFix ? { codeFix: { ...codeFix, downloadHref: downloadHref(finding.id, state, "patch"), fileName: patchFileName(finding, chosen) } } : {}),
    };
  } else if (state.step === WizardStep.Apply) {
    const productionCluster = input.productionClusterOf?.(finding, chosen);
    body = {
      step: WizardStep.Apply,
      planned: dry.steps,
      followUps: dry.followUps,
      panel: {
        findingId: finding.id,
        planId: plan.id,
        choices: choicesOf(state),
        touchesKubernetes: dry.steps.some((s) => s.op.startsWith("kubernetes-")),
        actorName: input.actorName,
        verifyHref: wizardHref(finding.id, state, { step: WizardStep.Verify, changeId: undefined }),
        ...(finding.iac ? { terraform: { origin: finding.iac, previewHref: wizardHref(finding.id, state, { step: WizardStep.Preview }) } } : {}),
        ...(productionCluster ? { productionCluster } : {}),
        ...(finding.ruleId === "pod-identity-deprecated" && finding.clusterId ? { staged: stagedOf(input, finding.clusterId) } : {}),
      },
    };
  } else {
    const change = input.changes.find((c) => c.id === state.changeId) ?? applied;
    body = { step: WizardStep.Verify, finding, inventory: input.inventory, change, auditError: input.auditError };
  }
  // Verify is about the change that was applied: after the rescan the finding may offer other plans (the bindings left).
  const verified = body.step === WizardStep.Verify ? body.change : undefined;

  return {
    kind: "wizard",
    back,
    title: `Fix: ${finding.title}`,
    subtitle: `${finding.identityName ? `${finding.identityName} · ` : ""}${verified ? `applied: ${verified.summary}` : plan.summary}`,
    stepper,
    problems,
    manualOnly: kind === PlanKind.Manual,
    ...(input.auditError ? { auditError: input.auditError } : {}),
    body,
    nav: { ...(previous ? { back: { href: previous.href, label: previous.label } } : {}), ...(forward ? { next: { href: forward.href, label: forward.label } } : {}) },
  };
}
