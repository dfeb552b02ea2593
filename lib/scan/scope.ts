import type { Viewer } from "@/lib/auth/viewer";
import type { ServerEnv } from "@/lib/env";

/**
 * What one scan covers and whose rights it reads with: the tenant, the viewer (the server's own
 * credential, or one signed-in person) and the subscription selection. Scans of one scope are
 * compared with each other, and at most one runs at a time; scans of different scopes never
 * meet (another person sees other parts of the tenant, another selection other subscriptions).
 */
export interface ScanScope {
  /** `<tenant>|<viewer>|<subscriptions or *>|<management group or *>`. */
  key: string;
  /** "server" or "user:<object id>", as the scan history names viewers. */
  viewer: string;
  tenantId?: string;
}

/** "server" or "user:<object id>": whose rights a scan runs with. */
export function viewerKey(viewer: Viewer): string {
  return viewer.kind === "server" ? "server" : `user:${viewer.session.user.oid}`;
}

export function scanScopeOf(env: ServerEnv, viewer: Viewer): ScanScope {
  const tenantId = env.SCOPEWISE_TENANT_ID?.toLowerCase();
  const subscriptions = env.SCOPEWISE_MODE === "azure" && env.SCOPEWISE_SUBSCRIPTIONS?.length ? [...env.SCOPEWISE_SUBSCRIPTIONS].map((s) => s.toLowerCase()).sort().join(",") : "*";
  const group = env.SCOPEWISE_MODE === "azure" && env.SCOPEWISE_MANAGEMENT_GROUP ? env.SCOPEWISE_MANAGEMENT_GROUP.toLowerCase() : "*";
  const who = viewerKey(viewer);
  return { key: `${tenantId ?? "default"}|${who}|${subscriptions}|${group}`, viewer: who, ...(tenantId ? { tenantId } : {}) };
}
