import { randomBytes } from "node:crypto";

export interface SecurityHeaderOptions {
  /** A fresh nonce per response (see newCspNonce). */
  nonce: string;
  /** HSTS is sent only when the site is served over https, and never for localhost. */
  hsts: boolean;
  /** `next dev` needs eval for React's debugging aids; production builds do not. */
  development?: boolean;
  /**
   * Origins a form submission may end up at besides this one: Chrome applies form-action to
   * the redirects after a POST, and sign-out redirects to the identity provider's logout.
   */
  formActionOrigins?: readonly string[];
}

export function newCspNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * Headers every response carries.
 * - script-src: only scripts bearing this response's nonce, and what they load ('strict-dynamic');
 *   no inline script without the nonce, no eval in production.
 * - style-src 'unsafe-inline': React Flow positions nodes and edges with inline `style`
 *   attributes, which nonces cannot cover (they apply to <style> elements only); styles
 *   cannot run script, and script stays nonce-locked.
 * - frame-ancestors 'none' (and X-Frame-Options for old browsers): no clickjacking by framing.
 * - form-action 'self' (+ the identity provider, where sign-out's POST redirects): forms post only here.
 * - Cross-Origin-Resource-Policy same-origin: no other site loads these responses as subresources.
 * - Referrer-Policy same-origin: page URLs (which name subscriptions and identities) are not
 *   sent to other sites; same-origin fetches keep their Origin header for the CSRF check.
 */
export function buildSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...(options.formActionOrigins ?? [])].join(" "),
    "frame-ancestors 'none'",
  ];
  if (options.hsts) csp.push("upgrade-insecure-requests");
  const headers: Record<string, string> = {
    "content-security-policy": csp.join("; "),
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    // Another site's page cannot embed these responses (an <img> or <script> of an API's JSON,
    // a side channel on its bytes): every resource here is for this origin's own pages.
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (options.hsts) headers["strict-transport-security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
