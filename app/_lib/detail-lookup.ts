import type { ServerEnv } from "@/lib/env";
import { isLoopbackListen } from "@/lib/env";
import { servingPort } from "@/lib/auth/request-guard";

/**
 * A detail page streams its HTML (its loading skeleton first) and so answers 200 before it
 * knows whether the finding or identity exists. The proxy asks the matching lookup API first
 * (app/api/lookup.ts) and answers a real 404 for an id the current scan does not have.
 */

/** Set by the proxy on the rewrite to the not-found page: "finding" or "identity", what the id was not. */
export const NOT_FOUND_KIND_HEADER = "x-scopewise-not-found";

/** The lookup API for a detail page's path, when it is one; `/findings/<id>/fix?step=verify` stays (it shows resolved findings). */
export function detailLookupPath(pathname: string, search: URLSearchParams): string | undefined {
  const finding = /^\/findings\/([^/]+)(\/fix)?\/?$/.exec(pathname);
  if (finding) return finding[2] && search.get("step") === "verify" ? undefined : `/api/findings/${finding[1]}`;
  const identity = /^\/identities\/([^/]+)\/?$/.exec(pathname);
  return identity ? `/api/identities/${identity[1]}` : undefined;
}

/** Where this server reaches itself: the address it listens on, or 127.0.0.1 for a wildcard. */
function selfOrigin(env: ServerEnv): string {
  const listen = env.SCOPEWISE_LISTEN;
  const host = !listen || ["0.0.0.0", "::", "[::]"].includes(listen) || (isLoopbackListen(listen) && listen !== "::1") ? (listen === "localhost" ? "localhost" : "127.0.0.1") : listen;
  return `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${servingPort(env)}`;
}

/** Scans take minutes on a large tenant; past this the page decides on its own. */
const LOOKUP_TIMEOUT_MS = 5 * 60_000;

/** The lookup API's status for this request's viewer (its cookie and Authorization), or undefined when it could not be asked. */
export async function lookupStatus(env: ServerEnv, apiPath: string, headers: Headers): Promise<number | undefined> {
  const forward = new Headers();
  for (const name of ["cookie", "authorization"]) {
    const value = headers.get(name);
    if (value !== null) forward.set(name, value);
  }
  try {
    const res = await fetch(`${selfOrigin(env)}${apiPath}`, { headers: forward, signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS), cache: "no-store" });
    await res.body?.cancel();
    return res.status;
  } catch {
    return undefined;
  }
}
