import { z, type ZodType } from "zod";
import { checkCsrfFor } from "@/app/_lib/csrf";
import { requireActor, type Actor } from "@/lib/auth/actor";
import { serverEnv } from "@/lib/env";
import { InventoryUnavailableError } from "@/lib/scan/load";
import { ApplyRequestError, type EngineContext } from "@/lib/remediation/apply/apply";
import { engineFor } from "@/lib/scan/apply";
import type { ApplyResult } from "@/lib/remediation/apply/types";
import { PlanChoiceError } from "@/lib/remediation/apply/resolve";
import { AuditLogError, ChangeInProgressError } from "@/lib/store/audit";
import { StoreError } from "@/lib/store/db";

export const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

/**
 * In read-only mode (SCOPEWISE_READ_ONLY) the routes that change Azure are gone: the change
 * actions answer 404, and the audit log's own route 405 to anything but GET.
 */
export function readOnlyRefusal(allow?: string): Response | undefined {
  if (!serverEnv().SCOPEWISE_READ_ONLY) return undefined;
  const error = "Scopewise runs read-only (SCOPEWISE_READ_ONLY): applying, undoing and finishing changes are turned off";
  return allow
    ? Response.json({ error }, { status: 405, headers: { "cache-control": "no-store", allow } })
    : Response.json({ error }, { status: 404, headers: { "cache-control": "no-store" } });
}

/** Read-only mode, session, CSRF token and a zod-validated JSON body, in that order; a Response when any fails. */
export async function mutatingRequest<T>(request: Request, schema: ZodType<T>, allow?: string): Promise<{ ok: true; actor: Actor; body: T } | { ok: false; response: Response }> {
  const readOnly = readOnlyRefusal(allow);
  if (readOnly) return { ok: false, response: readOnly };
  const who = await requireActor(request);
  if (!who.ok) return who;
  const csrf = checkCsrfFor(request, who.actor);
  if (!csrf.ok) return { ok: false, response: json({ error: csrf.reason }, 403) };
  const text = await request.text();
  let raw: unknown = {};
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, response: json({ error: "request body is not valid JSON" }, 400) };
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    return { ok: false, response: json({ error: "invalid request body", issues }, 422) };
  }
  return { ok: true, actor: who.actor, body: parsed.data };
}

/** Expected failures answer with their message; anything else is logged and hidden. */
export function errorResponse(err: unknown, doing: string): Response {
  if (err instanceof ApplyRequestError) return json({ error: err.message }, err.status);
  if (err instanceof PlanChoiceError) return json({ error: err.message }, 422);
  if (err instanceof InventoryUnavailableError) return json({ error: err.message }, 503);
  if (err instanceof ChangeInProgressError) return json({ error: err.message }, 409);
  // The engine only throws these before its first write: anything written later is reported in the result.
  if (err instanceof AuditLogError || err instanceof StoreError) return json({ error: `${err.message}; nothing was changed without an audit record` }, 503);
  console.error(`${doing} failed`, err);
  return json({ error: `${doing} failed unexpectedly; see the server log` }, 500);
}

const confirmSchema = z.object({ confirm: z.literal(true, { message: "confirm must be true" }) }).strict();
const changeIdSchema = z.string().uuid();

/**
 * A POST on one change (`/api/changes/<id>/<action>`): session, CSRF, `{ confirm: true }` and a
 * UUID id checked, then the engine action run as the caller.
 */
export function changeActionRoute(action: (changeId: string, engine: EngineContext) => Promise<ApplyResult>, doing: string) {
  return async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
    const req = await mutatingRequest(request, confirmSchema);
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
