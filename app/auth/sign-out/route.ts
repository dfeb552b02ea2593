import { endSession, sessionIdFromCookie } from "@/lib/auth/session";
import { sessionStore } from "@/lib/auth/session-store";
import { currentSignInSettings } from "@/lib/auth/viewer";
import { forgetInventory } from "@/lib/scan/load";
import { authorityUrl } from "@/lib/auth/msal";
import { appOrigin, clearAuthCookies, redirectResponse } from "../_lib/responses";

/**
 * Ends the session: its tokens and inventory are dropped on the server, the cookie is cleared,
 * and the browser goes through Entra's sign-out back to the sign-in page. POST only, from this
 * site: a cross-site page cannot sign people out (SameSite=Lax keeps the cookie off its POSTs too).
 */
export async function POST(request: Request): Promise<Response> {
  const settings = currentSignInSettings();
  if (!settings) return redirectResponse("/");
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if ((origin !== null && origin !== appOrigin(settings).origin && origin !== new URL(request.url).origin) || (site !== null && site !== "same-origin")) {
    return Response.json({ error: "cross-site sign-out refused" }, { status: 403 });
  }
  const id = sessionIdFromCookie(settings, request.headers.get("cookie"));
  if (id) {
    await endSession(sessionStore(), id);
    forgetInventory(id);
  }
  const logout = new URL(`${authorityUrl(settings)}/oauth2/v2.0/logout`);
  logout.searchParams.set("post_logout_redirect_uri", new URL("/auth/sign-in", appOrigin(settings)).toString());
  return redirectResponse(logout.toString(), clearAuthCookies(settings));
}
