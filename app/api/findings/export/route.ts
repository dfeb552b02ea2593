import { exportRoute } from "@/app/_lib/export-route";
import { findingExportColumns } from "@/components/findings/export";
import { parseFindingQuery, sortFindingRows, filterFindingRows } from "@/components/findings/query";
import { parseSelectedIds, selectedRows } from "@/components/findings/selection";
import { buildTriagedRows, FILTER_PARAMS, findingRuleIds } from "@/components/findings/triaged-rows";
import { exportResponse } from "@/components/exports/table";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { ownershipOfShownScan } from "@/lib/scan/terraform-ownership";

/**
 * GET /api/findings/export?format=csv|json&<the findings list's filters>[&id=a,b,…]: every
 * finding the list shows with those filters (all pages, in its order) of the caller's shown
 * scan, streamed; with `id`, only those findings (the rows ticked on a page), still in the
 * list's order. An id the list does not show is an error, not a silently shorter file.
 */
export const GET = exportRoute({
  params: [...FILTER_PARAMS, "iac", "sort", "dir", "page", "id"],
  parse: (params) => {
    const { id, ...rest } = params;
    const query = parseFindingQuery(rest, { ruleIds: findingRuleIds });
    const ids = id === undefined ? { ids: undefined, errors: [] } : parseSelectedIds(id);
    return { data: { query: query.data, ids: ids.ids }, errors: [...query.errors, ...ids.errors] };
  },
  produce: async (actor, { query, ids }, format) => {
    const scan = await getCurrentScan(actor.viewer);
    const { findings } = await ownershipOfShownScan(scan);
    const { rows: all } = await buildTriagedRows({ inventory: scan.inventory, findings, comparison: scan.comparison });
    const listed = sortFindingRows(filterFindingRows(all, query), query.sort, query.dir);
    const chosen = ids ? selectedRows(listed, ids) : { rows: listed, missing: [] };
    if (chosen.missing.length > 0) {
      return Response.json({ error: "invalid query", issues: chosen.missing.map((m) => `id: ${m} is not a finding the list shows in scan ${scan.scanId} with these filters`) }, { status: 422 });
    }
    const filter = { ...query, page: undefined, ...(ids ? { ids } : {}) };
    return exportResponse(chosen.rows, findingExportColumns, format, `scopewise-findings-scan-${scan.scanId}${ids ? "-selected" : ""}`, { list: "findings", scanId: scan.scanId, scannedAt: scan.inventory.scannedAt, filter, total: chosen.rows.length });
  },
});
