import "server-only";
import Link from "next/link";
import { formatCount } from "@/components/ui/format";
import { findingsOfIdentity } from "./detail";
import { loadCurrentScan } from "./load";
import { defaultFindingQuery, findingsHref } from "./query";
import { findingStatuses } from "./rows";
import { SeverityBadge, StatusMarker } from "./severity-badge";
import { SeverityCounts } from "./severity-counts";
import { countSeverities } from "./summary";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { CopyId } from "@/components/ui/copy-id";
import { ScopeBreadcrumb } from "@/components/inventory/scope-breadcrumb";
import { getIndex } from "@/components/inventory/lookup";
import { buildScopeCrumbs } from "@/lib/model/names";

/** Overview section: findings per severity, each linking into the filtered findings list. */
export async function FindingsSummary() {
  const loaded = await loadCurrentScan();
  // The overview already says when the tenant could not be scanned.
  if (!loaded.ok) return null;
  const { findings, comparison } = loaded.scan;
  const counts = countSeverities(findings);
  return (
    <section className="section" aria-labelledby="findings-summary-title">
      <div className="page-header" style={{ marginBottom: 8 }}>
        <h2 id="findings-summary-title">Findings</h2>
        <p style={{ margin: 0 }}>
          <Link href="/findings">{findings.length === 0 ? "No findings: every grant matches its job" : `All ${formatCount(findings.length)} findings`}</Link>
          {comparison?.previous ? (
            <span className="muted">
              {" · "}
              {formatCount(comparison.new.length)} new, {formatCount(comparison.resolved.length)} resolved since the previous scan
            </span>
          ) : null}
        </p>
      </div>
      <SeverityCounts counts={counts} hrefFor={(severity) => findingsHref(defaultFindingQuery, { severity })} />
    </section>
  );
}

/** Identity page section: the findings about this identity. */
export async function IdentityFindings({ identityKey, principalId }: { identityKey: string; principalId?: string }) {
  const loaded = await loadCurrentScan();
  if (!loaded.ok) return null;
  const own = findingsOfIdentity(loaded.scan.findings, { key: identityKey, principalId });
  const statuses = findingStatuses(loaded.scan.comparison);
  const index = getIndex(loaded.scan.inventory);
  return (
    <section className="card section" aria-labelledby="identity-findings-title">
      <div className="section-header">
        <h2 id="identity-findings-title">Findings</h2>
        <p>{own.length === 0 ? "No rule flags this identity" : `${formatCount(own.length)} about this identity, most severe first`}</p>
      </div>
      {own.length > 0 ? (
        <ScrollRegion label="Findings of this identity">
          <table className="data">
            <caption className="visually-hidden">Findings about this identity</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Finding</th>
                <th scope="col">Role</th>
                <th scope="col">Scope</th>
              </tr>
            </thead>
            <tbody>
              {own.map((f) => (
                <tr key={f.id}>
                  <td>
                    <SeverityBadge severity={f.severity} /> <StatusMarker status={statuses.get(f.id)} />
                  </td>
                  <th scope="row" style={{ maxWidth: 520 }}>
                    <Link className="cell-title" href={`/findings/${encodeURIComponent(f.id)}`}>
                      {f.title}
                    </Link>
                    <div className="cell-sub">{f.message}</div>
                  </th>
                  <td>{f.roleName ?? <span className="muted">—</span>}</td>
                  <td className="col-crumbs" style={{ maxWidth: 320 }}>
                    {f.scope ? (
                      <>
                        <ScopeBreadcrumb crumbs={buildScopeCrumbs(f.scope, index)} label={`Scope of ${f.title} (${f.id})`} landmark={false} />
                        <CopyId id={f.scope} what={`the scope of ${f.title}`} />
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );
}
