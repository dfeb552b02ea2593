import type { ZodType } from "zod";
import { checkCsrfFor } from "@/app/_lib/csrf";
import { requireActor, type Actor } from "@/lib/auth/actor";
import { serverEnv } from "@/lib/env";

/** A JSON answer that no cache keeps (every API answer is per person and per moment). */
export const json = (body: unknown, status: number, headers: Record<string, string> = {}) => Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/** zod issues as "path: message" lines, for a 422 answer. */
export function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, root = "body"): string[] {
  return error.issues.map((i) => `${i.path.map(String).join(".") || root}: ${i.message}`);
}

/**
 * In read-only mode (SCOPEWISE_READ_ONLY) the routes that change Azure are gone: the change
 * actions answer 404, and a route that also serves GET answers 405 with `allow`.
 */
export function readOnlyRefusal(allow?: string): Response | undefined {
  if (!serverEnv().SCOPEWISE_READ_ONLY) return undefined;
  const error = "Scopewise runs read-only (SCOPEWISE_READ_ONLY): applying, undoing and finishing changes are turned off";
  return allow ? json({ error }, 405, { allow }) : json({ error }, 404);
}

/**
 * Session, CSRF token and a zod-validated JSON body, in that order; a Response when any fails.
 * With `changesAzure`, read-only mode refuses first (`allow`: the methods the route still serves).
 */
export async function mutatingRequest<T>(
  request: Request,
  schema: ZodType<T>,
  options: { changesAzure?: boolean; allow?: string } = {},
): Promise<{ ok: true; actor: Actor; body: T } | { ok: false; response: Response }> {
  if (options.changesAzure) {
    const readOnly = readOnlyRefusal(options.allow);
    if (readOnly) return { ok: false, response: readOnly };
  }
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
  if (!parsed.success) return { ok: false, response: json({ error: "invalid request body", issues: issuesOf(parsed.error) }, 422) };
  return { ok: true, actor: who.actor, body: parsed.data };
}
