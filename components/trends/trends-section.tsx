import "server-only";
import { severityLabels } from "@/components/findings/severity";
import { formatCount } from "@/components/ui/format";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { SEVERITY_ORDER } from "@/lib/model/findings";
import { asCurrentViewer } from "@/lib/scan/load";
import { getTrends } from "@/lib/scan/trend-history";
import type { Trends } from "@/lib/scan/trends";
import { FlowChart, OpenFindingsChart } from "./charts";
import { flowSummary, formatSpan, openSummary, scanLabel } from "./view";
import "./trends.css";

function PointsTable({ trends }: { trends: Trends }) {
  return (
    <details className="disclosure">
      <summary>The numbers, scan by scan</summary>
      <ScrollRegion label="Findings per scan">
        <table className="data">
          <caption className="visually-hidden">Open, new and resolved findings per scan</caption>
          <thead>
            <tr>
              <th scope="col">Scan</th>
              {SEVERITY_ORDER.map((s) => (
                <th key={s} scope="col">
                  {severityLabels[s]}
                </th>
              ))}
              <th scope="col">Open</th>
              <th scope="col">New</th>
              <th scope="col">Resolved</th>
              <th scope="col">Not checked</th>
            </tr>
          </thead>
          <tbody>
            {trends.points.map((p) => (
              <tr key={p.scanId}>
                <th scope="row">
                  <time dateTime={p.scannedAt}>{scanLabel(p.scannedAt)}</time> · scan {p.scanId}
                  {p.partial ? " (partial)" : ""}
                </th>
                {SEVERITY_ORDER.map((s) => (
                  <td key={s}>{formatCount(p.open[s])}</td>
                ))}
                <td>{formatCount(p.total)}</td>
                <td>{p.new === undefined ? "—" : formatCount(p.new)}</td>
                <td>{p.resolved === undefined ? "—" : formatCount(p.resolved)}</td>
                <td>{p.unverified === undefined ? "—" : formatCount(p.unverified + (p.unknown ?? 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </details>
  );
}

function SourcesTable({ trends }: { trends: Trends }) {
  if (trends.sources.length === 0) return null;
  return (
    <ScrollRegion label="Trends per subscription and cluster">
      <table className="data">
        <caption>
          Per subscription and cluster<span className="caption-note">over the scans kept; a finding may count for both its subscription and its cluster</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Subscription or cluster</th>
            <th scope="col">Open now</th>
            <th scope="col">New</th>
            <th scope="col">Resolved</th>
            <th scope="col">Mean time to fix</th>
          </tr>
        </thead>
        <tbody>
          {trends.sources.map((s) => (
            <tr key={s.key}>
              <th scope="row">
                <span className="wrap-anywhere">{s.name}</span> <span className="cell-sub">{s.kind}</span>
              </th>
              <td>{formatCount(s.open)}</td>
              <td>{formatCount(s.new)}</td>
              <td>{formatCount(s.resolved)}</td>
              <td>{s.meanTimeToFixMs === undefined ? "—" : formatSpan(s.meanTimeToFixMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Legend({ items }: { items: { key: string; label: string; attr: "severity" | "flow" }[] }) {
  return (
    <ul className="trend-legend" aria-hidden="true">
      {items.map((i) => (
        <li key={i.key}>
          <svg width="12" height="12" viewBox="0 0 12 12">
            <rect className="trend-bar" {...{ [`data-${i.attr}`]: i.key }} width="12" height="12" />
          </svg>
          {i.label}
        </li>
      ))}
    </ul>
  );
}

/** The overview's trends: open findings by severity over time, new vs resolved per scan, mean time to fix, per subscription and cluster. */
export async function TrendsSection() {
  let trends: Trends;
  try {
    trends = await asCurrentViewer(getTrends);
  } catch (err) {
    return (
      <section className="callout callout-warn section" aria-labelledby="trends-title">
        <h2 id="trends-title">Trends</h2>
        <p>The scan history could not be read: {(err as Error).message}</p>
      </section>
    );
  }
  if (trends.points.length < 2) {
    return (
      <section className="card section" aria-labelledby="trends-title">
        <div className="section-header">
          <h2 id="trends-title">Trends</h2>
          <p>{openSummary(trends)} Trends start once two scans are recorded.</p>
        </div>
      </section>
    );
  }
  return (
    <section className="card section" aria-labelledby="trends-title">
      <div className="section-header">
        <h2 id="trends-title">Trends</h2>
        <p>From the last {formatCount(trends.points.length)} scans with findings; partial scans never count what they could not read as resolved or new.</p>
      </div>
      <div className="section-body trend-grid-2">
        <figure className="trend-figure">
          <figcaption>
            <h3 id="trend-open-title">Open findings by severity</h3>
            <p id="trend-open-desc">{openSummary(trends)}</p>
          </figcaption>
          <OpenFindingsChart points={trends.points} titleId="trend-open-title" descId="trend-open-desc" />
          <Legend items={SEVERITY_ORDER.map((s) => ({ key: s, label: severityLabels[s], attr: "severity" }))} />
        </figure>
        <figure className="trend-figure">
          <figcaption>
            <h3 id="trend-flow-title">New and resolved per scan</h3>
            <p id="trend-flow-desc">{flowSummary(trends)}</p>
          </figcaption>
          <FlowChart points={trends.points} titleId="trend-flow-title" descId="trend-flow-desc" />
          <Legend
            items={[
              { key: "new", label: "New (up)", attr: "flow" },
              { key: "resolved", label: "Resolved (down)", attr: "flow" },
            ]}
          />
        </figure>
      </div>
      <div className="section-body">
        <PointsTable trends={trends} />
      </div>
      <SourcesTable trends={trends} />
    </section>
  );
}
