import "server-only";
import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { requireActor, type Actor } from "@/lib/auth/actor";
import { ConfigurationError } from "@/lib/env";
import { StoreError } from "@/lib/store/db";
import { InventoryUnavailableError, ScanPendingError, SignInRequiredError } from "@/lib/scan/load";
import { rescanLimiter } from "@/lib/scan/rescan-limit";
import { runningScanOf, startScan } from "@/lib/scan/server-jobs";

/** A scan takes no options; unknown fields are refused so a client bug is not silently ignored. */
const startSchema = z.object({}).strict();

/**
 * Expected failures of the scan APIs answer with their message: 401 without a sign-in, 503 while
 * the first scan runs (with Retry-After and its job), when no scan can be shown, or for the store
 * or configuration; anything else is logged and hidden.
 */
export function scanErrorResponse(err: unknown, doing: string): Response {
  if (err instanceof SignInRequiredError) return json({ error: "sign in first" }, 401);
  // Nothing to show or act on until the first scan completes: try again shortly.
  if (err instanceof ScanPendingError) return json({ error: `${err.message}; try again when it completes`, job: err.job }, 503, { "retry-after": "5" });
  if (err instanceof InventoryUnavailableError) return json({ error: err.message }, 503);
  if (err instanceof StoreError || err instanceof ConfigurationError) return json({ error: err.message }, 503);
  console.error(`${doing} failed`, err);
  return json({ error: `${doing} failed unexpectedly; see the server log` }, 500);
}

/**
 * POST /api/scans (and its alias POST /api/rescan): starts a scan as the caller, or joins the
 * one running for the same scope, and answers at once: 202 `{"jobId"}` for a new job, 200 for
 * one already running. Session and CSRF as every mutating route. Joining costs nothing; starting
 * a scan counts against the person's limit (429 with Retry-After beyond it). A scan reads and
 * changes nothing in Azure, so read-only mode keeps it.
 */
export async function startScanRoute(request: Request): Promise<Response> {
  const req = await mutatingRequest(request, startSchema);
  if (!req.ok) return req.response;
  const actor = req.actor;
  try {
    // One start at a time per person: parallel requests see the job the first one started and join it.
    const outcome = await oneAtATime(actor.id, async (): Promise<{ retryAfterSeconds: number } | { jobId: string; joined: boolean }> => {
      if (!(await runningScanOf(actor.viewer))) {
        const limit = rescanLimiter().take(actor.id);
        if (!limit.ok) return { retryAfterSeconds: limit.retryAfterSeconds ?? 60 };
      }
      return startScan(actor.viewer, { trigger: "request", requestedBy: actor.displayName });
    });
    if ("retryAfterSeconds" in outcome) return json({ error: `too many scans started: try again in ${outcome.retryAfterSeconds} s` }, 429, { "retry-after": String(outcome.retryAfterSeconds) });
    return json({ jobId: outcome.jobId }, outcome.joined ? 200 : 202, { location: `/api/scans/jobs/${outcome.jobId}` });
  } catch (err) {
    return scanErrorResponse(err, "starting the scan");
  }
}

const starting = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task of `key` in this process has settled. */
async function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const before = starting.get(key) ?? Promise.resolve();
  const run = before.then(task, task);
  const settled = run.catch(() => undefined);
  starting.set(key, settled);
  void settled.then(() => {
    if (starting.get(key) === settled) starting.delete(key);
  });
  return run;
}

/** A GET of the scan APIs: the caller (401 without a session) and the query validated (422 with the issues). */
export async function readingRequest<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; actor: Actor; query: T } | { ok: false; response: Response }> {
  const who = await requireActor(request);
  if (!who.ok) return who;
  const query = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return { ok: false, response: json({ error: "invalid query", issues: query.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`) }, 422) };
  return { ok: true, actor: who.actor, query: query.data };
}

/** Scan ids in URLs and bodies: positive integers. */
export const scanIdSchema = z.coerce.number({ message: "must be a scan id (a positive integer)" }).int({ message: "must be a scan id (a positive integer)" }).positive({ message: "must be a scan id (a positive integer)" });
export const jobIdSchema = z.string().uuid({ message: "must be a job id (a UUID)" });
