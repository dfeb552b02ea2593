import Link from "next/link";
import { formatDateTime } from "@/components/ui/format";
import { describeFailedSource, type SourceCoverage } from "@/lib/model/coverage";
import type { InventoryResult } from "@/lib/scan/load";
import { ChooseScanButton } from "./choose-scan-button";
import "./scans.css";

function FailedSources({ sources }: { sources: readonly SourceCoverage[] }) {
  if (sources.length === 0) return null;
  return (
    <ul className="scan-notice-sources">
      {sources.map((s) => (
        <li key={s.key}>{describeFailedSource(s)}</li>
      ))}
    </ul>
  );
}

/**
 * Which scan the pages show when it is not simply the newest one: the last complete scan while
 * rescans fail ("stale since …, the rescan at … failed: <reason>", per source, with the partial
 * result one click away); a scan someone opened from the history; or the newest partial scan
 * when none has completed yet.
 */
export function ScanNotice({ result }: { result: InventoryResult }) {
  const { scan, stale, chosen, partialOnly } = result;
  if (chosen) {
    return (
      <section className="callout callout-warn" aria-labelledby="scan-notice-title">
        <h2 id="scan-notice-title">
          Showing scan #{scan.id} of {formatDateTime(scan.scannedAt)}
          {scan.state === "partial" ? " (partial)" : ""}, opened from the history
        </h2>
        {scan.state === "partial" ? <p>These sources were not read; what rests on them is unknown, not gone:</p> : null}
        <FailedSources sources={(scan.coverage?.sources ?? []).filter((s) => s.state === "failed")} />
        <div className="scan-notice-actions">
          <ChooseScanButton scanId={null}>Back to the last complete scan</ChooseScanButton>
          <Link href="/scans">Scan history</Link>
        </div>
      </section>
    );
  }
  if (stale) {
    const latest = stale.latest;
    const verb = latest.state === "partial" ? "was partial" : latest.state === "failed" ? "failed" : latest.state;
    return (
      <section className="callout callout-warn" aria-labelledby="scan-notice-title">
        <h2 id="scan-notice-title">
          Stale since <time dateTime={stale.since}>{formatDateTime(stale.since)}</time>: the rescan at <time dateTime={latest.startedAt}>{formatDateTime(latest.startedAt)}</time> {verb}
          {latest.failure ? `: ${latest.failure}` : ""}
        </h2>
        <p>
          Showing the last complete scan, of <time dateTime={scan.scannedAt}>{formatDateTime(scan.scannedAt)}</time>.
          {latest.failedSources.length > 0 ? " The rescan could not read:" : ""}
        </p>
        <FailedSources sources={latest.failedSources} />
        <div className="scan-notice-actions">
          {stale.partialScanId !== undefined ? <ChooseScanButton scanId={stale.partialScanId}>Open the partial result</ChooseScanButton> : null}
          <Link href="/scans">Scan history</Link>
        </div>
      </section>
    );
  }
  if (partialOnly) {
    return (
      <section className="callout callout-warn" aria-labelledby="scan-notice-title">
        <h2 id="scan-notice-title">No complete scan yet: showing the partial scan of {formatDateTime(scan.scannedAt)}</h2>
        <p>These sources were not read; what rests on them is unknown, not gone:</p>
        <FailedSources sources={(scan.coverage?.sources ?? []).filter((s) => s.state === "failed")} />
      </section>
    );
  }
  return null;
}
