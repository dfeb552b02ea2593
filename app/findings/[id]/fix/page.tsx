import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApplyPanel, StepStates } from "@/components/wizard/apply-panel";
import { buildBlastRadius } from "@/components/wizard/blast-radius";
import { buildChooseView, planKind, PlanKind } from "@/components/wizard/choose";
import { ChooseStep } from "@/components/wizard/choose-step";
import { buildChosenPlan, WizardChoiceError } from "@/components/wizard/chosen-plan";
import { latestApplied } from "@/components/wizard/changes";
import { buildPreviewTabs, initialTab } from "@/components/wizard/preview";
import { PreviewTabs } from "@/components/wizard/preview-tabs";
import { Stepper } from "@/components/wizard/stepper";
import { buildStepper, choicesOf, nextStep, parseWizardQuery, ruleIdOfFindingId, WizardStep, wizardHref, type SearchParams, type WizardState } from "@/components/wizard/steps";
import { UnderstandStep } from "@/components/wizard/understand-step";
import { VerifyStep } from "@/components/wizard/verify-step";
import "@/components/findings/findings.css";
import "@/components/wizard/wizard.css";
import { loadCurrentScan } from "@/components/findings/load";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { currentViewer } from "@/lib/auth/viewer";
import type { FixPlan } from "@/lib/model/findings";
import { resolvePlan, PlanChoiceError } from "@/lib/remediation/apply/resolve";
import { serverAuditLog } from "@/lib/scan/apply";
import { StepState, type StepReport } from "@/lib/remediation/apply/types";
import { renderContextFor } from "@/lib/remediation/render";
import { RoleCatalog } from "@/lib/roles/catalog";
import { rules } from "@/lib/rules/registry";
import type { ChangeRecord } from "@/lib/store/audit";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const metadata: Metadata = { title: "Fix wizard" };

/** The audit log's changes for the finding; an unreadable log is said, not hidden. */
function changesOf(findingId: string): { changes: ChangeRecord[]; error?: string } {
  try {
    return { changes: serverAuditLog().list({ findingId, limit: 20 }) };
  } catch (err) {
    return { changes: [], error: (err as Error).message };
  }
}

export default async function FixWizardPage({ params, searchParams }: Props) {
  const findingId = decodeId((await params).id);
  const query = await searchParams;
  const loaded = await loadCurrentScan();
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Fix wizard</h1>
        </div>
        <InventoryUnavailable message={loaded.message} />
      </>
    );
  }
  const { inventory, findings } = loaded.scan;
  const finding = findings.find((f) => f.id === findingId);
  const audit = changesOf(findingId);

  if (!finding) {
    // After an apply the rescan no longer reports the finding: the verify step still answers.
    const { state } = parseWizardQuery(query, []);
    const ruleId = ruleIdOfFindingId(findingId, rules.map((r) => r.meta.id));
    if (state.step !== WizardStep.Verify || !ruleId) notFound();
    const change = audit.changes.find((c) => c.id === state.changeId) ?? latestApplied(audit.changes, findingId);
    return (
      <>
        <p className="muted" style={{ margin: "0 0 8px" }}>
          <Link href="/findings">← Findings</Link>
        </p>
        <div className="page-header">
          <h1>Fix wizard · Verify</h1>
        </div>
        <VerifyStep finding={{ id: findingId, ruleId }} inventory={inventory} change={change} auditError={audit.error} />
      </>
    );
  }

  const back = (
    <p className="muted" style={{ margin: "0 0 8px" }}>
      <Link href={`/findings/${encodeURIComponent(finding.id)}`}>← {finding.title}</Link>
    </p>
  );
  if (finding.fixes.length === 0) {
    return (
      <>
        {back}
        <div className="page-header">
          <h1>Fix wizard</h1>
        </div>
        <section className="callout callout-info">
          <h2>No fix plan</h2>
          <p>This finding has no fix plan to walk through; its page explains what to do.</p>
        </section>
      </>
    );
  }

  const parsed = parseWizardQuery(query, finding.fixes);
  let state: WizardState = parsed.state;
  const problems = [...parsed.problems];
  const plan = finding.fixes.find((p) => p.id === state.planId)!;
  const catalog = RoleCatalog.withBuiltins(inventory.roleDefinitions);
  const roleName = (id: string) => catalog.get(id)?.roleName;

  let chosen: FixPlan = plan;
  try {
    chosen = buildChosenPlan(plan, choicesOf(state), roleName);
  } catch (err) {
    if (!(err instanceof WizardChoiceError)) throw err;
    problems.push(`${err.message}; showing the plan's own choices`);
    state = { step: state.step, planId: state.planId, ...(state.format ? { format: state.format } : {}), ...(state.changeId ? { changeId: state.changeId } : {}) };
  }
  let resolved: ReturnType<typeof resolvePlan> | undefined;
  let resolveError: string | undefined;
  try {
    resolved = resolvePlan(plan, inventory, { choices: choicesOf(state), kubernetes: true });
  } catch (err) {
    if (!(err instanceof PlanChoiceError)) throw err;
    resolveError = err.message;
  }
  const kind = planKind(plan);
  const blocked = kind === PlanKind.Manual ? "this plan has only manual steps; use the preview" : (resolveError ?? resolved?.blocked);
  const applied = latestApplied(audit.changes, finding.id);
  const stepper = buildStepper(finding.id, state, { blocked, changeId: state.changeId ?? applied?.id });
  const next = nextStep(stepper, state.step);
  const current = stepper.find((s) => s.current)!;
  const viewer = await currentViewer();
  const actorName = viewer.kind === "user" ? `${viewer.session.user.name} (${viewer.session.user.username})` : "the Scopewise server's own credential";

  let body: React.ReactNode;
  if (current.disabledReason) {
    body = (
      <section className="callout callout-info">
        <h2>{current.label} is not available</h2>
        <p>{current.disabledReason}.</p>
      </section>
    );
  } else if (state.step === WizardStep.Understand) {
    const radius = finding.principalId ? buildBlastRadius(inventory, finding.principalId, chosen, catalog) : undefined;
    body = <UnderstandStep finding={finding} evidence={finding.evidence} radius={radius} identityLabel={finding.identityName} />;
  } else if (state.step === WizardStep.Choose) {
    const view = buildChooseView(inventory, finding, plan, state, catalog);
    body = (
      <ChooseStep
        view={view}
        planId={plan.id}
        planHref={(planId) => wizardHref(finding.id, { step: WizardStep.Choose, planId })}
        formAction={`/findings/${encodeURIComponent(finding.id)}/fix`}
      />
    );
  } else if (state.step === WizardStep.Preview) {
    const tabs = buildPreviewTabs(finding.id, chosen, renderContextFor(inventory, chosen), state);
    const handSteps = chosen.steps.flatMap((s): { description: string; command?: string }[] => (s.kind === "manual" ? [{ description: s.description }] : s.kind === "az-command" ? [{ description: s.description, command: s.command }] : []));
    body = (
      <section className="card section" aria-labelledby="p-title">
        <div className="section-header">
          <h2 id="p-title">Preview</h2>
          <p>{chosen.summary}</p>
        </div>
        <div className="section-body">
          {handSteps.length > 0 ? (
            <>
              <h3 style={{ marginTop: 0 }}>{kind === PlanKind.Manual ? "Steps" : "Steps done by hand"}</h3>
              <ol className="fix-steps" aria-label="Steps done by hand">
                {handSteps.map((s, i) => (
                  <li key={i}>
                    {s.description}
                    {s.command ? (
                      <pre className="code">
                        <code>{s.command}</code>
                      </pre>
                    ) : null}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {tabs.some((t) => t.applicable) ? (
            <div style={{ marginTop: handSteps.length > 0 ? 16 : 0 }}>
              <PreviewTabs tabs={tabs} initial={initialTab(tabs, state.format)} />
            </div>
          ) : null}
        </div>
      </section>
    );
  } else if (state.step === WizardStep.Apply && resolved) {
    const planned: StepReport[] = resolved.operations.map((o, i) => ({ seq: i + 1, op: o.operation.op, target: "scope" in o.operation ? o.operation.scope : "id" in o.operation ? o.operation.id : o.operation.op, description: o.description, state: StepState.Planned }));
    body = (
      <section className="card section" aria-labelledby="a-title">
        <div className="section-header">
          <h2 id="a-title">Apply</h2>
          <p>Dry run by default: these are the writes, creations first. Nothing happens until you confirm.</p>
        </div>
        <div className="section-body">
          <StepStates steps={planned} label="Planned steps" />
          {resolved.followUps.length > 0 ? (
            <>
              <h3 style={{ marginTop: 12 }}>Left for you to do</h3>
              <ul>
                {resolved.followUps.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </>
          ) : null}
          <ApplyPanel
            findingId={finding.id}
            planId={plan.id}
            choices={choicesOf(state)}
            touchesKubernetes={resolved.operations.some((o) => o.operation.op.startsWith("kubernetes-"))}
            actorName={actorName}
            verifyHref={wizardHref(finding.id, state, { step: WizardStep.Verify, changeId: undefined })}
          />
        </div>
      </section>
    );
  } else {
    const change = audit.changes.find((c) => c.id === state.changeId) ?? applied;
    body = <VerifyStep finding={finding} inventory={inventory} change={change} auditError={audit.error} />;
  }

  return (
    <>
      {back}
      <div className="page-header">
        <div style={{ minWidth: 0 }}>
          <h1 style={{ overflowWrap: "anywhere" }}>Fix: {finding.title}</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            {finding.identityName ? `${finding.identityName} · ` : ""}
            {plan.summary}
          </p>
        </div>
      </div>
      <Stepper items={stepper} />
      {problems.length > 0 ? (
        <div className="callout callout-warn" role="note">
          <p>Some of this link could not be used:</p>
          <ul className="problem-list">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {kind === PlanKind.Manual ? (
        <p className="callout callout-info">This plan has only manual steps: Scopewise cannot apply it. Preview it to read, copy or download the steps.</p>
      ) : null}
      {audit.error ? <p className="callout callout-warn">The audit log could not be read: {audit.error}</p> : null}
      {body}
      <div className="wizard-nav">
        {current.index > 0 ? (
          <Link className="button" href={stepper[current.index - 1]!.href}>
            ← Back: {stepper[current.index - 1]!.label}
          </Link>
        ) : (
          <span />
        )}
        {next && state.step !== WizardStep.Choose && state.step !== WizardStep.Apply ? (
          <Link className="button button-primary" href={next.href}>
            Next: {next.label} →
          </Link>
        ) : state.step === WizardStep.Choose && kind !== PlanKind.Role && next ? (
          <Link className="button button-primary" href={next.href}>
            Next: {next.label} →
          </Link>
        ) : null}
      </div>
    </>
  );
}
