import type { FindingDetail } from "@/components/findings/detail";
import { renderFindingMarkdown } from "@/components/findings/markdown";

/** The finding as Markdown for a ticket: shown as text to copy, and as a download. */
export function TicketSummary({ detail, findingUrl }: { detail: FindingDetail; findingUrl: string }) {
  const markdown = renderFindingMarkdown(detail, findingUrl);
  const path = `/api/findings/${encodeURIComponent(detail.finding.id)}/summary`;
  return (
    <section className="card section" aria-labelledby="ticket-title">
      <div className="section-header">
        <h2 id="ticket-title">For a ticket</h2>
        <p>
          A Markdown summary of this finding, with every name from the tenant written as literal text.{" "}
          <a href={path} download>
            Download summary (.md)
          </a>
        </p>
      </div>
      <div className="section-body">
        <details className="disclosure">
          <summary>Show the Markdown</summary>
          <pre className="code" tabIndex={0} aria-label="Markdown summary of this finding">
            <code>{markdown}</code>
          </pre>
        </details>
      </div>
    </section>
  );
}
