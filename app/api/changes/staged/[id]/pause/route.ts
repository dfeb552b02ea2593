import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { pauseStagedMigration } from "@/lib/remediation/staged/engine";
import { stagedEngineFor, stagedProgressOf } from "@/lib/scan/staged";
import { errorResponse } from "../../../respond";

/** Asks a running staged migration to stop before its next phase (the phase under way finishes). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const req = await mutatingRequest(request, z.object({}).strict(), { changesAzure: true });
  if (!req.ok) return req.response;
  const id = z.string().uuid().safeParse((await context.params).id);
  if (!id.success) return json({ error: "the change id must be a UUID" }, 422);
  try {
    const engine = await stagedEngineFor(req.actor);
    await pauseStagedMigration(id.data, engine);
    return json({ progress: await stagedProgressOf(id.data, engine) }, 202);
  } catch (err) {
    return errorResponse(err, "pausing the staged migration");
  }
}
