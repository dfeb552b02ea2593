import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { jobIdSchema, scanErrorResponse } from "@/app/_lib/scan-routes";
import { cancelScan } from "@/lib/scan/server-jobs";

const bodySchema = z.object({}).strict();

/**
 * Cancels one of the caller's running scans: 202 with the job (it ends as cancelled as soon as
 * its runner sees the request, at once on this replica); a job that already ended is returned as it is.
 */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const req = await mutatingRequest(request, bodySchema);
  if (!req.ok) return req.response;
  const id = jobIdSchema.safeParse((await context.params).id);
  if (!id.success) return json({ error: "invalid job id", issues: [`id: ${id.error.issues[0]!.message}`] }, 422);
  try {
    const job = await cancelScan(req.actor.viewer, id.data, req.actor.displayName);
    return job ? json(job, job.state === "running" ? 202 : 200) : json({ error: `no scan job ${id.data}` }, 404);
  } catch (err) {
    return scanErrorResponse(err, "cancelling the scan");
  }
}
