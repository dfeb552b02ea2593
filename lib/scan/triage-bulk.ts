import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { DecisionSubjectKind, evidenceDigest, subjectKeyOf } from "@/lib/model/decisions";
import type { Finding } from "@/lib/model/findings";
import type { TriageState } from "@/lib/model/triage";
import type { Inventory } from "@/lib/model/types";
import { DecisionRequestError, findingVisibility, serverDecisions } from "./triage";

/** What a bulk action does to each selected finding. */
export type BulkTriageAction =
  | { action: "decide"; state: TriageState; reason: string; owner: string; expires: string }
  /** Re-records the current dashboard decision of each selected finding with another owner. */
  | { action: "assign-owner"; owner: string };

export interface BulkTriageResult {
  /** Findings whose decision was recorded. */
  decided: number;
  /** Selected findings the action left alone, with why. */
  skipped: { reason: string; count: number }[];
}

/**
 * Applies `action` to `findingIds` of the viewer's scan, as `actor`, one decision per finding in
 * one transaction. Findings outside the viewer's readable scopes or not in the scan are skipped
 * (and counted), never decided.
 */
export async function bulkTriage(
  scan: { inventory: Inventory; findings: readonly Finding[] },
  who: { viewer: Viewer; actor: string },
  findingIds: readonly string[],
  action: BulkTriageAction,
): Promise<BulkTriageResult> {
  const byId = new Map(scan.findings.map((f) => [f.id, f]));
  const visible = findingVisibility(who.viewer, scan.inventory);
  const selected = [...new Set(findingIds)].map((id) => byId.get(id)).filter((f): f is Finding => !!f);
  const missing = new Set(findingIds).size - selected.length;
  const allowed = selected.filter(visible);
  const hidden = selected.length - allowed.length;
  if (allowed.length === 0) throw new DecisionRequestError("no selected finding is one you can see in the current scan", 403);
  const store = await serverDecisions();
  const skipped: BulkTriageResult["skipped"] = [];
  if (missing > 0) skipped.push({ reason: "not in the current scan", count: missing });
  if (hidden > 0) skipped.push({ reason: "in a scope your scan cannot read", count: hidden });
  let inputs;
  if (action.action === "decide") {
    const { state, reason, owner, expires } = action;
    inputs = allowed.map((f) => ({ subject: { kind: DecisionSubjectKind.Finding, findingId: f.id }, state, reason, owner, expires, evidence: [evidenceDigest(f)] }));
  } else {
    const current = new Map((await store.list()).map((d) => [d.subjectKey, d]));
    const decided = allowed.map((f) => current.get(subjectKeyOf({ kind: DecisionSubjectKind.Finding, findingId: f.id }))).filter((d) => !!d);
    if (decided.length < allowed.length) skipped.push({ reason: "no decision of its own to assign an owner to", count: allowed.length - decided.length });
    inputs = decided.map((d) => ({ subject: d.subject, state: d.state, reason: d.reason, owner: action.owner, expires: d.expires, evidence: d.evidence }));
  }
  if (inputs.length > 0) await store.decideMany(inputs, who.actor);
  return { decided: inputs.length, skipped };
}
