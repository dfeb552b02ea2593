import { z } from "zod";
import { json } from "@/app/_lib/api";
import { requireActor } from "@/lib/auth/actor";
import { serverAuditLog, serverStagedLog, changeVisibility } from "@/lib/scan/apply";
import { stagedProgressOf } from "@/lib/scan/staged";
import { errorResponse } from "../../respond";

/** Where a staged migration stands, per binding and per phase: what the wizard polls. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const who = await requireActor(request);
  if (!who.ok) return who.response;
  const id = z.string().uuid().safeParse((await context.params).id);
  if (!id.success) return json({ error: "the change id must be a UUID" }, 422);
  try {
    const progress = await stagedProgressOf(id.data, { audit: await serverAuditLog(), staged: await serverStagedLog(), visible: await changeVisibility(who.actor.viewer) });
    return json({ progress }, 200);
  } catch (err) {
    return errorResponse(err, "reading the staged migration");
  }
}
