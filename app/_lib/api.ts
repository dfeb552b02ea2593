import type { ZodType } from "zod";
import { checkCsrf } from "@/app/_lib/csrf";
import { requireActor, type Actor } from "@/lib/auth/actor";

/** A JSON answer that no cache keeps (every API answer is per person and per moment). */
export const json = (body: unknown, status: number, headers: Record<string, string> = {}) => Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/** zod issues as "path: message" lines, for a 422 answer. */
export function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, root = "body"): string[] {
  return error.issues.map((i) => `${i.path.map(String).join(".") || root}: ${i.message}`);
}

/** Session, CSRF token and a zod-validated JSON body, in that order; a Response when any fails. */
export async function mutatingRequest<T>(request: Request, schema: ZodType<T>): Promise<{ ok: true; actor: Actor; body: T } | { ok: false; response: Response }> {
  const who = await requireActor(request);
  if (!who.ok) return who;
  const csrf = checkCsrf(request);
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
