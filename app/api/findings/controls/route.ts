import { z } from "zod";
import { json } from "@/app/_lib/api";
import { readingRequest, scanErrorResponse } from "@/app/_lib/scan-routes";
import { rules } from "@/lib/rules/registry";
import { buildControlExport, renderControlCsv } from "@/lib/scan/control-export";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { findingVisibility, getScanTriage } from "@/lib/scan/triage";

const query = z.object({ format: z.enum(["json", "csv"], { message: 'must be "json" or "csv"' }).default("json") }).strict();

/**
 * The caller's current findings grouped by benchmark control (`?format=csv` for a spreadsheet),
 * with each finding's triage; only findings in scopes the caller's scan can read.
 */
export async function GET(request: Request): Promise<Response> {
  const req = await readingRequest(request, query);
  if (!req.ok) return req.response;
  try {
    const scan = await getCurrentScan(req.actor.viewer);
    const visible = findingVisibility(req.actor.viewer, scan.inventory);
    const findings = scan.findings.filter(visible);
    const triage = await getScanTriage(findings);
    const data = buildControlExport({ scannedAt: scan.inventory.scannedAt, findings, rules: rules.map((r) => r.meta), triageOf: (id) => triage.byFinding.get(id)?.status });
    if (req.query.format === "json") return json(data, 200);
    return new Response(renderControlCsv(data), {
      status: 200,
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="scopewise-findings-by-control.csv"', "cache-control": "no-store" },
    });
  } catch (err) {
    return scanErrorResponse(err, "exporting the findings by control");
  }
}
