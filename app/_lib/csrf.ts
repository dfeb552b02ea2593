import { randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Double-submit CSRF protection for state-changing route handlers: the server sets a random
 * token in a SameSite=Strict, HttpOnly cookie and hands the same value to same-origin script
 * (GET /api/csrf); a mutating request must echo it in the `x-csrf-token` header. A cross-site
 * page can neither read the token nor make the browser attach the cookie. The Origin header,
 * which browsers send on every cross-origin and every POST fetch, is checked as well.
 */
export const CSRF_COOKIE = "scopewise_csrf";
export const CSRF_HEADER = "x-csrf-token";
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createCsrfToken(): string {
  return randomBytes(32).toString("base64url");
}

export function isWellFormedCsrfToken(token: string | undefined): token is string {
  return token !== undefined && TOKEN_PATTERN.test(token);
}

export function csrfCookieHeader(token: string, secure: boolean): string {
  return `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800${secure ? "; Secure" : ""}`;
}

export function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The host the browser addressed; behind a proxy the forwarded host is what the page's origin carries. */
function requestHost(request: Request): string | undefined {
  return request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host") || undefined;
}

export type CsrfCheck = { ok: true } | { ok: false; reason: string };

/**
 * The CSRF check for a request by `actor`. A script that sent the launch token as
 * `Authorization: Bearer` is exempt: browsers never attach that header on their own, so no
 * other site can make one send it, and scripts hold no CSRF cookie.
 */
export function checkCsrfFor(request: Request, actor: { viewer: { kind: string; launch?: { via: string } } }): CsrfCheck {
  if (actor.viewer.kind === "server" && actor.viewer.launch?.via === "bearer") return { ok: true };
  return checkCsrf(request);
}

export function checkCsrf(request: Request): CsrfCheck {
  const origin = request.headers.get("origin");
  const host = requestHost(request);
  if (origin !== null) {
    let originHost: string | undefined;
    try {
      originHost = origin === "null" ? undefined : new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (!originHost || originHost !== host) return { ok: false, reason: `cross-origin request refused (Origin ${origin})` };
  } else if ((request.headers.get("sec-fetch-site") ?? "same-origin") !== "same-origin") {
    return { ok: false, reason: "cross-site request refused" };
  }
  const cookieToken = readCookie(request.headers.get("cookie"), CSRF_COOKIE);
  const headerToken = request.headers.get(CSRF_HEADER) ?? undefined;
  if (!isWellFormedCsrfToken(cookieToken)) return { ok: false, reason: `missing or malformed ${CSRF_COOKIE} cookie; load the page again` };
  if (!isWellFormedCsrfToken(headerToken)) return { ok: false, reason: `missing or malformed ${CSRF_HEADER} header` };
  if (!timingSafeEqual(Buffer.from(cookieToken), Buffer.from(headerToken))) {
    return { ok: false, reason: `${CSRF_HEADER} header does not match the ${CSRF_COOKIE} cookie` };
  }
  return { ok: true };
}
