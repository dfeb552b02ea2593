import { NextResponse, type NextRequest } from "next/server";
import { buildSecurityHeaders, newCspNonce } from "@/lib/auth/security-headers";
import { getSession } from "@/lib/auth/session-cookie";
import { sessionStore } from "@/lib/auth/session-store";
import { ConfigurationError, isLoopbackHost, serverEnv, signInSettings } from "@/lib/env";

/** Reachable without a session: the sign-in flow itself, the health probes and the build's static files. */
function isPublic(pathname: string): boolean {
  return pathname === "/api/health" || pathname === "/api/ready" || pathname === "/auth/sign-in" || pathname === "/auth/callback" || pathname === "/auth/sign-out" || pathname.startsWith("/_next/static/") || pathname === "/favicon.ico";
}

function isApi(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/**
 * Runs before every request: security headers (CSP with a fresh nonce, which Next applies to
 * its own scripts) on every response, and, when sign-in is configured, a live session for
 * every page (else a redirect to sign-in) and every API (else 401).
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newCspNonce();
  const { pathname, search, hostname } = request.nextUrl;
  const forwardedProto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const https = (forwardedProto ?? request.nextUrl.protocol.replace(/:$/, "")) === "https";
  let settings;
  let configError: ConfigurationError | undefined;
  try {
    settings = signInSettings(serverEnv());
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

  if (configError) {
    // Instrumentation stops the server on bad configuration; this covers `next dev` reloads.
    return finish(new NextResponse(configError.message, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } }));
  }
  if (settings && !isPublic(pathname) && !getSession(settings, sessionStore(), request.headers.get("cookie"))) {
    if (isApi(pathname)) {
      return finish(
        NextResponse.json({ error: "sign in first: this request has no valid session" }, { status: 401, headers: { "cache-control": "no-store" } }),
      );
    }
    const signIn = new URL("/auth/sign-in", request.url);
    signIn.searchParams.set("returnTo", `${pathname}${search}`);
    return finish(NextResponse.redirect(signIn, 303));
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  return finish(NextResponse.next({ request: { headers: requestHeaders } }));
}

export const config = {
  matcher: ["/((?!_next/image).*)"],
};
