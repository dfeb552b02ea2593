import type { Metadata } from "next";
import { loadForPage } from "@/components/inventory/page-load";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { ChooseScanButton } from "@/components/scans/choose-scan-button";
import "@/components/scans/scans.css";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, formatDateTime, formatDuration } from "@/components/ui/format";
import { hasFindings } from "@/lib/model/coverage";
import { scanHistory } from "@/lib/scan/history";
import { asCurrentViewer } from "@/lib/scan/load";
import { CoverageSummary } from "./_components/coverage-summary";
import { ScanStateBadge } from "./_components/state-badge";

export const metadata: Metadata = { title: "Scan history" };

/** Every scan of what the person can see: state, coverage per source, findings; open one, or compare two. */
export default async function ScanHistoryPage() {
  const loaded = await loadForPage(() => asCurrentViewer((viewer) => scanHistory(viewer)));
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Scan history</h1>
        </div>
        <InventoryUnavailable message={loaded.message} />
      </>
    );
  }
  const { scans, running } = loaded.value;
  const comparable = scans.filter((s) => hasFindings(s.state));
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Scan history</h1>
          <p>Every scan and rescan, with what each could read. A partial or failed rescan never replaces the last complete scan; open one to see it.</p>
        </div>
      </div>
      {running ? (
        <p className="callout callout-info" role="status">
          A scan is running: {running.progress.summary}, started {formatDateTime(running.startedAt)}.
        </p>
      ) : null}
      {comparable.length >= 2 ? (
        <form className="card section compare-form" action="/scans/compare" method="get" aria-label="Compare two scans">
          <label className="field">
            <span>Scan</span>
            <select name="a" defaultValue={comparable[0]!.id}>
              {comparable.map((s) => (
                <option key={s.id} value={s.id}>{`#${s.id} · ${formatDateTime(s.startedAt)} · ${s.state}`}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>compared with</span>
            <select name="b" defaultValue={comparable[1]!.id}>
              {comparable.map((s) => (
                <option key={s.id} value={s.id}>{`#${s.id} · ${formatDateTime(s.startedAt)} · ${s.state}`}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button-small">
            Compare
          </button>
        </form>
      ) : null}
      <section className="card section">
        {scans.length === 0 ? (
          <EmptyState title="No scan recorded yet" />
        ) : (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Scans, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Scan</th>
                  <th scope="col">State</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Findings</th>
                  <th scope="col">Coverage</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {scans.map((s) => (
                  <tr key={s.id} data-testid="scan-row" data-state={s.state}>
                    <th scope="row">
                      <div className="cell-title">#{s.id}</div>
                      <div className="cell-sub">
                        <time dateTime={s.startedAt}>{formatDateTime(s.startedAt)}</time>
                      </div>
                    </th>
                    <td>
                      <ScanStateBadge state={s.state} />
                      {s.failure ? <div className="cell-sub">{s.failure}</div> : null}
                    </td>
                    <td>{formatDuration(s.durationMs)}</td>
                    <td>{hasFindings(s.state) ? formatCount(s.counts.total) : <span className="muted">—</span>}</td>
                    <td>{hasFindings(s.state) || s.coverage ? <CoverageSummary coverage={s.coverage} /> : <span className="muted">nothing read</span>}</td>
                    <td>{hasFindings(s.state) ? <ChooseScanButton scanId={s.id}>Open</ChooseScanButton> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
