import { json } from "@/app/_lib/api";
import { jobIdSchema, scanErrorResponse } from "@/app/_lib/scan-routes";
import { requireActor } from "@/lib/auth/actor";
import { scanJobOf } from "@/lib/scan/server-jobs";

/** One of the caller's scan jobs: `{"state", "progress", "errors", ...}`; 404 for a job that is not theirs. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const who = await requireActor(request);
  if (!who.ok) return who.response;
  const id = jobIdSchema.safeParse((await context.params).id);
  if (!id.success) return json({ error: "invalid job id", issues: [`id: ${id.error.issues[0]!.message}`] }, 422);
  try {
    const job = await scanJobOf(who.actor.viewer, id.data);
    return job ? json(job, 200) : json({ error: `no scan job ${id.data}` }, 404);
  } catch (err) {
    return scanErrorResponse(err, "reading the scan job");
  }
}
