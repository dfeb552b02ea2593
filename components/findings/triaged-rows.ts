import "server-only";
import { TriageStatus } from "@/lib/model/decisions";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { controlKey } from "@/lib/rules/benchmarks";
import { rules } from "@/lib/rules/registry";
import { getScanTriage, type ScanTriage } from "@/lib/scan/triage";
import { filterFindingRows, parseFindingQuery, type FindingQuery } from "./query";
import { buildFindingRows, type FindingComparison, type FindingRow } from "./rows";

const controlsByRule = new Map(rules.map((r) => [r.meta.id, (r.meta.benchmarks ?? []).map(controlKey)]));
export const findingRuleIds = rules.map((r) => r.meta.id);

/**
 * The last triaged rows per scan's rows, with the triage they were built from: while no decision
 * changes, every request gets the same array (and so the sort orders cached on it).
 */
const triagedCache = new WeakMap<readonly FindingRow[], { decided: string; rows: FindingRow[] }>();

/** The findings list's rows with each finding's triage status and benchmark controls. */
export async function buildTriagedRows(scan: { inventory: Inventory; findings: readonly Finding[]; comparison?: FindingComparison }): Promise<{ rows: FindingRow[]; triage: ScanTriage }> {
  const triage = await getScanTriage(scan.findings);
  const base = buildFindingRows(scan.inventory, scan.findings, scan.comparison);
  const decided: string[] = [];
  for (const [id, view] of triage.byFinding) if (view.status !== TriageStatus.Open) decided.push(`${id}\n${view.status}`);
  const key = decided.join("\n");
  const cached = triagedCache.get(base);
  if (cached?.decided === key) return { rows: cached.rows, triage };
  const rows = base.map((row) => {
    const status = triage.byFinding.get(row.id)?.status;
    return { ...row, controls: controlsByRule.get(row.ruleId), ...(status && status !== TriageStatus.Open ? { triage: status } : {}) };
  });
  triagedCache.set(base, { decided: key, rows });
  return { rows, triage };
}

/** The list's filter parameters (what the URL carries besides sort and page). */
export const FILTER_PARAMS = ["q", "severity", "rule", "cluster", "kind", "subscription", "status", "triage", "control"] as const satisfies readonly (keyof FindingQuery)[];

/**
 * The ids of every finding the list shows for `filter` (all pages): how "all matching the filter"
 * is selected on the server instead of sending every id. Errors name the parameter.
 */
export async function idsMatching(
  scan: { inventory: Inventory; findings: readonly Finding[]; comparison?: FindingComparison },
  filter: Record<string, string>,
): Promise<{ ids: string[]; errors: string[] }> {
  const unknown = Object.keys(filter).filter((k) => !(FILTER_PARAMS as readonly string[]).includes(k));
  const { data: query, errors } = parseFindingQuery(filter, { ruleIds: findingRuleIds });
  const problems = [...unknown.map((k) => `Unknown filter ${JSON.stringify(k)}: one of ${FILTER_PARAMS.join(", ")}`), ...errors];
  if (problems.length > 0) return { ids: [], errors: problems };
  const { rows } = await buildTriagedRows(scan);
  return { ids: filterFindingRows(rows, query).map((r) => r.id), errors: [] };
}
