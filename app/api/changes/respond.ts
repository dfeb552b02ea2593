import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { scanErrorResponse } from "@/app/_lib/scan-routes";
import { ApplyRequestError, type EngineContext } from "@/lib/remediation/apply/apply";
import { engineFor } from "@/lib/scan/apply";
import type { ApplyResult } from "@/lib/remediation/apply/types";
import { PlanChoiceError } from "@/lib/remediation/apply/resolve";
import { AuditLogError, ChangeInProgressError } from "@/lib/store/audit";
import { StoreError } from "@/lib/store/db";
import { MigrationChoiceError } from "@/lib/model/staged-migration";

/** Expected failures answer with their message; anything else is logged and hidden. */
export function errorResponse(err: unknown, doing: string): Response {
  if (err instanceof ApplyRequestError) return json({ error: err.message }, err.status);
  if (err instanceof PlanChoiceError || err instanceof MigrationChoiceError) return json({ error: err.message }, 422);
  if (err instanceof ChangeInProgressError) return json({ error: err.message }, 409);
  // The engine only throws these before its first write: anything written later is reported in the result.
  if (err instanceof AuditLogError || err instanceof StoreError) return json({ error: `${err.message}; nothing was changed without an audit record` }, 503);
  return scanErrorResponse(err, doing);
}

const confirmSchema = z.object({ confirm: z.literal(true, { message: "confirm must be true" }) }).strict();
const changeIdSchema = z.string().uuid();

/**
 * A POST on one change (`/api/changes/<id>/<action>`): session, CSRF, `{ confirm: true }` and a
 * UUID id checked, then the engine action run as the caller.
 */
export function changeActionRoute(action: (changeId: string, engine: EngineContext) => Promise<ApplyResult>, doing: string) {
  return async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
    const req = await mutatingRequest(request, confirmSchema, { changesAzure: true });
    if (!req.ok) return req.response;
    const id = changeIdSchema.safeParse((await context.params).id);
    if (!id.success) return json({ error: "the change id must be a UUID" }, 422);
    try {
      const engine = await engineFor(req.actor);
      return json({ result: await action(id.data, engine) }, 200);
    } catch (err) {
      return errorResponse(err, doing);
    }
  };
}
