import { SeverityBadge } from "@/components/findings/severity-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, formatDateTime } from "@/components/ui/format";
import type { Finding } from "@/lib/model/findings";
import { ScrollRegion } from "@/components/ui/scroll-region";

/** Findings of the previous scan that this scan no longer reports, as they were stored then. */
export function ResolvedFindings({ findings, previousScannedAt }: { findings: readonly Finding[]; previousScannedAt: string }) {
  return (
    <section className="card section" aria-labelledby="resolved-title">
      <div className="section-header">
        <h2 id="resolved-title">Resolved since the previous scan</h2>
        <p>
          Reported by the scan of <time dateTime={previousScannedAt}>{formatDateTime(previousScannedAt)}</time>, gone now
        </p>
      </div>
      {findings.length === 0 ? (
        <EmptyState title="Nothing resolved since the previous scan" />
      ) : (
        <ScrollRegion label="Resolved findings">
          <table className="data">
            <caption className="visually-hidden">Resolved findings</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Finding</th>
                <th scope="col">Identity</th>
                <th scope="col">Role</th>
                <th scope="col">Scope</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={f.id}>
                  <td>
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <th scope="row" style={{ maxWidth: 420 }}>
                    <div className="cell-title">{f.title}</div>
                    <div className="cell-sub">{f.message}</div>
                    <div className="id">{f.ruleId}</div>
                  </th>
                  <td>{f.identityName ?? f.principalId ?? <span className="muted">—</span>}</td>
                  <td>{f.roleName ?? <span className="muted">—</span>}</td>
                  <td style={{ maxWidth: 300 }}>{f.scope ? <span className="id">{f.scope}</span> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="pagination" style={{ margin: 0 }}>
            {formatCount(findings.length)} resolved
          </p>
        </ScrollRegion>
      )}
    </section>
  );
}
