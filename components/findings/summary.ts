import { clusterName, getIndex } from "@/components/inventory/lookup";
import type { Finding, Severity } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";

/** A source the scan could not read, as the findings views name it: findings there may be missing. */
export interface CoverageGap {
  source: string;
  clusterName?: string;
  scope?: string;
  /** How many errors the scan reported for this source (and cluster / scope). */
  count: number;
}

/** The scan's errors grouped by source, cluster and scope, in the order first reported. */
export function buildCoverageGaps(inv: Inventory): CoverageGap[] {
  const index = getIndex(inv);
  const gaps = new Map<string, CoverageGap>();
  for (const e of inv.errors) {
    const key = `${e.source}|${e.cluster?.toLowerCase() ?? ""}|${e.scope?.toLowerCase() ?? ""}`;
    const gap = gaps.get(key);
    if (gap) {
      gap.count += 1;
      continue;
    }
    const entry: CoverageGap = { source: e.source, count: 1 };
    if (e.cluster) entry.clusterName = clusterName(index, e.cluster);
    if (e.scope) entry.scope = e.scope;
    gaps.set(key, entry);
  }
  return [...gaps.values()];
}

export function countSeverities(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
