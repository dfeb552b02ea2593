import { z } from "zod";
import { undoChange } from "@/lib/remediation/apply/apply";
import { engineFor } from "@/lib/remediation/apply/server";
import { errorResponse, json, mutatingRequest } from "../../respond";

const bodySchema = z.object({ confirm: z.literal(true, { message: "confirm must be true" }) }).strict();
const idSchema = z.string().uuid();

/** Undoes an applied or interrupted change: recreates what it deleted, deletes what it created. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const req = await mutatingRequest(request, bodySchema);
  if (!req.ok) return req.response;
  const id = idSchema.safeParse((await context.params).id);
  if (!id.success) return json({ error: "the change id must be a UUID" }, 422);
  try {
    const engine = await engineFor(req.actor);
    return json({ result: await undoChange(id.data, engine) }, 200);
  } catch (err) {
    return errorResponse(err, "undoing the change");
  }
}
