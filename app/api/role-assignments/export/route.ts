import { z } from "zod";
import { json } from "@/app/_lib/api";
import { exportRoute, fieldParser } from "@/app/_lib/export-route";
import { exportResponse } from "@/components/exports/table";
import { assignmentExportColumns, buildAssignmentExportRows } from "@/components/identities/export";
import { getInventory } from "@/lib/scan/load";

const parse = fieldParser<{ identity?: string; subscription?: string }>(
  {
    identity: z.string().min(1, "must not be empty").max(1000, "is longer than 1000 characters").optional(),
    subscription: z.string().regex(/^[0-9a-fA-F-]{36}$/, "must be a subscription id (GUID)").optional(),
  },
  {},
);

/**
 * GET /api/role-assignments/export?format=csv|json[&identity=<key>][&subscription=<guid>]: the
 * scan's role assignments, tenant-wide or of one identity (as its page lists them), streamed;
 * 404 for an identity key the scan does not have.
 */
export const GET = exportRoute({
  params: ["identity", "subscription"],
  parse,
  produce: async (actor, filter, format) => {
    const { inventory, scan } = await getInventory(actor.viewer);
    const rows = buildAssignmentExportRows(inventory, filter);
    if (!rows) return json({ error: `no identity ${filter.identity} in the current scan` }, 404);
    const name = filter.identity ? `scopewise-role-assignments-${filter.identity.split("/").pop()}-scan-${scan.id}` : `scopewise-role-assignments-scan-${scan.id}`;
    return exportResponse(rows, assignmentExportColumns, format, name, { list: "role-assignments", scanId: scan.id, scannedAt: inventory.scannedAt, filter, total: rows.length });
  },
});
