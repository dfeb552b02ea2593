import "server-only";
import { cookieIsSecure, serializeCookie, SESSION_COOKIE, SIGN_IN_COOKIE } from "@/lib/auth/cookie";
import type { SignInSettings } from "@/lib/env";

/** The origin people use, taken from the configured redirect URI rather than the request's Host header. */
export function appOrigin(settings: SignInSettings): URL {
  return new URL("/", settings.redirectUri);
}

export function secureCookies(settings: SignInSettings): boolean {
  return cookieIsSecure(new URL(settings.redirectUri));
}

export function clearAuthCookies(settings: SignInSettings): string[] {
  const secure = secureCookies(settings);
  return [serializeCookie(SESSION_COOKIE, "", { secure, maxAge: 0 }), serializeCookie(SIGN_IN_COOKIE, "", { secure, maxAge: 0, path: "/auth" })];
}

export function redirectResponse(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A plain page (no script) for sign-in problems, with a way to try again. */
export function authProblemPage(status: number, title: string, message: string, cookies: string[] = []): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Scopewise</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:10vh auto;padding:0 1rem;color:#1b1f24}a{color:#0b5cad}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p><p><a href="/auth/sign-in">Sign in again</a></p></main></body></html>`;
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(html, { status, headers });
}
