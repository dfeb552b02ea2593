import type { Metadata } from "next";
import Link from "next/link";
import { buildChangeView, buildUnfinished, type ChangeView } from "@/components/wizard/changes";
import "@/components/findings/findings.css";
import "@/components/wizard/wizard.css";
import { Badge } from "@/components/ui/badge";
import { CopyId } from "@/components/ui/copy-id";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportLinks } from "@/components/exports/export-links";
import { formatDateTime } from "@/components/ui/format";
import { currentViewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import { listChanges } from "@/lib/scan/apply";
import type { ChangeRecord } from "@/lib/store/audit";
import { ChangeActions } from "./_components/change-actions";
import { connection } from "next/server";

export const metadata: Metadata = { title: "Changes" };

// An undo's summary already reads "Undo of: …"; only a finish needs its kind said.

function StepList({ change }: { change: ChangeView }) {
  return (
    <ol className="step-states" aria-label={`Steps of change ${change.id}`}>
      {change.steps.map((s) => (
        <li key={s.seq}>
          <span className="step-state" data-state={s.status}>
            {s.seq}. {s.status}
          </span>
          <span>
            {s.rollback ? <Badge tone="warn">rollback</Badge> : null} {s.description} <CopyId id={s.target} what={`the target of step ${s.seq} of change ${change.summary}`} />
            {s.error ? <div className="cell-sub text-danger">{s.error}</div> : null}
            {s.before || s.after ? (
              <details className="disclosure">
                <summary>Before / after</summary>
                <div className="json-pair">
                  <div>
                    <div className="cell-sub">Before</div>
                    <pre className="code">
                      <code>{s.before ?? "(did not exist)"}</code>
                    </pre>
                  </div>
                  <div>
                    <div className="cell-sub">After</div>
                    <pre className="code">
                      <code>{s.after ?? "(does not exist)"}</code>
                    </pre>
                  </div>
                </div>
              </details>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

function ChangeItem({ change }: { change: ChangeView }) {
  return (
    <li id={`change-${change.id}`} data-testid="change" data-status={change.status}>
      <div className="change-head">
        <div className="title-block">
          <div className="flags">
            <Badge tone={change.tone}>{change.status}</Badge> {change.kind === "finish" ? <b>Finish:</b> : null} <span className="wrap-anywhere">{change.summary}</span>
          </div>
          <div className="cell-sub">
            by {change.actor} · started {formatDateTime(change.startedAt)}
            {change.finishedAt ? ` · finished ${formatDateTime(change.finishedAt)}` : ""} · finding <Link href={`/findings/${encodeURIComponent(change.findingId)}`}>{change.findingId}</Link> · plan {change.planId} ·{" "}
            <a href={`#change-${change.id}`}>link to this change</a>
            {change.targetChangeId ? (
              <>
                {" "}
                · {change.kind === "undo" ? "undoes" : "finishes"} <a href={`#change-${change.targetChangeId}`}>{change.targetChangeId.slice(0, 8)}</a>
              </>
            ) : null}
          </div>
          {change.error ? <p className="cell-sub text-danger">{change.error}</p> : null}
        </div>
        <ChangeActions changeId={change.id} canUndo={change.canUndo} canFinish={change.canFinish} undoRestarts={change.undoRestarts} />
      </div>
      <details className="disclosure change-steps">
        <summary>
          {change.steps.length} step{change.steps.length === 1 ? "" : "s"}
        </summary>
        <StepList change={change} />
      </details>
    </li>
  );
}

export default async function ChangesPage() {
  await connection();
  let records: ChangeRecord[];
  try {
    records = (await listChanges(await currentViewer(), { limit: 200 })).changes;
  } catch (err) {
    return (
      <>
        <div className="page-header">
          <h1>Changes</h1>
        </div>
        <section className="callout callout-danger" role="alert">
          <h2>The audit log could not be read</h2>
          <p>{(err as Error).message}</p>
        </section>
      </>
    );
  }
  // Read-only: no Undo or Finish buttons (their routes are gone too).
  const readOnly = serverEnv().SCOPEWISE_READ_ONLY;
  const actionable = <T extends { canUndo: boolean; canFinish: boolean }>(c: T): T => (readOnly ? { ...c, canUndo: false, canFinish: false } : c);
  const changes = records.map(buildChangeView).map(actionable);
  const unfinished = buildUnfinished(records).map((u) => ({ ...u, change: actionable(u.change) }));

  return (
    <>
      <div className="page-header">
        <div className="title-block">
          <h1>Changes</h1>
          <p className="muted">
            Every fix applied from Scopewise, newest first, with each write&apos;s object before and after
          </p>
        </div>
      </div>
      {unfinished.length > 0 ? (
        <section className="callout callout-danger" aria-labelledby="unfinished-title" data-testid="unfinished">
          <h2 id="unfinished-title">
            {unfinished.length} unfinished change{unfinished.length === 1 ? "" : "s"}
          </h2>
          <p>A process stopped, or an undo failed, part-way through. Finish each (run what is left) or undo it (reverse what was done).</p>
          <ul className="change-list">
            {unfinished.map((u) => (
              <li key={u.change.id}>
                <div className="change-head">
                  <div>
                    <a href={`#change-${u.change.id}`}>{u.change.summary}</a>
                    <div className="cell-sub">
                      done: {u.done.join(", ") || "none"} · may or may not have happened: {u.uncertain.join(", ") || "none"} · not started: {u.notStarted.join(", ") || "none"}
                    </div>
                  </div>
                  <ChangeActions changeId={u.change.id} canUndo={u.change.canUndo} canFinish={u.change.canFinish} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card section" aria-labelledby="log-title">
        <div className="section-header">
          <h2 id="log-title">Audit log</h2>
          {changes.length > 0 ? (
            <p>
              <ExportLinks href="/api/changes/export" noun="the audit log" />
            </p>
          ) : null}
        </div>
        {changes.length === 0 ? (
          <EmptyState title="No changes applied yet">
            <p>Fixes applied from a finding&apos;s wizard are recorded here, with Undo.</p>
          </EmptyState>
        ) : (
          <ul className="change-list" aria-label="Changes">
            {changes.map((c) => (
              <ChangeItem key={c.id} change={c} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
