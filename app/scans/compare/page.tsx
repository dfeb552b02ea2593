import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { loadForPage } from "@/components/inventory/page-load";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { SeverityBadge, StatusMarker } from "@/components/findings/severity-badge";
import "@/components/scans/scans.css";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, formatDateTime } from "@/components/ui/format";
import { findingsFor, type FindingEntry } from "@/lib/scan/history";
import { asCurrentViewer, InventoryUnavailableError } from "@/lib/scan/load";
import { ScanStateBadge } from "../_components/state-badge";

export const metadata: Metadata = { title: "Compare scans" };

const query = z.object({ a: z.coerce.number().int().positive(), b: z.coerce.number().int().positive() });

type ListedFinding = Pick<FindingEntry, "id" | "severity" | "title" | "message" | "identityName" | "principalId"> & Partial<Pick<FindingEntry, "comparison" | "comparisonReason">>;

function FindingList({ title, entries, empty }: { title: string; entries: readonly ListedFinding[]; empty: string }) {
  return (
    <section className="card section" aria-label={title}>
      <div className="section-header">
        <h2>{title}</h2>
        <p>{formatCount(entries.length)}</p>
      </div>
      {entries.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Finding</th>
                <th scope="col">Identity</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((f) => (
                <tr key={f.id}>
                  <td>
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <th scope="row" className="cell-wide">
                    <div className="cell-title">{f.title}</div>
                    <div className="cell-sub">{f.message}</div>
                  </th>
                  <td>{f.identityName ?? f.principalId ?? <span className="muted">—</span>}</td>
                  <td>{f.comparison ? <StatusMarker status={f.comparison} reason={f.comparisonReason} /> : "Resolved"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Two scans of the history side by side: what is new, what is unknown (a source failed in either), what is resolved. */
export default async function CompareScansPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = query.safeParse(await searchParams);
  const loaded = await loadForPage(() =>
    asCurrentViewer(async (viewer) => {
      if (!parsed.success) throw new InventoryUnavailableError("Choose two scans to compare (a and b must be scan numbers).");
      const answer = await findingsFor(viewer, { scanId: parsed.data.a, compareTo: parsed.data.b });
      if (answer.status !== "ready") throw new InventoryUnavailableError(answer.status === "pending" ? "No scan has completed yet." : answer.message);
      return answer.view;
    }),
  );
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Compare scans</h1>
        </div>
        <InventoryUnavailable message={loaded.message} />
        <p>
          <Link href="/scans">Back to the scan history</Link>
        </p>
      </>
    );
  }
  const view = loaded.value;
  const by = (c: string) => view.findings.filter((f) => f.comparison === c);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>
            Scan #{view.scanId} compared with #{view.comparedWith?.scanId}
          </h1>
          <p>
            <ScanStateBadge state={view.state} /> {formatDateTime(view.scannedAt)} against {view.comparedWith ? <ScanStateBadge state={view.comparedWith.state} /> : null}{" "}
            {view.comparedWith ? formatDateTime(view.comparedWith.scannedAt) : ""}. A finding is new only where both scans read its sources, resolved only where the
            newer one did; otherwise it is unknown.
          </p>
        </div>
        <Link href="/scans">Scan history</Link>
      </div>
      <FindingList title="New" entries={by("new")} empty="Nothing new" />
      <FindingList title="Unknown (a source failed)" entries={by("unknown")} empty="Nothing unknown: both scans read every source their findings rest on" />
      <FindingList title="Resolved" entries={view.resolved} empty="Nothing resolved" />
      <FindingList title="Unchanged" entries={by("unchanged")} empty="Nothing in both" />
    </>
  );
}
