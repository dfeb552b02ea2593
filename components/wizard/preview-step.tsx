import { TerraformOrigin } from "@/components/findings/terraform-origin";
import type { RenderFormat } from "@/lib/remediation/render";
import type { CodeFixView } from "./code-fix";
import type { PreviewTab } from "./preview";
import { PreviewTabs } from "./preview-tabs";

/** Step 3: the plan with the person's choices as az, Terraform, Bicep and YAML, and the steps people do by hand. */
export function PreviewStep({
  summary,
  tabs,
  initial,
  handSteps,
  manualOnly,
  codeFix,
}: {
  summary: string;
  tabs: PreviewTab[];
  initial: RenderFormat;
  handSteps: { description: string; command?: string }[];
  manualOnly: boolean;
  codeFix?: CodeFixView & { downloadHref: string; fileName: string };
}) {
  return (
    <section className="card section" aria-labelledby="p-title">
      <div className="section-header">
        <h2 id="p-title">Preview</h2>
        <p>{summary}</p>
      </div>
      <div className="section-body">
        {codeFix ? <CodeFixPreview fix={codeFix} /> : null}
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

/** The change to the Terraform source that manages the grant: the fix people should apply through their pipeline. */
function CodeFixPreview({ fix }: { fix: CodeFixView & { downloadHref: string; fileName: string } }) {
  return (
    <section className="callout callout-info code-fix" aria-labelledby="code-fix-title">
      <h3 id="code-fix-title" className="flush-top">
        Change the Terraform source
      </h3>
      <p>
        <TerraformOrigin origin={fix.origin} />. A change made through the API is set back by the next <code>terraform apply</code>: apply this change in your pipeline instead.
      </p>
      {"diff" in fix ? (
        <>
          <p>
            {fix.summary} in <code>{fix.file}</code>.{" "}
            <a className="button button-small" href={fix.downloadHref} download={fix.fileName}>
              Download {fix.fileName}
            </a>
          </p>
          <pre className="code rendered" role="region" aria-label="Patch to the Terraform source" tabIndex={0}>
            <code>{fix.diff}</code>
          </pre>
        </>
      ) : (
        <p>No patch could be written: {fix.error}.</p>
      )}
    </section>
  );
}
