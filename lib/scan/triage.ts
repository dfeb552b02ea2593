import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import { readableScopes } from "@/lib/inventory/readable";
import {
  DecisionSubjectKind,
  evaluateDecision,
  evidenceDigest,
  statusOf,
  subjectCovers,
  subjectKeyOf,
  type Decision,
  type DecisionSubject,
  type FindingDecisionView,
} from "@/lib/model/decisions";
import type { Finding } from "@/lib/model/findings";
import { applyExceptions, type ExceptionEntry } from "@/lib/model/triage";
import type { Inventory } from "@/lib/model/types";
import { rules } from "@/lib/rules/registry";
import { TriageDecisions, type DecisionHistoryEntry, type NewDecision } from "@/lib/store/decisions";
import { ExceptionsFileError, readExceptionsFile } from "./exceptions-file";
import { serverStore } from "./store";

/** A finding's triage in the dashboard: from the team's exceptions file (read-only here) or a decision made here. */
export interface FindingTriageView extends FindingDecisionView {
  source?: "file" | "dashboard";
  /** The exceptions file entry that decides it. */
  entry?: Pick<ExceptionEntry, "file" | "line" | "state" | "reason" | "owner" | "expires">;
}

export interface ScanTriage {
  byFinding: Map<string, FindingTriageView>;
  /** The configured exceptions file, when there is one. */
  file?: string;
  /** Why the exceptions file was not used (it applies whole or not at all, as in the CLI). */
  fileError?: string;
  /** Why dashboard decisions could not be read: findings then show as open, and the page says so. */
  storeError?: string;
}

async function fileEntries(now: Date): Promise<{ entries: ExceptionEntry[]; file?: string; error?: string }> {
  const file = serverEnv().SCOPEWISE_EXCEPTIONS_FILE;
  if (!file) return { entries: [] };
  try {
    return { entries: await readExceptionsFile(file, { ruleIds: rules.map((r) => r.meta.id), now }), file };
  } catch (err) {
    if (err instanceof ExceptionsFileError) return { entries: [], file, error: err.message };
    throw err;
  }
}

export async function serverDecisions(): Promise<TriageDecisions> {
  return new TriageDecisions(await serverStore());
}

/** Whether `viewer` may see and decide about a finding: people only where their own scan could read. */
export function findingVisibility(viewer: Viewer, inventory: Inventory): (f: Pick<Finding, "scope" | "clusterId">) => boolean {
  if (viewer.kind !== "user") return () => true;
  const readable = readableScopes(inventory);
  return (f) => {
    const at = f.scope ?? f.clusterId;
    return !!at && readable(at);
  };
}

/** The triage of every finding of a scan: the exceptions file first (CI reads the same), then dashboard decisions. */
export async function getScanTriage(findings: readonly Finding[], now = new Date()): Promise<ScanTriage> {
  const file = await fileEntries(now);
  let decisions: Decision[] = [];
  let storeError: string | undefined;
  try {
    decisions = await (await serverDecisions()).list();
  } catch (err) {
    storeError = (err as Error).message;
  }
  const fromFile = applyExceptions(findings, file.entries, now);
  const byFinding = new Map<string, FindingTriageView>();
  for (const f of findings) {
    const entry = fromFile.get(f.id);
    if (entry) {
      const { file: path, line, state, reason, owner, expires } = entry;
      byFinding.set(f.id, { status: statusOf(state), source: "file", entry: { file: path, line, state, reason, owner, expires } });
      continue;
    }
    const view = evaluateDecision(f, decisions, now);
    byFinding.set(f.id, view.decision ? { ...view, source: "dashboard" } : view);
  }
  return { byFinding, ...(file.file ? { file: file.file } : {}), ...(file.error ? { fileError: file.error } : {}), ...(storeError ? { storeError } : {}) };
}

export class DecisionRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The subject a person names from a finding's page: the finding, its rule at a scope, or its identity. */
export function subjectFrom(finding: Finding, kind: DecisionSubjectKind, scope?: string): DecisionSubject {
  switch (kind) {
    case DecisionSubjectKind.Finding:
      return { kind, findingId: finding.id };
    case DecisionSubjectKind.Identity:
      if (!finding.principalId) throw new DecisionRequestError("this finding names no identity (principal id) to decide about", 422);
      return { kind, principalId: finding.principalId };
    case DecisionSubjectKind.Rule: {
      const at = scope ?? finding.scope ?? finding.clusterId;
      if (!at) throw new DecisionRequestError("this finding has no scope: give one for the rule decision", 422);
      if (!subjectCovers({ kind, ruleId: finding.ruleId, scope: at }, finding)) throw new DecisionRequestError(`scope ${at} does not contain the finding's scope`, 422);
      return { kind, ruleId: finding.ruleId, scope: at };
    }
  }
}

/**
 * Records a decision about `subject`, taken from `finding` of the viewer's scan. The evidence
 * decided on is that of every finding the subject covers that the viewer can see: a finding
 * they could not see is not decided by them, and reopens as "evidence changed".
 */
export async function decide(
  input: { viewer: Viewer; actor: string; inventory: Inventory; findings: readonly Finding[]; subject: DecisionSubject } & Omit<NewDecision, "subject" | "evidence">,
): Promise<Decision> {
  const visible = findingVisibility(input.viewer, input.inventory);
  if (input.subject.kind === DecisionSubjectKind.Rule && input.viewer.kind === "user" && !readableScopes(input.inventory)(input.subject.scope)) {
    throw new DecisionRequestError(`you cannot decide at ${input.subject.scope}: your scan cannot read that scope`, 403);
  }
  const covered = input.findings.filter((f) => subjectCovers(input.subject, f) && visible(f));
  if (covered.length === 0) throw new DecisionRequestError("no finding you can see is covered by this decision", 403);
  const { subject, state, reason, owner, expires } = input;
  return (await serverDecisions()).decide({ subject, state, reason, owner, expires, evidence: covered.map(evidenceDigest) }, input.actor);
}

/** The triage history of a finding's possible subjects (the finding, its identity, its rule decisions that cover it). */
export async function historyOf(finding: Finding, decisions: TriageDecisions): Promise<DecisionHistoryEntry[]> {
  const current = await decisions.list();
  const keys = new Set([subjectKeyOf({ kind: DecisionSubjectKind.Finding, findingId: finding.id }), ...current.filter((d) => subjectCovers(d.subject, finding)).map((d) => d.subjectKey)]);
  if (finding.principalId) keys.add(subjectKeyOf({ kind: DecisionSubjectKind.Identity, principalId: finding.principalId }));
  return decisions.history({ subjectKeys: [...keys], limit: 50 });
}

/** A decision request from a finding's page, as the route validated it. */
export type DecisionRequest =
  | ({ action: "decide"; subject: DecisionSubjectKind; scope?: string } & Omit<NewDecision, "subject" | "evidence">)
  | { action: "withdraw"; subject: DecisionSubjectKind; scope?: string };

/**
 * Decides or withdraws about `findingId` of the viewer's current scan, as `actor`. A finding
 * outside the viewer's readable scopes is refused (403) as if it were someone else's.
 */
export async function handleDecision(
  scan: { inventory: Inventory; findings: readonly Finding[] },
  who: { viewer: Viewer; actor: string },
  findingId: string,
  request: DecisionRequest,
): Promise<{ decision?: Decision; withdrawn?: boolean }> {
  const finding = scan.findings.find((f) => f.id === findingId);
  if (!finding) throw new DecisionRequestError(`no finding ${findingId} in the current scan; it may be resolved already`, 404);
  if (!findingVisibility(who.viewer, scan.inventory)(finding)) throw new DecisionRequestError("your scan cannot read this finding's scope", 403);
  const subject = subjectFrom(finding, request.subject, request.scope);
  if (request.action === "withdraw") return { withdrawn: await (await serverDecisions()).withdraw(subjectKeyOf(subject), who.actor) };
  const { state, reason, owner, expires } = request;
  return { decision: await decide({ ...who, ...scan, subject, state, reason, owner, expires }) };
}
