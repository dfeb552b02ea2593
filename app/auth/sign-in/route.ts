import { serializeCookie, SIGN_IN_COOKIE } from "@/lib/auth/cookie";
import { safeReturnTo } from "@/lib/auth/return-to";
import { beginSignIn, getSession } from "@/lib/auth/session";
import { PENDING_TTL_MS, sessionStore } from "@/lib/auth/session-store";
import { currentSignInSettings } from "@/lib/auth/viewer";
import { appOrigin, authProblemPage, redirectResponse, secureCookies } from "../_lib/responses";

/**
 * The client's address as Next passes it on (x-forwarded-for, set from the socket unless the
 * request or a reverse proxy already set it): the key of the per-client cap on pending sign-ins.
 * A client can claim another address, which only moves it under the global cap.
 */
function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

/**
 * Starts an Entra ID sign-in (authorization code + PKCE) and sends the browser to the
 * authorize endpoint. Without sign-in configured there is nothing to do: back to the app.
 */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const returnTo = safeReturnTo(url.searchParams.get("returnTo"));
  const settings = currentSignInSettings();
  if (!settings) return redirectResponse(returnTo);
  const store = sessionStore();
  if (await getSession(settings, store, request.headers.get("cookie"))) return redirectResponse(new URL(returnTo, appOrigin(settings)).toString());
  try {
    const { url: authorizeUrl, flowCookieValue } = await beginSignIn(settings, store, returnTo, clientAddress(request));
    // Scoped to /auth so it only travels to the callback; it outlives the pending sign-in by nothing.
    const flowCookie = serializeCookie(SIGN_IN_COOKIE, flowCookieValue, { secure: secureCookies(settings), maxAge: PENDING_TTL_MS / 1000, path: "/auth" });
    return redirectResponse(authorizeUrl, [flowCookie]);
  } catch (err) {
    console.error("sign-in could not start", err);
    return authProblemPage(503, "Sign-in is unavailable", `Could not reach the sign-in service at ${settings.authorityHost}: ${(err as Error).message}`);
  }
}
