import "server-only";
import { redirect } from "next/navigation";
import type { JobView } from "@/lib/scan/job-view";
import { InventoryUnavailableError, ScanPendingError, SignInRequiredError } from "@/lib/scan/load";

/** A page's data, or why there is none: nothing could be read (`message`), or the first scan is still running (`pending`). */
export type PageLoad<T> = { ok: true; value: T } | { ok: false; message: string; pending?: JobView };

/**
 * Runs a page's scan load the same way for every page: a request without a session (when
 * sign-in is configured) goes to sign-in, which the proxy normally does before rendering; a
 * first scan still running is returned with its progress (pages show it instead of waiting);
 * an unreachable or unconfigured scan source is an expected state with a message for people,
 * returned rather than thrown (a thrown server error loses its message in production).
 */
export async function loadForPage<T>(load: () => Promise<T>): Promise<PageLoad<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (err) {
    if (err instanceof SignInRequiredError) redirect("/auth/sign-in");
    if (err instanceof ScanPendingError) return { ok: false, message: err.message, pending: err.job };
    if (err instanceof InventoryUnavailableError) return { ok: false, message: err.message };
    throw err;
  }
}
