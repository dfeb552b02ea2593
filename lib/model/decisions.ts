import type { Finding } from "./findings";
import { stableHash } from "./finding-id";
import { normalizeId, scopeContains } from "./scope";
import { triageInForce, type FindingTriage, type TriageState } from "./triage";

/** What a decision made in the dashboard is about. */
export const DecisionSubjectKind = {
  /** One finding, by its stable id. */
  Finding: "finding",
  /** Every finding of a rule at a scope and below it. */
  Rule: "rule",
  /** Every finding about one identity (principal id). */
  Identity: "identity",
} as const;
export type DecisionSubjectKind = (typeof DecisionSubjectKind)[keyof typeof DecisionSubjectKind];

export type DecisionSubject =
  | { kind: typeof DecisionSubjectKind.Finding; findingId: string }
  | { kind: typeof DecisionSubjectKind.Rule; ruleId: string; scope: string }
  | { kind: typeof DecisionSubjectKind.Identity; principalId: string };

/** A decision kept in the store (lib/store/decisions.ts). */
export interface Decision extends FindingTriage {
  /** One current decision per subject: re-deciding replaces it (the history keeps the old one). */
  subjectKey: string;
  subject: DecisionSubject;
  /** Evidence digests of the findings the person saw when deciding: other evidence reopens. */
  evidence: string[];
  decidedBy: string;
  decidedAt: string;
}

/** Where a finding's triage comes from and how it stands today. */
export const TriageStatus = {
  Open: "open",
  Accepted: "accepted",
  FalsePositive: "false-positive",
  /** A decision covered it and ran out: open again, and said so. */
  Expired: "expired",
} as const;
export type TriageStatus = (typeof TriageStatus)[keyof typeof TriageStatus];
export const TRIAGE_STATUSES: readonly TriageStatus[] = Object.values(TriageStatus);

export function statusOf(state: TriageState): TriageStatus {
  return state === "accepted" ? TriageStatus.Accepted : TriageStatus.FalsePositive;
}

export function subjectKeyOf(subject: DecisionSubject): string {
  switch (subject.kind) {
    case DecisionSubjectKind.Finding:
      return `finding:${subject.findingId}`;
    case DecisionSubjectKind.Rule:
      return `rule:${subject.ruleId}:${normalizeId(subject.scope)}`;
    case DecisionSubjectKind.Identity:
      return `identity:${subject.principalId.toLowerCase()}`;
  }
}

/**
 * The facts a decision rests on: the rule, the identity, the role and where it applies. A wider
 * role or a new scope gives another digest, so the decision no longer covers the finding.
 */
export function evidenceDigest(f: Pick<Finding, "ruleId" | "principalId" | "roleDefinitionId" | "roleName" | "scope" | "clusterId">): string {
  const parts = [f.ruleId, f.principalId ?? "", f.roleDefinitionId ?? f.roleName ?? "", f.scope ?? "", f.clusterId ?? ""];
  return stableHash(parts.map((p) => normalizeId(p)).join("|"));
}

export function subjectCovers(subject: DecisionSubject, f: Finding): boolean {
  switch (subject.kind) {
    case DecisionSubjectKind.Finding:
      return subject.findingId === f.id;
    case DecisionSubjectKind.Rule: {
      const at = f.scope ?? f.clusterId;
      return subject.ruleId === f.ruleId && !!at && scopeContains(subject.scope, at);
    }
    case DecisionSubjectKind.Identity:
      return !!f.principalId && f.principalId.toLowerCase() === subject.principalId.toLowerCase();
  }
}

/** A finding's triage as the dashboard shows it. */
export interface FindingDecisionView {
  status: TriageStatus;
  decision?: Decision;
  /** Why a decision about the finding no longer holds (expired, evidence changed). */
  reopened?: string;
}

/**
 * How `f` stands under `decisions` today: the most specific decision in force that covers it
 * (finding, then identity, then rule), unless the evidence differs from what was decided on.
 */
export function evaluateDecision(f: Finding, decisions: readonly Decision[], now: Date): FindingDecisionView {
  const order: DecisionSubjectKind[] = [DecisionSubjectKind.Finding, DecisionSubjectKind.Identity, DecisionSubjectKind.Rule];
  const covering = decisions.filter((d) => subjectCovers(d.subject, f)).sort((a, b) => order.indexOf(a.subject.kind) - order.indexOf(b.subject.kind));
  if (covering.length === 0) return { status: TriageStatus.Open };
  const digest = evidenceDigest(f);
  const current = covering.find((d) => triageInForce(d.expires, now) && d.evidence.includes(digest));
  if (current) return { status: statusOf(current.state), decision: current };
  const latest = covering[0]!;
  if (!triageInForce(latest.expires, now)) return { status: TriageStatus.Expired, decision: latest, reopened: `the decision expired on ${latest.expires}` };
  return {
    status: TriageStatus.Open,
    decision: latest,
    reopened: "the evidence changed since the decision (another role, scope or identity than the one decided on)",
  };
}
