import { SeverityBadge } from "@/components/findings/severity-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, formatDateTime } from "@/components/ui/format";
import type { Finding } from "@/lib/model/findings";
import { ScrollRegion } from "@/components/ui/scroll-region";

/** Findings as the previous scan stored them, with an optional note per finding (why it is unknown). */
function StoredFindings({ rows, caption, noun }: { rows: readonly { finding: Finding; note?: string }[]; caption: string; noun: string }) {
  const withNotes = rows.some((r) => r.note);
  return (
    <ScrollRegion label={caption}>
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Finding</th>
            <th scope="col">Identity</th>
            <th scope="col">Role</th>
            <th scope="col">Scope</th>
            {withNotes ? <th scope="col">Why unknown</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ finding: f, note }) => (
            <tr key={f.id}>
              <td>
                <SeverityBadge severity={f.severity} />
              </td>
              <th scope="row" className="cell-wide">
                <div className="cell-title">{f.title}</div>
                <div className="cell-sub">{f.message}</div>
                <div className="id">{f.ruleId}</div>
              </th>
              <td>{f.identityName ?? f.principalId ?? <span className="muted">—</span>}</td>
              <td>{f.roleName ?? <span className="muted">—</span>}</td>
              <td className="cell-scope">{f.scope ? <span className="id">{f.scope}</span> : <span className="muted">—</span>}</td>
              {withNotes ? <td className="cell-scope">{note ?? ""}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="pagination table-footnote">
        {formatCount(rows.length)} {noun}
      </p>
    </ScrollRegion>
  );
}

/** Findings of the previous complete scan that this scan no longer reports, every source they rest on read again. */
export function ResolvedFindings({ findings, previousScannedAt }: { findings: readonly Finding[]; previousScannedAt: string }) {
  return (
    <section className="card section" aria-labelledby="resolved-title">
      <div className="section-header">
        <h2 id="resolved-title">Resolved since the previous scan</h2>
        <p>
          Reported by the complete scan of <time dateTime={previousScannedAt}>{formatDateTime(previousScannedAt)}</time>, gone now although every source they rest on was read
        </p>
      </div>
      {findings.length === 0 ? <EmptyState title="Nothing resolved since the previous scan" /> : <StoredFindings rows={findings.map((finding) => ({ finding }))} caption="Resolved findings" noun="resolved" />}
    </section>
  );
}

/** Findings of the previous complete scan that this scan could not check: a source they rest on failed. Unknown, not resolved. */
export function UnverifiedFindings({ rows, previousScannedAt }: { rows: readonly { finding: Finding; reason: string }[]; previousScannedAt: string }) {
  if (rows.length === 0) return null;
  return (
    <section className="card section" aria-labelledby="unverified-title">
      <div className="section-header">
        <h2 id="unverified-title">Unknown: not checked by this scan</h2>
        <p>
          Reported by the scan of <time dateTime={previousScannedAt}>{formatDateTime(previousScannedAt)}</time>; this scan could not read a source they rest on, so they are not called resolved
        </p>
      </div>
      <StoredFindings rows={rows.map((r) => ({ finding: r.finding, note: r.reason }))} caption="Findings this scan could not check" noun="unknown (source failed)" />
    </section>
  );
}
