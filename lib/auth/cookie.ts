import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { isLoopbackHost } from "@/lib/env";

/**
 * The session cookie carries only an opaque, random session id and an HMAC of it under the
 * session secret: `<id>.<mac>`. Tokens and the person's details stay on the server. The MAC
 * lets the proxy refuse a forged or altered cookie before any lookup.
 */
export const SESSION_COOKIE = "scopewise_session";
/** Binds a sign-in in progress to the browser that started it (login CSRF / code injection). */
export const SIGN_IN_COOKIE = "scopewise_sign_in";

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAC_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newOpaqueId(): string {
  return randomBytes(32).toString("base64url");
}

function mac(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}\u0000${value}`).digest("base64url");
}

/** `<id>.<mac>`; `purpose` keeps a MAC for one cookie from being valid for another. */
export function signValue(secret: string, purpose: string, id: string): string {
  return `${id}.${mac(secret, purpose, id)}`;
}

/** The id inside a signed value, or undefined when it is malformed or its MAC does not match. */
export function verifySignedValue(secret: string, purpose: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dot = value.indexOf(".");
  if (dot < 0) return undefined;
  const id = value.slice(0, dot);
  const given = value.slice(dot + 1);
  if (!ID_PATTERN.test(id) || !MAC_PATTERN.test(given)) return undefined;
  const expected = Buffer.from(mac(secret, purpose, id));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : undefined;
}

export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Secure cookies everywhere but plain-http localhost (browsers drop Secure cookies over http). */
export function cookieIsSecure(url: URL): boolean {
  return url.protocol === "https:" || !isLoopbackHost(url.hostname);
}

export interface CookieOptions {
  secure: boolean;
  /** Seconds; 0 deletes the cookie. Absent = a browser-session cookie. */
  maxAge?: number;
  path?: string;
}

/**
 * HttpOnly (script cannot read it) and SameSite=Lax: sent on top-level navigations (the
 * redirect back from Entra is one) but not on cross-site subrequests or cross-site POSTs.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${options.path ?? "/"}`, "HttpOnly", "SameSite=Lax"];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}
