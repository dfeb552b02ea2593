import { requireActor, type Actor } from "@/lib/auth/actor";
import { InventoryUnavailableError } from "@/lib/scan/load";

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

/** A path segment as the pages read it: decoded once; a malformed escape is a bad request. */
function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * GET of one object of the current scan by the id in the path, as the caller sees it: 200 with
 * a summary, 404 when the scan has no such object, 400 for a malformed id, 401 without a
 * session, 503 when the tenant cannot be read. The proxy asks it before rendering a detail page,
 * so an unknown id gets a real 404 (a page streams its 200 before it knows).
 */
export function lookupRoute<T>(noun: string, find: (actor: Actor, id: string) => Promise<T | undefined>, summary: (found: T) => unknown) {
  return async function GET(request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> {
    const who = await requireActor(request);
    if (!who.ok) return who.response;
    const raw = Object.values(await context.params)[0] ?? "";
    const id = decodeSegment(raw);
    if (id === undefined) return json({ error: `the ${noun} id is not a valid URL path segment (a malformed % escape)` }, 400);
    try {
      const found = await find(who.actor, id);
      return found === undefined ? json({ error: `no ${noun} ${id} in the current scan` }, 404) : json(summary(found), 200);
    } catch (err) {
      if (err instanceof InventoryUnavailableError) return json({ error: err.message }, 503);
      throw err;
    }
  };
}
