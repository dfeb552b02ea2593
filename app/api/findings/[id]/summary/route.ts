import { json } from "@/app/_lib/api";
import { exportErrorResponse } from "@/app/_lib/export-route";
import { findingPath, publicOrigin } from "@/app/_lib/origin";
import { buildFindingDetail } from "@/components/findings/detail";
import { renderFindingMarkdown } from "@/components/findings/markdown";
import { findingStatuses } from "@/components/findings/rows";
import { exportFileName } from "@/components/exports/table";
import { requireActor } from "@/lib/auth/actor";
import { rules } from "@/lib/rules/registry";
import { getCurrentScan } from "@/lib/scan/current-scan";

/** GET /api/findings/<id>/summary: the finding as a Markdown summary for a ticket (text/markdown attachment); 404 for an id the shown scan lacks. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const who = await requireActor(request);
  if (!who.ok) return who.response;
  let id: string;
  try {
    id = decodeURIComponent((await context.params).id);
  } catch {
    return json({ error: "the finding id is not a valid URL path segment (a malformed % escape)" }, 400);
  }
  try {
    const scan = await getCurrentScan(who.actor.viewer);
    const finding = scan.findings.find((f) => f.id === id);
    if (!finding) return json({ error: `no finding ${id} in the current scan` }, 404);
    const detail = buildFindingDetail(scan.inventory, finding, rules.find((r) => r.meta.id === finding.ruleId)?.meta, findingStatuses(scan.comparison).get(finding.id));
    const text = renderFindingMarkdown(detail, `${publicOrigin(request)}${findingPath(finding.id)}`);
    return new Response(text, {
      status: 200,
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${exportFileName(`finding-${finding.id}`, "md")}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (err) {
    return exportErrorResponse(err);
  }
}
