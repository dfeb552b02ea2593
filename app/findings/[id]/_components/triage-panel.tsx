import "@/components/findings/triage.css";
import { TriageBadge } from "@/components/findings/triage-badge";
import { formatDateTime } from "@/components/ui/format";
import { DecisionSubjectKind, type DecisionSubject } from "@/lib/model/decisions";
import type { Finding } from "@/lib/model/findings";
import { TriageState, utcDate } from "@/lib/model/triage";
import type { FindingTriageView } from "@/lib/scan/triage";
import type { DecisionHistoryEntry } from "@/lib/store/decisions";
import { DecisionForm } from "./decision-form";

const stateLabels = { [TriageState.Accepted]: "accepted the risk", [TriageState.FalsePositive]: "marked it a false positive" } as const;

function subjectLabel(subject: DecisionSubject): string {
  switch (subject.kind) {
    case DecisionSubjectKind.Finding:
      return "this finding";
    case DecisionSubjectKind.Rule:
      return `rule ${subject.ruleId} at ${subject.scope} and below`;
    case DecisionSubjectKind.Identity:
      return `every finding about identity ${subject.principalId}`;
  }
}

/** The finding's triage: its decision (from the exceptions file, read-only, or made here), the form, and the decisions' history. */
export function TriagePanel({
  finding,
  view,
  history,
  problems,
}: {
  finding: Finding;
  view: FindingTriageView;
  history: DecisionHistoryEntry[];
  problems: string[];
}) {
  const decision = view.decision;
  const current = view.source === "dashboard" && decision ? { subject: decision.subject.kind, scope: decision.subject.kind === DecisionSubjectKind.Rule ? decision.subject.scope : undefined, label: "the decision" } : undefined;
  return (
    <section className="card section" aria-labelledby="triage-title">
      <div className="section-header">
        <h2 id="triage-title">Triage</h2>
        <p>
          <TriageBadge status={view.status} showOpen />
        </p>
      </div>
      <div className="section-body">
        {problems.map((p) => (
          <div key={p} className="callout callout-warn" role="status">
            <p className="code-wrap">{p}</p>
          </div>
        ))}
        {view.reopened ? (
          <p className="callout callout-info">
            Open again: {view.reopened}.
          </p>
        ) : null}
        {view.source === "file" && view.entry ? (
          <>
            <dl className="meta-list">
              <dt>Reason</dt>
              <dd>{view.entry.reason}</dd>
              <dt>Owner</dt>
              <dd>{view.entry.owner}</dd>
              <dt>Expires</dt>
              <dd>{view.entry.expires}</dd>
              <dt>Decided in</dt>
              <dd>
                <span className="id">
                  {view.entry.file}:{view.entry.line}
                </span>
              </dd>
            </dl>
            <p className="muted">This decision lives in the team&apos;s exceptions file, which CI reads too: change it there.</p>
          </>
        ) : decision ? (
          <dl className="meta-list">
            <dt>Applies to</dt>
            <dd>{subjectLabel(decision.subject)}</dd>
            <dt>Reason</dt>
            <dd>{decision.reason}</dd>
            <dt>Owner</dt>
            <dd>{decision.owner}</dd>
            <dt>Expires</dt>
            <dd>{decision.expires}</dd>
            <dt>Decided by</dt>
            <dd>
              {decision.decidedBy}, <time dateTime={decision.decidedAt}>{formatDateTime(decision.decidedAt)}</time>
            </dd>
          </dl>
        ) : null}
        {view.source !== "file" ? (
          <DecisionForm
            findingId={finding.id}
            ruleId={finding.ruleId}
            defaultScope={finding.scope ?? finding.clusterId}
            hasIdentity={!!finding.principalId}
            current={current}
            today={utcDate(new Date())}
          />
        ) : null}
        {history.length > 0 ? (
          <>
            <h3>History</h3>
            <ol className="decision-history" aria-label="Decision history">
              {history.map((h) => (
                <li key={h.seq}>
                  <time dateTime={h.at}>{formatDateTime(h.at)}</time>: {h.actor}{" "}
                  {h.action === "withdraw" ? `withdrew the decision about ${subjectLabel(h.decision.subject)}` : `${stateLabels[h.decision.state]} for ${subjectLabel(h.decision.subject)}`}
                  {h.action === "decide" ? ` (owner ${h.decision.owner}, until ${h.decision.expires}): ${h.decision.reason}` : ""}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
    </section>
  );
}
