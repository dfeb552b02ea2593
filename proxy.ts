import { NextResponse, type NextRequest } from "next/server";
import { detailLookupPath, lookupStatus, NOT_FOUND_KIND_HEADER } from "@/app/_lib/detail-lookup";
import { launchCookie, launchProof, launchRequiredPage, launchTokenMatches, LAUNCH_QUERY, newLaunchSession } from "@/lib/auth/launch-token";
import { allowedOrigins, checkRequestOrigin } from "@/lib/auth/request-guard";
import { buildSecurityHeaders, newCspNonce } from "@/lib/auth/security-headers";
import { getSession } from "@/lib/auth/session-cookie";
import { sessionStore } from "@/lib/auth/session-store";
import { ConfigurationError, isLoopbackHost, serverEnv, signInSettings, type ServerEnv } from "@/lib/env";

/** Reachable without a session: the sign-in flow itself, the health probes and the build's static files. */
function isPublic(pathname: string): boolean {
  return pathname === "/api/health" || pathname === "/api/ready" || pathname === "/auth/sign-in" || pathname === "/auth/callback" || pathname === "/auth/sign-out" || isStatic(pathname);
}

/** The build's own files: no tenant data in them. */
function isStatic(pathname: string): boolean {
  return pathname.startsWith("/_next/static/") || pathname === "/favicon.ico";
}

function isApi(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

const NO_STORE = { "cache-control": "no-store" };

function refusal(pathname: string, status: number, message: string, headers: Record<string, string> = {}): NextResponse {
  return isApi(pathname)
    ? NextResponse.json({ error: message }, { status, headers: { ...NO_STORE, ...headers } })
    : new NextResponse(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", ...NO_STORE, ...headers } });
}

/**
 * A server with a launch token (a single user, no sign-in): the printed link's `?token=` sets
 * the session cookie and redirects to the same address without it; then the cookie, or a
 * script's `Authorization: Bearer`, is required on every page and API.
 */
function launchGate(request: NextRequest, token: string, https: boolean): NextResponse | undefined {
  const { pathname } = request.nextUrl;
  if (isStatic(pathname)) return undefined;
  const given = request.nextUrl.searchParams.get(LAUNCH_QUERY);
  if (given !== null && (request.method === "GET" || request.method === "HEAD")) {
    if (!launchTokenMatches(token, given)) {
      return new NextResponse(launchRequiredPage("This link's token is not this server's: it may be from an earlier start."), { status: 401, headers: { "content-type": "text/html; charset=utf-8", ...NO_STORE } });
    }
    const clean = request.nextUrl.clone();
    clean.searchParams.delete(LAUNCH_QUERY);
    const res = NextResponse.redirect(clean, 303);
    res.headers.set("set-cookie", launchCookie(newLaunchSession(token), https));
    res.headers.set("cache-control", "no-store");
    return res;
  }
  if (launchProof(token, request.headers.get("cookie"), request.headers.get("authorization"))) return undefined;
  if (isApi(pathname)) {
    return refusal(pathname, 401, "open the launch link this server printed (or send Authorization: Bearer <launch token>)", { "www-authenticate": 'Bearer realm="scopewise"' });
  }
  return new NextResponse(launchRequiredPage("This browser has not opened the launch link yet."), { status: 401, headers: { "content-type": "text/html; charset=utf-8", ...NO_STORE } });
}

/** Whether a path decodes as a URL path: a malformed % escape is a bad request, not a server error. */
function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs before every request: security headers (CSP with a fresh nonce, which Next applies to
 * its own scripts) on every response; then only Host and Origin values this server is reached
 * by (421 / 403 otherwise, before anything else); a malformed path is 400; then, with sign-in,
 * a live session for every page (else a redirect to sign-in) and API (else 401), or with a
 * launch token, its session; a detail page of an id the scan does not have is 404.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const nonce = newCspNonce();
  const { pathname, search, hostname } = request.nextUrl;
  const forwardedProto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const https = (forwardedProto ?? request.nextUrl.protocol.replace(/:$/, "")) === "https";
  let env: ServerEnv | undefined;
  let settings;
  let configError: ConfigurationError | undefined;
  try {
    env = serverEnv();
    settings = signInSettings(env);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    configError = err;
  }
  const headers = buildSecurityHeaders({
    nonce,
    hsts: https && !isLoopbackHost(hostname),
    development: process.env.NODE_ENV === "development",
    formActionOrigins: settings ? [new URL(settings.authorityHost).origin] : [],
  });
  const finish = (response: NextResponse) => {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  };

  if (configError || !env) {
    // Instrumentation stops the server on bad configuration; this covers `next dev` reloads.
    return finish(new NextResponse(configError?.message ?? "configuration unavailable", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } }));
  }
  const verdict = checkRequestOrigin(request.headers, allowedOrigins(env), request.nextUrl.host);
  if (!verdict.ok) return finish(refusal(pathname, verdict.status, verdict.message));
  if (!decodablePath(pathname)) return finish(refusal(pathname, 400, "the path holds a malformed % escape"));

  if (settings && !isPublic(pathname) && !(await liveSession(settings, request))) {
    if (isApi(pathname)) {
      return finish(
        NextResponse.json({ error: "sign in first: this request has no valid session" }, { status: 401, headers: { "cache-control": "no-store" } }),
      );
    }
    const signIn = new URL("/auth/sign-in", request.url);
    signIn.searchParams.set("returnTo", `${pathname}${search}`);
    return finish(NextResponse.redirect(signIn, 303));
  }
  if (!settings && env.SCOPEWISE_LAUNCH_TOKEN) {
    const refused = launchGate(request, env.SCOPEWISE_LAUNCH_TOKEN, https);
    if (refused) return finish(refused);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  const lookup = request.method === "GET" || request.method === "HEAD" ? detailLookupPath(pathname, request.nextUrl.searchParams) : undefined;
  if (lookup) {
    return lookupStatus(env, lookup, request.headers).then((status) =>
      // An unknown id renders the not-found page through a path no route has: Next answers it 404.
      status === 404 ? finish(NextResponse.rewrite(new URL("/_scopewise/not-found", request.url), { request: { headers: notFoundHeaders(requestHeaders, lookup) } })) : finish(NextResponse.next({ request: { headers: requestHeaders } })),
    );
  }
  return finish(NextResponse.next({ request: { headers: requestHeaders } }));
}

/** Whether the request's cookie names a live session; a store that cannot be read counts as none (the page then asks to sign in). */
async function liveSession(settings: NonNullable<ReturnType<typeof signInSettings>>, request: NextRequest): Promise<boolean> {
  try {
    return (await getSession(settings, sessionStore(), request.headers.get("cookie"))) !== undefined;
  } catch (err) {
    console.error("sessions: the store could not be read", err);
    return false;
  }
}

/** The not-found page says what was not found (app/not-found.tsx reads this header). */
function notFoundHeaders(headers: Headers, lookup: string): Headers {
  const out = new Headers(headers);
  out.set(NOT_FOUND_KIND_HEADER, lookup.startsWith("/api/findings/") ? "finding" : "identity");
  return out;
}

export const config = {
  matcher: ["/((?!_next/image).*)"],
};
