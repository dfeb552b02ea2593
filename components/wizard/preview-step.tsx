import type { RenderFormat } from "@/lib/remediation/render";
import type { PreviewTab } from "./preview";
import { PreviewTabs } from "./preview-tabs";

/** Step 3: the plan with the person's choices as az, Terraform, Bicep and YAML, and the steps people do by hand. */
export function PreviewStep({ summary, tabs, initial, handSteps, manualOnly }: { summary: string; tabs: PreviewTab[]; initial: RenderFormat; handSteps: { description: string; command?: string }[]; manualOnly: boolean }) {
  return (
    <section className="card section" aria-labelledby="p-title">
      <div className="section-header">
        <h2 id="p-title">Preview</h2>
        <p>{summary}</p>
      </div>
      <div className="section-body">
        {handSteps.length > 0 ? (
          <>
            <h3 className="flush-top">{manualOnly ? "Steps" : "Steps done by hand"}</h3>
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
          <div className={handSteps.length > 0 ? "wizard-tabs-after" : undefined}>
            <PreviewTabs tabs={tabs} initial={initial} />
          </div>
        ) : null}
      </div>
    </section>
  );
}
