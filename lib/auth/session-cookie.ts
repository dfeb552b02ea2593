import type { SignInSettings } from "@/lib/env";
import { readCookie, SESSION_COOKIE, verifySignedValue } from "./cookie";
import type { Session, SessionStore } from "./session-store";

/**
 * Session lookup shared by the proxy and the server code; free of `server-only` and MSAL so
 * the proxy bundle can import it.
 */
export const SESSION_PURPOSE = "session";

/** The session id a cookie header names, when the cookie is well-formed and its MAC is valid (no lookup). */
export function sessionIdFromCookie(settings: Pick<SignInSettings, "sessionSecret">, cookieHeader: string | null): string | undefined {
  return verifySignedValue(settings.sessionSecret, SESSION_PURPOSE, readCookie(cookieHeader, SESSION_COOKIE));
}

/** The live session a request's cookie names, or undefined (no cookie, forged or altered cookie, expired or signed out). */
export async function getSession(settings: Pick<SignInSettings, "sessionSecret">, store: SessionStore, cookieHeader: string | null): Promise<Session | undefined> {
  const id = sessionIdFromCookie(settings, cookieHeader);
  return id ? store.getSession(id) : undefined;
}
