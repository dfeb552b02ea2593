import "server-only";
import { serverEnv, signInSettings, type SignInSettings } from "@/lib/env";
import { launchProof, type LaunchProof } from "./launch-token";
import { getSession } from "./session-cookie";
import { sessionStore, type Session } from "./session-store";

/**
 * Who a request reads the tenant as.
 * - server: the server's own credential (demo: the emulator's app registration; azure without an
 *   app registration: DefaultAzureCredential). Everyone sees the same inventory. With a launch
 *   token, `launch` says how the request proved it holds it.
 * - user: the signed-in person's delegated token; each person sees what Azure lets them see.
 */
export type Viewer = { kind: "server"; launch?: LaunchProof } | { kind: "user"; session: Session; settings: SignInSettings };

/** Sign-in is configured but the request carries no live session. */
export class SignInRequiredError extends Error {
  constructor(message = "sign in to see this tenant") {
    super(message);
    this.name = "SignInRequiredError";
  }
}

/** Sign-in settings when people sign in (azure mode with an app registration), else undefined. */
export function currentSignInSettings(): SignInSettings | undefined {
  return signInSettings(serverEnv());
}

/**
 * The viewer a request's cookie and Authorization headers stand for; undefined when sign-in is
 * configured and there is no live session, or a launch token is set and the request holds
 * neither its session cookie nor the token.
 */
export async function viewerFromHeaders(cookieHeader: string | null, authorization: string | null): Promise<Viewer | undefined> {
  const env = serverEnv();
  const settings = signInSettings(env);
  if (settings) {
    const session = await getSession(settings, sessionStore(), cookieHeader);
    return session ? { kind: "user", session, settings } : undefined;
  }
  const token = env.SCOPEWISE_LAUNCH_TOKEN;
  if (!token) return { kind: "server" };
  const launch = launchProof(token, cookieHeader, authorization);
  return launch ? { kind: "server", launch } : undefined;
}

/** The viewer of the current server render or route (reads the request's cookies). Throws SignInRequiredError. */
export async function currentViewer(): Promise<Viewer> {
  // Reading the request first marks the render dynamic, so nothing here runs at build time.
  const { headers } = await import("next/headers");
  const h = await headers();
  const viewer = await viewerFromHeaders(h.get("cookie"), h.get("authorization"));
  if (!viewer) throw new SignInRequiredError();
  return viewer;
}
