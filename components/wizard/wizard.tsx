import Link from "next/link";
import { ChooseStep } from "./choose-step";
import type { NavLink, WizardBody, WizardModel } from "./model";
import { ApplyStep } from "./apply-step";
import { PreviewStep } from "./preview-step";
import { StepFocus } from "./step-focus";
import { Stepper } from "./stepper";
import { UnderstandStep } from "./understand-step";
import { VerifyStep } from "./verify-step";

function BackLink({ link }: { link: NavLink }) {
  return (
    <p className="muted back-link">
      <Link href={link.href}>← {link.label}</Link>
    </p>
  );
}

function Body({ body }: { body: WizardBody }) {
  switch (body.step) {
    case "unavailable":
      return (
        <section className="callout callout-info">
          <h2>{body.label} is not available</h2>
          <p>{body.reason}.</p>
        </section>
      );
    case "understand":
      return <UnderstandStep finding={body.finding} evidence={body.finding.evidence} radius={body.radius} identityLabel={body.finding.identityName} />;
    case "choose":
      return <ChooseStep view={body.view} planId={body.planId} planHref={(planId) => body.planHrefs[planId]!} formAction={body.formAction} />;
    case "preview":
      return <PreviewStep summary={body.summary} tabs={body.tabs} initial={body.initial} handSteps={body.handSteps} manualOnly={body.manualOnly} codeFix={body.codeFix} />;
    case "apply":
      return <ApplyStep planned={body.planned} followUps={body.followUps} panel={body.panel} />;
    case "verify":
      return <VerifyStep finding={body.finding} inventory={body.inventory} change={body.change} auditError={body.auditError} />;
  }
}

/** The page when the scan could not be read at all. */
export function WizardHeading({ title }: { title: string }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
    </div>
  );
}

/** The fix wizard as its model says: back link, title, stepper, what the URL got wrong, the step, Back and Next. */
export function FixWizard({ model }: { model: Exclude<WizardModel, { kind: "not-found" }> }) {
  if (model.kind === "verify-only") {
    return (
      <>
        <BackLink link={model.back} />
        <WizardHeading title="Fix wizard · Verify" />
        <div data-step-body>
          <Body body={model.body} />
        </div>
        <StepFocus findingId={model.back.href} step={model.body.step} />
      </>
    );
  }
  if (model.kind === "no-plan") {
    return (
      <>
        <BackLink link={model.back} />
        <WizardHeading title="Fix wizard" />
        <section className="callout callout-info">
          <h2>No fix plan</h2>
          <p>This finding has no fix plan to walk through; its page explains what to do.</p>
        </section>
      </>
    );
  }
  return (
    <>
      <BackLink link={model.back} />
      <div className="page-header">
        <div className="title-block">
          <h1>{model.title}</h1>
          <p className="muted">{model.subtitle}</p>
        </div>
      </div>
      <Stepper items={model.stepper} />
      {model.problems.length > 0 ? (
        <div className="callout callout-warn" role="note">
          <p>Some of this link could not be used:</p>
          <ul className="problem-list">
            {model.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {model.manualOnly ? <p className="callout callout-info">This plan has only manual steps: Scopewise cannot apply it. Preview it to read, copy or download the steps.</p> : null}
      {model.auditError ? <p className="callout callout-warn">The audit log could not be read: {model.auditError}</p> : null}
      <div data-step-body>
        <Body body={model.body} />
      </div>
      <StepFocus findingId={model.back.href} step={model.body.step} />
      <div className="wizard-nav">
        {model.nav.back ? (
          <Link className="button" href={model.nav.back.href}>
            ← Back: {model.nav.back.label}
          </Link>
        ) : (
          <span />
        )}
        {model.nav.next ? (
          <Link className="button button-primary" href={model.nav.next.href}>
            Next: {model.nav.next.label} →
          </Link>
        ) : null}
      </div>
    </>
  );
}
