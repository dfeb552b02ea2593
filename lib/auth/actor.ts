import "server-only";
import { ConfigurationError } from "@/lib/env";
import type { SessionUser } from "./session-store";
import { viewerFromCookieHeader, type Viewer } from "./viewer";

/**
 * Who is making a request, for mutating routes and the audit log.
 * - user: a signed-in person (azure mode with an app registration); Azure decides what they may do
 *   with their own delegated token.
 * - server: no sign-in is configured (demo mode, or a single local user with az login); the
 *   server's credential acts.
 */
export type Actor =
  | { kind: "user"; id: string; displayName: string; user: SessionUser; sessionId: string; viewer: Viewer }
  | { kind: "server"; id: "server"; displayName: string; viewer: Viewer };

export type ActorCheck = { ok: true; actor: Actor } | { ok: false; response: Response };

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

/**
 * The request's actor, or a ready 401 response when sign-in is configured and the request has
 * no live session (missing, forged, altered, expired or signed-out cookie). CSRF is checked
 * separately (app/_lib/csrf.ts) by every mutating route.
 */
export async function requireActor(request: Request): Promise<ActorCheck> {
  let viewer: Viewer | undefined;
  try {
    viewer = viewerFromCookieHeader(request.headers.get("cookie"));
  } catch (err) {
    if (err instanceof ConfigurationError) return { ok: false, response: json({ error: err.message }, 503) };
    throw err;
  }
  if (!viewer) {
    return {
      ok: false,
      response: json({ error: "sign in first: this request has no valid session" }, 401, { "www-authenticate": 'Cookie realm="scopewise", location="/auth/sign-in"' }),
    };
  }
  if (viewer.kind === "user") {
    const u = viewer.session.user;
    return { ok: true, actor: { kind: "user", id: u.oid, displayName: `${u.name} (${u.username})`, user: u, sessionId: viewer.session.id, viewer } };
  }
  return { ok: true, actor: { kind: "server", id: "server", displayName: "the Scopewise server's own credential", viewer } };
}
