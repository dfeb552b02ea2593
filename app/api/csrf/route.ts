import { createCsrfToken, csrfCookieHeader, CSRF_COOKIE, isWellFormedCsrfToken, readCookie } from "@/app/_lib/csrf";

/**
 * Hands same-origin script the CSRF token (reusing the cookie's one so open tabs keep working).
 * Cross-origin pages cannot read this response: no CORS headers are sent.
 */
export function GET(request: Request): Response {
  const existing = readCookie(request.headers.get("cookie"), CSRF_COOKIE);
  const token = isWellFormedCsrfToken(existing) ? existing : createCsrfToken();
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  return Response.json(
    { token },
    { headers: { "set-cookie": csrfCookieHeader(token, secure), "cache-control": "no-store" } },
  );
}
