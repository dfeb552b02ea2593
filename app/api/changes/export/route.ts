import { z } from "zod";
import { exportRoute, fieldParser } from "@/app/_lib/export-route";
import { exportResponse } from "@/components/exports/table";
import { changeExportColumns } from "@/components/wizard/changes-export";
import { listChanges } from "@/lib/scan/apply";

/** The changes page lists the latest 200; the audit log is read at most 1000 at a time. */
const parse = fieldParser<{ limit: number; findingId?: string }>(
  {
    limit: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be 1 or more").max(1000, "must be 1000 or less"),
    findingId: z.string().min(1, "must not be empty").max(300, "is longer than 300 characters").optional(),
  },
  { limit: 200 },
);

/**
 * GET /api/changes/export?format=csv|json[&limit=200][&findingId=]: the audit log as the changes
 * page lists it (newest first, only changes the caller may see), streamed.
 */
export const GET = exportRoute({
  params: ["limit", "findingId"],
  parse,
  produce: async (actor, query, format) => {
    const { changes } = await listChanges(actor.viewer, query);
    return exportResponse(changes, changeExportColumns, format, "scopewise-audit-log", { list: "audit-log", filter: query, total: changes.length });
  },
});
