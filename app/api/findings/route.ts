import { z } from "zod";
import { json } from "@/app/_lib/api";
import { readingRequest, scanErrorResponse, scanIdSchema } from "@/app/_lib/scan-routes";
import { findingsFor } from "@/lib/scan/history";

const query = z.object({ scanId: scanIdSchema.optional(), compareTo: scanIdSchema.optional() }).strict();

/**
 * The findings of the view the caller sees: the last complete scan, or `?scanId=` (any scan of
 * theirs with findings), compared with the scope's previous complete scan or `?compareTo=`.
 * `{"scanId", "stale", "findings": [{"id", "ruleId", "severity", "comparison", ...}], "resolved": [...]}`.
 * 503 with the job while the first scan runs, or with the reason when nothing can be shown.
 */
export async function GET(request: Request): Promise<Response> {
  const req = await readingRequest(request, query);
  if (!req.ok) return req.response;
  try {
    const answer = await findingsFor(req.actor.viewer, req.query);
    if (answer.status === "ready") return json(answer.view, 200);
    if (answer.status === "pending") return json({ error: "the first scan is still running", job: answer.job }, 503, { "retry-after": "5" });
    return json({ error: answer.message }, answer.status === "not-found" ? 404 : 503);
  } catch (err) {
    return scanErrorResponse(err, "reading the findings");
  }
}
