import { z } from "zod";
import { checkCsrfFor } from "@/app/_lib/csrf";
import { requireActor } from "@/lib/auth/actor";
import { InventoryUnavailableError, isRefreshing, refreshInventory } from "@/lib/scan/load";
import { rescanLimiter } from "@/lib/scan/rescan-limit";

// A rescan takes no options yet; unknown fields are refused so a client bug is not silently ignored.
const bodySchema = z.object({}).strict();

const json = (body: unknown, status: number, headers: Record<string, string> = {}) => Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/**
 * Rescans the tenant now, as the signed-in person when sign-in is configured. Same-origin only,
 * with the double-submit CSRF token. Concurrent rescans of one person share one scan; starting
 * more than the limit per minute answers 429 with Retry-After. A rescan reads and changes
 * nothing in Azure, so read-only mode keeps it.
 */
export async function POST(request: Request): Promise<Response> {
  const who = await requireActor(request);
  if (!who.ok) return who.response;
  const csrf = checkCsrfFor(request, who.actor);
  if (!csrf.ok) return json({ error: csrf.reason }, 403);

  const text = await request.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      return json({ error: "request body is not valid JSON" }, 400);
    }
  }
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    return json({ error: "invalid rescan request", issues }, 422);
  }

  // A rescan that joins the one running costs nothing; one that starts a scan counts against the person's limit.
  if (!isRefreshing(who.actor.viewer)) {
    const limit = rescanLimiter().take(who.actor.id);
    if (!limit.ok) {
      return json({ error: `too many rescans: try again in ${limit.retryAfterSeconds} s` }, 429, { "retry-after": String(limit.retryAfterSeconds) });
    }
  }
  try {
    const { inventory, durationMs, source } = await refreshInventory(who.actor.viewer);
    return json({ scannedAt: inventory.scannedAt, durationMs, source, errors: inventory.errors.length }, 200);
  } catch (err) {
    if (err instanceof InventoryUnavailableError) return json({ error: err.message }, 503);
    console.error("rescan failed", err);
    return json({ error: "the rescan failed unexpectedly; see the server log" }, 500);
  }
}
