import "server-only";
import { serverEnv } from "@/lib/env";

/**
 * The origin people reach the dashboard at, for links that leave it (a ticket): the configured
 * public URL, else the request's own Host, which the proxy has already checked against the
 * origins this server answers to (a route handler's request URL carries it).
 */
export function publicOrigin(from: Headers | Request): string {
  const configured = serverEnv().SCOPEWISE_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  if (from instanceof Request) return new URL(from.url).origin;
  const headers = from;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${proto}://${headers.get("host") ?? "localhost"}`;
}

export const findingPath = (id: string) => `/findings/${encodeURIComponent(id)}`;
