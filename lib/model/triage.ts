import type { Finding } from "./findings";
import { lastSegment, normalizeId, sameId, scopeContains } from "./scope";

/** What a team decided about a finding that stays in the tenant. */
export const TriageState = {
  /** The grant is known and kept on purpose, until the expiry. */
  Accepted: "accepted",
  /** The rule is wrong about this case. */
  FalsePositive: "false-positive",
} as const;
export type TriageState = (typeof TriageState)[keyof typeof TriageState];

export const TRIAGE_STATES: readonly TriageState[] = Object.values(TriageState);

/** A decision as the scan output shows it on a finding (`"triage"` in JSON, a suppression in SARIF). */
export interface FindingTriage {
  state: TriageState;
  reason: string;
  owner: string;
  /** ISO date (YYYY-MM-DD): the decision holds through this day (UTC). */
  expires: string;
}

/**
 * Which findings an exception covers: one finding by id, or a rule narrowed by any of a scope
 * (that scope and every scope below it), a principal and a cluster. Every given field must match.
 */
export interface ExceptionMatch {
  finding?: string;
  rule?: string;
  /** An ARM id; compared case-insensitively, as ARM does. */
  scope?: string;
  principalId?: string;
  /** A cluster's ARM id, or its name when the value has no "/". */
  cluster?: string;
}

/** One entry of an exceptions file, with where it was written for messages. */
export interface ExceptionEntry extends ExceptionMatch, FindingTriage {
  file: string;
  line: number;
}

/** Today's date in UTC as YYYY-MM-DD: how expiries are compared. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A decision expiring on `expires` still holds on that day and ends the day after (UTC). */
export function triageInForce(expires: string, now: Date): boolean {
  return expires >= utcDate(now);
}

function clusterMatches(cluster: string, clusterId: string | undefined): boolean {
  if (!clusterId) return false;
  return cluster.includes("/") ? sameId(cluster, clusterId) : lastSegment(clusterId).toLowerCase() === cluster.trim().toLowerCase();
}

/** Whether `match` covers `finding`; a finding with no scope is placed by its cluster. */
export function exceptionMatches(match: ExceptionMatch, finding: Finding): boolean {
  if (match.finding !== undefined && match.finding !== finding.id) return false;
  if (match.rule !== undefined && match.rule !== finding.ruleId) return false;
  if (match.scope !== undefined) {
    const at = finding.scope ?? finding.clusterId;
    if (!at || !scopeContains(match.scope, at)) return false;
  }
  if (match.principalId !== undefined && (!finding.principalId || normalizeId(match.principalId) !== normalizeId(finding.principalId))) return false;
  if (match.cluster !== undefined && !clusterMatches(match.cluster, finding.clusterId)) return false;
  return match.finding !== undefined || match.rule !== undefined;
}

/**
 * The decision each finding gets from `entries`: the first entry in force that matches it, in
 * file order. An entry past its expiry covers nothing (the finding is open again).
 */
export function applyExceptions(findings: readonly Finding[], entries: readonly ExceptionEntry[], now: Date): Map<string, ExceptionEntry> {
  const live = entries.filter((e) => triageInForce(e.expires, now));
  const out = new Map<string, ExceptionEntry>();
  if (live.length === 0) return out;
  for (const f of findings) {
    const hit = live.find((e) => exceptionMatches(e, f));
    if (hit) out.set(f.id, hit);
  }
  return out;
}

export function triageOf(entry: FindingTriage): FindingTriage {
  return { state: entry.state, reason: entry.reason, owner: entry.owner, expires: entry.expires };
}
