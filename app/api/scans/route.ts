import { z } from "zod";
import { json } from "@/app/_lib/api";
import { readingRequest, scanErrorResponse, startScanRoute } from "@/app/_lib/scan-routes";
import { scanHistory } from "@/lib/scan/history";

/** Starts a scan, or joins the one running for the caller's scope: `{"jobId": "..."}` (202 new, 200 joined). */
export const POST = startScanRoute;

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

/** The caller's recent scans, newest first: `{"scans": [{"id", "startedAt", "state", "coverage", ...}], "running"?: job}`. */
export async function GET(request: Request): Promise<Response> {
  const req = await readingRequest(request, listQuery);
  if (!req.ok) return req.response;
  try {
    return json(await scanHistory(req.actor.viewer, req.query.limit), 200);
  } catch (err) {
    return scanErrorResponse(err, "reading the scan history");
  }
}
