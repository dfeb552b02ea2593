import "server-only";
import { serverEnv, signInSettings, type SignInSettings } from "@/lib/env";
import { getSession } from "./session-cookie";
import { sessionStore, type Session } from "./session-store";

/**
 * Who a request reads the tenant as.
 * - server: the server's own credential (demo: the emulator's app registration; azure without an
 *   app registration: DefaultAzureCredential). Everyone sees the same inventory.
 * - user: the signed-in person's delegated token; each person sees what Azure lets them see.
 */
export type Viewer = { kind: "server" } | { kind: "user"; session: Session; settings: SignInSettings };

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

/** The viewer a cookie header stands for; undefined when sign-in is required and there is no live session. */
export function viewerFromCookieHeader(cookieHeader: string | null): Viewer | undefined {
  const settings = currentSignInSettings();
  if (!settings) return { kind: "server" };
  const session = getSession(settings, sessionStore(), cookieHeader);
  return session ? { kind: "user", session, settings } : undefined;
}

/** The viewer of the current server render or route (reads the request's cookies). Throws SignInRequiredError. */
export async function currentViewer(): Promise<Viewer> {
  // Reading the request first marks the render dynamic, so nothing here runs at build time.
  const { headers } = await import("next/headers");
  const cookieHeader = (await headers()).get("cookie");
  const settings = currentSignInSettings();
  if (!settings) return { kind: "server" };
  const viewer = viewerFromCookieHeader(cookieHeader);
  if (!viewer) throw new SignInRequiredError();
  return viewer;
}
