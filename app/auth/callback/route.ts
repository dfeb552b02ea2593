import { serializeCookie, SESSION_COOKIE, SIGN_IN_COOKIE } from "@/lib/auth/cookie";
import { completeSignIn, SignInError } from "@/lib/auth/session";
import { sessionStore } from "@/lib/auth/session-store";
import { currentSignInSettings } from "@/lib/auth/viewer";
import { appOrigin, authProblemPage, redirectResponse, secureCookies } from "../_lib/responses";

/** Entra redirects here with `code` and `state` (or `error`); a session starts on success. */
export async function GET(request: Request): Promise<Response> {
  const settings = currentSignInSettings();
  if (!settings) return redirectResponse("/");
  const secure = secureCookies(settings);
  const clearFlow = serializeCookie(SIGN_IN_COOKIE, "", { secure, maxAge: 0, path: "/auth" });
  try {
    const { cookieValue, returnTo } = await completeSignIn(settings, sessionStore(), new URL(request.url).searchParams, request.headers.get("cookie"));
    // A browser-session cookie: the server-side session's own lifetime ends it earlier if idle.
    const sessionCookie = serializeCookie(SESSION_COOKIE, cookieValue, { secure });
    return redirectResponse(new URL(returnTo, appOrigin(settings)).toString(), [sessionCookie, clearFlow]);
  } catch (err) {
    if (err instanceof SignInError) return authProblemPage(400, "Sign-in failed", err.message, [clearFlow]);
    console.error("sign-in callback failed", err);
    return authProblemPage(500, "Sign-in failed", "The sign-in could not be completed; see the server log.", [clearFlow]);
  }
}
