import { exportRoute } from "@/app/_lib/export-route";
import { findingExportColumns } from "@/components/findings/export";
import { filterFindingRows, parseFindingQuery, sortFindingRows } from "@/components/findings/query";
import { buildFindingRows } from "@/components/findings/rows";
import { exportResponse } from "@/components/exports/table";
import { rules } from "@/lib/rules/registry";
import { getCurrentScan } from "@/lib/scan/current-scan";

const ruleIds = rules.map((r) => r.meta.id);

/**
 * GET /api/findings/export?format=csv|json&<the findings list's filters>: every finding the
 * list shows with those filters (all pages, in its order) of the caller's shown scan, streamed.
 */
export const GET = exportRoute({
  params: ["q", "severity", "rule", "cluster", "kind", "subscription", "status", "sort", "dir", "page"],
  parse: (params) => parseFindingQuery(params, { ruleIds }),
  produce: async (actor, query, format) => {
    const scan = await getCurrentScan(actor.viewer);
    const rows = sortFindingRows(filterFindingRows(buildFindingRows(scan.inventory, scan.findings, scan.comparison), query), query.sort, query.dir);
    return exportResponse(rows, findingExportColumns, format, `scopewise-findings-scan-${scan.scanId}`, { list: "findings", scanId: scan.scanId, scannedAt: scan.inventory.scannedAt, filter: { ...query, page: undefined }, total: rows.length });
  },
});
