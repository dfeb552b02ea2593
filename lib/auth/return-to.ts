/** Where the app's own redirects may lead: a path on this origin, nothing else. */

/** Parsing base for a path; any origin works, since only paths of that same origin are kept. */
const BASE = new URL("http://scopewise.invalid/");

/** A path may decode to these only at its very start: `//host` and `/\host` are another host to a browser. */
const HOST_LIKE = /^\/[/\\]/;

function decodeOnce(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/**
 * A same-origin path to come back to; anything else becomes "/". The value is read as the URL
 * parser reads it against the app's origin (which drops tabs and newlines and turns `\` into
 * `/`, so `/%09/evil.example` arrives as `/<TAB>/evil.example` and would resolve to
 * `//evil.example`): control characters and backslashes are refused outright, the resolved URL
 * must keep the app's origin, and neither the path nor its percent-decoded form may start like
 * another host. Paths under /auth/ (the sign-in flow itself) become "/".
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE.origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  const decoded = decodeOnce(url.pathname);
  if (decoded === undefined || HOST_LIKE.test(path) || HOST_LIKE.test(decoded) || /[\u0000-\u001f\u007f]/.test(decoded)) return "/";
  if (decoded === "/auth" || decoded.toLowerCase().startsWith("/auth/")) return "/";
  return path;
}
