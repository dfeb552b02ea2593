import { exportRoute } from "@/app/_lib/export-route";
import { exportResponse } from "@/components/exports/table";
import { identityExportColumns } from "@/components/identities/export";
import { filterIdentityRows, parseIdentityQuery, sortIdentityRows } from "@/components/identities/query";
import { buildIdentityRows } from "@/components/identities/rows";
import { getInventory } from "@/lib/scan/load";

/** GET /api/identities/export?format=csv|json&<the identities list's filters>: every identity the list shows (all pages, in its order), streamed. */
export const GET = exportRoute({
  params: ["q", "kind", "cluster", "subscription", "sort", "dir", "page"],
  parse: parseIdentityQuery,
  produce: async (actor, query, format) => {
    const { inventory, scan } = await getInventory(actor.viewer);
    const rows = sortIdentityRows(filterIdentityRows(buildIdentityRows(inventory), query), query.sort, query.dir);
    return exportResponse(rows, identityExportColumns, format, `scopewise-identities-scan-${scan.id}`, {
      list: "identities",
      scanId: scan.id,
      scannedAt: inventory.scannedAt,
      filter: { ...query, page: undefined },
      total: rows.length,
    });
  },
});
