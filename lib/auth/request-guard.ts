import type { ServerEnv } from "@/lib/env";

/**
 * Which Host and Origin values this server answers. A page on another site can make a browser
 * send requests to this port (DNS rebinding: attacker.example resolves to 127.0.0.1), but the
 * browser then sends `Host: attacker.example:PORT` and that site's Origin; only the names this
 * server is really reached by are allowed: localhost, 127.0.0.1 and [::1] with the serving
 * port, the address it listens on when that is one address, and the public URL (a reverse
 * proxy's, or sign-in's redirect URI). Free of `server-only` so the proxy can import it.
 */
export interface AllowedOrigins {
  /** Host header values, lower-case, with the port unless it is the scheme's default. */
  hosts: ReadonlySet<string>;
  /** Origin header values, lower-case. */
  origins: ReadonlySet<string>;
}

/** Next's own default port, when no launcher said which one it serves. */
const DEFAULT_PORT = 3000;

export function servingPort(env: ServerEnv): number {
  return env.SCOPEWISE_PORT ?? DEFAULT_PORT;
}

export function allowedOrigins(env: ServerEnv): AllowedOrigins {
  const port = servingPort(env);
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const names = ["localhost", "127.0.0.1", "[::1]"];
  const listen = env.SCOPEWISE_LISTEN?.toLowerCase();
  // A specific address people connect to is allowed; a wildcard (0.0.0.0, ::) names no host.
  if (listen && !["0.0.0.0", "::", "[::]"].includes(listen)) names.push(listen.includes(":") && !listen.startsWith("[") ? `[${listen}]` : listen);
  for (const name of names) {
    const host = port === 80 ? name : `${name}:${port}`;
    hosts.add(host);
    origins.add(`http://${host}`);
    if (port === 443) origins.add(`https://${name}`);
  }
  const publicUrls = [env.SCOPEWISE_PUBLIC_URL, env.SCOPEWISE_MODE === "azure" ? env.SCOPEWISE_REDIRECT_URI : undefined];
  for (const u of publicUrls) {
    if (!u) continue;
    const url = new URL(u);
    hosts.add(url.host.toLowerCase());
    origins.add(url.origin.toLowerCase());
  }
  return { hosts, origins };
}

export type GuardVerdict = { ok: true } | { ok: false; status: 400 | 403 | 421; message: string };

/**
 * Host first (421 Misdirected Request for a name this server is not), then any forwarded host
 * (a reverse proxy's, which must be the public URL's), then the Origin a browser sent (403 for
 * another site's, `null` included).
 */
export function checkRequestOrigin(headers: Headers, allowed: AllowedOrigins, urlHost?: string): GuardVerdict {
  // Next builds the request URL from the Host header; a request that lacks one (HTTP/1.0) has only the URL's.
  const host = (headers.get("host") ?? urlHost)?.trim().toLowerCase();
  if (!host) return { ok: false, status: 400, message: "the request has no Host header" };
  const names = [...allowed.hosts].join(", ");
  if (!allowed.hosts.has(host)) return { ok: false, status: 421, message: `this server does not answer to ${JSON.stringify(host)}; it answers to ${names}` };
  const forwarded = headers.get("x-forwarded-host");
  if (forwarded !== null) {
    for (const f of forwarded.split(",")) {
      const name = f.trim().toLowerCase();
      if (!allowed.hosts.has(name)) return { ok: false, status: 421, message: `this server does not answer to forwarded host ${JSON.stringify(name)}; set SCOPEWISE_PUBLIC_URL to the URL people use` };
    }
  }
  const origin = headers.get("origin");
  if (origin !== null && !allowed.origins.has(origin.trim().toLowerCase())) {
    return { ok: false, status: 403, message: `cross-origin request refused (Origin ${origin}); this server accepts ${[...allowed.origins].join(", ")}` };
  }
  return { ok: true };
}
