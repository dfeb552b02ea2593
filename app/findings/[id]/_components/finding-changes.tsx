import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import type { Finding } from "@/lib/model/findings";
import type { ChangeRecord } from "@/lib/store/audit";

const changeHref = (id: string) => `/changes#change-${encodeURIComponent(id)}`;

/** The changes Scopewise applied, undid or finished for this finding, newest first: its history in the audit log. */
export function FindingChanges({ changes, error }: { changes: readonly ChangeRecord[]; error?: string }) {
  if (!error && changes.length === 0) return null;
  return (
    <section className="card section" aria-labelledby="finding-changes-title">
      <div className="section-header">
        <h2 id="finding-changes-title">Changes to this finding</h2>
        <p>Fixes applied from Scopewise, newest first, as the audit log records them</p>
      </div>
      <div className="section-body">
        {error ? <p className="text-danger">The audit log could not be read: {error}</p> : null}
        <ul className="plain-list">
          {changes.map((c) => (
            <li key={c.id}>
              <Badge tone={c.status === "applied" ? "ok" : c.status === "failed" ? "danger" : "neutral"}>{c.status}</Badge> <Link href={changeHref(c.id)}>{c.summary}</Link>{" "}
              <span className="cell-sub">
                {c.kind} by {c.actor}, <time dateTime={c.finishedAt ?? c.startedAt}>{formatDateTime(c.finishedAt ?? c.startedAt)}</time>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

/**
 * The page of a finding the current scan no longer reports because a change from Scopewise
 * fixed it: which change, when and by whom, with links to the change and to its verification.
 * `before` is the finding as the previous scan reported it, when that scan is the baseline.
 */
export function FixedFinding({ findingId, fix, before, changes }: { findingId: string; fix: ChangeRecord; before?: Finding; changes: readonly ChangeRecord[] }) {
  const at = fix.finishedAt ?? fix.startedAt;
  return (
    <>
      <p className="muted back-link">
        <Link href="/findings">← Findings</Link>
      </p>
      <div className="page-header">
        <div className="title-block">
          <h1>{before?.title ?? "Fixed finding"}</h1>
          <p className="flags">
            <Badge tone="ok">Fixed</Badge>
            <span className="id">{findingId}</span>
          </p>
        </div>
      </div>
      <section className="callout callout-info" aria-labelledby="fixed-title" data-testid="fixed-by">
        <h2 id="fixed-title">Fixed by a change from Scopewise</h2>
        <p>
          The current scan no longer reports this finding. It was fixed by change <Link href={changeHref(fix.id)}>{fix.summary}</Link> on{" "}
          <time dateTime={at}>{formatDateTime(at)}</time> by {fix.actor}.
        </p>
        {before ? <p className="finding-message">Before: {before.message}</p> : null}
        <p>
          <Link className="button" href={`/findings/${encodeURIComponent(findingId)}/fix?step=verify&change=${encodeURIComponent(fix.id)}`}>
            See the verification
          </Link>
        </p>
      </section>
      <FindingChanges changes={changes} />
    </>
  );
}
