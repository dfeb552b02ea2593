import { z } from "zod";
import { finishChange } from "@/lib/remediation/apply/apply";
import { engineFor } from "@/lib/remediation/apply/server";
import { errorResponse, json, mutatingRequest } from "../../respond";

const bodySchema = z.object({ confirm: z.literal(true, { message: "confirm must be true" }) }).strict();
const idSchema = z.string().uuid();

/** Finishes a change a crash interrupted (needs-reconcile): runs its remaining steps. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const req = await mutatingRequest(request, bodySchema);
  if (!req.ok) return req.response;
  const id = idSchema.safeParse((await context.params).id);
  if (!id.success) return json({ error: "the change id must be a UUID" }, 422);
  try {
    const engine = await engineFor(req.actor);
    return json({ result: await finishChange(id.data, engine) }, 200);
  } catch (err) {
    return errorResponse(err, "finishing the change");
  }
}
