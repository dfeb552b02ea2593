import type { PlanDescription } from "@/lib/remediation/describe";
import { CopyId } from "@/components/ui/copy-id";
import { EmptyState } from "@/components/ui/empty-state";

/** Each proposed plan in words, step by step; commands and manifests verbatim. */
export function FixPlans({ plans, remediation }: { plans: PlanDescription[]; remediation?: string }) {
  return (
    <section className="card section" aria-labelledby="fix-title">
      <div className="section-header">
        <h2 id="fix-title">Proposed fix</h2>
        {remediation ? <p>{remediation}</p> : null}
      </div>
      {plans.length === 0 ? (
        <EmptyState title="No fix plan for this finding" />
      ) : (
        plans.map((plan, i) => (
          <section key={plan.id} className="fix-plan" aria-label={`Fix plan ${i + 1}: ${plan.summary}`}>
            <h3>
              {plans.length > 1 ? `Option ${i + 1}: ` : ""}
              {plan.summary}
            </h3>
            <ol className="fix-steps">
              {plan.steps.map((step, j) => (
                <li key={j} data-kind={step.kind}>
                  <span className="fix-step-action">{step.action}</span>
                  <span style={{ overflowWrap: "anywhere" }}>{step.plain}</span>
                  {step.ids.map((ref) => (
                    <CopyId key={`${ref.what}|${ref.id}`} id={ref.id} what={ref.what} />
                  ))}
                  {step.alternatives ? <div className="cell-sub">Alternatives the wizard offers: {step.alternatives.join("; ")}</div> : null}
                  {step.command ? (
                    <pre className="code" aria-label="Command">
                      <code>{step.command}</code>
                    </pre>
                  ) : null}
                  {step.manifest ? (
                    <details className="disclosure">
                      <summary>Manifest</summary>
                      <pre className="code">
                        <code>{step.manifest}</code>
                      </pre>
                    </details>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        ))
      )}
    </section>
  );
}
