import "server-only";
import { createHash } from "node:crypto";
import { userInfo } from "node:os";
import { ConfigurationError, serverEnv } from "@/lib/env";
import type { SessionUser } from "./session-store";
import { viewerFromHeaders, type Viewer } from "./viewer";

/**
 * Who is making a request, for mutating routes and the audit log.
 * - user: a signed-in person (azure mode with an app registration); Azure decides what they may do
 *   with their own delegated token.
 * - server: no sign-in is configured (demo mode, or a single local user with az login); the
 *   server's credential acts, for whoever holds the launch link's session or the launch token
 *   (named in the audit log by a hash of the session and the OS account that started the
 *   server), or, in a demo without a launch token, for anyone on this machine.
 */
export type Actor =
  | { kind: "user"; id: string; displayName: string; user: SessionUser; sessionId: string; viewer: Viewer }
  | { kind: "server"; id: string; displayName: string; viewer: Extract<Viewer, { kind: "server" }> };

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
    viewer = await viewerFromHeaders(request.headers.get("cookie"), request.headers.get("authorization"));
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
  return { ok: true, actor: serverActor(viewer) };
}

/** The OS account that started the server: the launch token was printed to its terminal. */
function launcher(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/** Who acts with the server's credential, as the audit log names them. */
function serverActor(viewer: Extract<Viewer, { kind: "server" }>): Actor {
  const credential = serverEnv().SCOPEWISE_MODE === "demo" ? "the demo emulator's app registration" : "the server's own Azure credential";
  const launch = viewer.launch;
  if (launch?.via === "link") {
    // A hash, not the id: the audit log is readable and the id is half of the session cookie.
    const session = createHash("sha256").update(launch.sessionId).digest("hex").slice(0, 12);
    return { kind: "server", id: `launch-session:${session}`, displayName: `launch-link session ${session} of ${launcher()} (who started this server), acting with ${credential}`, viewer };
  }
  if (launch?.via === "bearer") {
    return { kind: "server", id: "launch-token", displayName: `a client holding the launch token of ${launcher()} (who started this server), acting with ${credential}`, viewer };
  }
  return { kind: "server", id: "server", displayName: `anyone on this machine (no launch token is set), acting with ${credential}`, viewer };
}
