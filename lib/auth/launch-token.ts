import { createHash, timingSafeEqual } from "node:crypto";
import { newOpaqueId, readCookie, signValue, verifySignedValue } from "./cookie";

/**
 * The launch token of a single-user server (azure mode without sign-in, or a demo started with
 * --launch-token), like Jupyter's: the launcher prints a secret link `/?token=…`; opening it
 * sets a session cookie and the address bar drops the token. Scripts send the token as
 * `Authorization: Bearer …`. Without one or the other nobody reaches the tenant, so another
 * local user or a page on another site that gets its requests to this port cannot act.
 * Free of `server-only` so the proxy can import it.
 */
export const LAUNCH_COOKIE = "scopewise_launch";
/** The query parameter of the printed link. */
export const LAUNCH_QUERY = "token";
const PURPOSE = "launch-session";

/** Whether `given` is the launch token: compared in constant time over digests, so neither content nor length leaks through timing. */
export function launchTokenMatches(token: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(token), digest(given));
}

/** The bearer credential of an `Authorization` header, if it is one. */
export function bearerOf(authorization: string | null | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  return m?.[1];
}

/**
 * A new launch session: a random id signed with a key derived from the token, so a cookie
 * outlives neither a new token nor a restart with another one. Returns the cookie value.
 */
export function newLaunchSession(token: string): string {
  return signValue(token, PURPOSE, newOpaqueId());
}

/** How a request proved it holds the launch token: its session cookie (id) or the bearer header. */
export type LaunchProof = { via: "link"; sessionId: string } | { via: "bearer" };

/** The request's proof of the launch token, or undefined. */
export function launchProof(token: string, cookieHeader: string | null, authorization: string | null): LaunchProof | undefined {
  const sessionId = verifySignedValue(token, PURPOSE, readCookie(cookieHeader, LAUNCH_COOKIE));
  if (sessionId) return { via: "link", sessionId };
  return launchTokenMatches(token, bearerOf(authorization)) ? { via: "bearer" } : undefined;
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's request
 * carries it), Secure over https; a browser-session cookie, so it ends with the browser.
 */
export function launchCookie(value: string, secure: boolean): string {
  return `${LAUNCH_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A plain page (no script) saying how to get in: open the link the launcher printed. */
export function launchRequiredPage(problem: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Open the launch link · Scopewise</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:10vh auto;padding:0 1rem;color:#1b1f24}code{background:#f0f2f4;padding:0 .25rem}</style></head>
<body><main><h1>Open the launch link</h1><p role="alert">${escapeHtml(problem)}</p>
<p>This Scopewise server acts with its own Azure credential, so it answers only to the person who started it. When it started it printed a link like <code>http://127.0.0.1:PORT/?token=…</code> in its terminal: open that link in this browser. Scripts send the same token as <code>Authorization: Bearer …</code>.</p>
<p>The token changes each time the server starts (unless <code>SCOPEWISE_LAUNCH_TOKEN</code> fixes it); after a restart, open the new link.</p></main></body></html>`;
}
