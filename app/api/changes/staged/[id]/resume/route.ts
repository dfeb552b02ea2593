import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { getInventory } from "@/lib/scan/load";
import { productionClusterOfMigration, relaunchStagedMigration, stagedEngineFor, stagedProgressOf } from "@/lib/scan/staged";
import { errorResponse } from "../../../respond";

const resumeSchema = z.object({ confirm: z.literal(true, { message: "confirm must be true" }), confirmCluster: z.string().max(253).optional() }).strict();

/** Resumes a paused, stopped or interrupted staged migration at its first unfinished phase. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const req = await mutatingRequest(request, resumeSchema, { changesAzure: true });
  if (!req.ok) return req.response;
  const id = z.string().uuid().safeParse((await context.params).id);
  if (!id.success) return json({ error: "the change id must be a UUID" }, 422);
  try {
    const engine = await stagedEngineFor(req.actor);
    const before = await stagedProgressOf(id.data, engine);
    const { inventory } = await getInventory(req.actor.viewer);
    const production = productionClusterOfMigration(before.clusterId, inventory);
    if (production && req.body.confirmCluster !== production) {
      return json({ error: `${production} is a production cluster: type its name to confirm resuming (confirmCluster)`, cluster: production }, 422);
    }
    await relaunchStagedMigration(req.actor, id.data, engine);
    return json({ progress: await stagedProgressOf(id.data, engine) }, 202);
  } catch (err) {
    return errorResponse(err, "resuming the staged migration");
  }
}
