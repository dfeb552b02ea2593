import "server-only";
import { connection } from "next/server";
import { currentViewer, SignInRequiredError, type Viewer } from "@/lib/auth/viewer";
import { sessionStore } from "@/lib/auth/session-store";
import { serverEnv } from "@/lib/env";
import type { Inventory } from "@/lib/model/types";
import { scanConfigFromEnv } from "./env-config";
import { scanTenant } from "@/lib/inventory/scan";

export interface InventoryResult {
  inventory: Inventory;
  /** Wall time of the scan that produced it. */
  durationMs: number;
  /** Where it came from, for people: "demo emulator at https://localhost:PORT", "Azure as alice@contoso.com". */
  source: string;
  mode: "demo" | "azure";
  /** Whose rights the scan ran with: "server" or "user:<object id>" (scan history is kept per viewer). */
  viewer: string;
  /** Set when a later rescan failed and this inventory is still the earlier scan's: pages say so above their data. */
  stale?: StaleScan;
}

/** A rescan that failed while an older scan's data is still shown. */
export interface StaleScan {
  /** When the rescan failed (ISO time). */
  failedAt: string;
  message: string;
}

/** The scan source is not configured or could not be reached at all (partial failures are in inventory.errors). */
export class InventoryUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InventoryUnavailableError";
  }
}

export { SignInRequiredError };
export type { Viewer };

interface CacheState {
  /** "server" for the server's own credential, `session:<id>` per signed-in session. */
  byViewer: Map<string, Promise<InventoryResult>>;
}

// Next may load this module more than once (per route bundle), so the cache lives on globalThis.
const cache: CacheState = ((globalThis as { __scopewiseInventoryByViewer?: CacheState }).__scopewiseInventoryByViewer ??= { byViewer: new Map() });

function cacheKey(viewer: Viewer): string {
  return viewer.kind === "server" ? "server" : `session:${viewer.session.id}`;
}

/** Per-person inventories of ended sessions are dropped: they hold what that person could read. */
function sweep(): void {
  const store = sessionStore();
  for (const key of cache.byViewer.keys()) {
    if (key.startsWith("session:") && !store.getSession(key.slice("session:".length))) cache.byViewer.delete(key);
  }
}

async function runScan(viewer: Viewer): Promise<InventoryResult> {
  let env;
  try {
    env = serverEnv();
  } catch (err) {
    throw new InventoryUnavailableError((err as Error).message, { cause: err });
  }
  const { config, source } = await scanConfigFromEnv(env, viewer);
  const started = performance.now();
  try {
    const inventory = await scanTenant(config);
    const who = viewer.kind === "server" ? "server" : `user:${viewer.session.user.oid}`;
    return { inventory, durationMs: Math.round(performance.now() - started), source, mode: env.SCOPEWISE_MODE, viewer: who };
  } catch (err) {
    throw new InventoryUnavailableError(`Could not scan ${source}: ${(err as Error).message}`, { cause: err });
  }
}

function remember(key: string, p: Promise<InventoryResult>): Promise<InventoryResult> {
  cache.byViewer.set(key, p);
  // A failed scan is not cached: the next request tries again.
  p.catch(() => {
    if (cache.byViewer.get(key) === p) cache.byViewer.delete(key);
  });
  return p;
}

/**
 * The latest inventory as `viewer` sees it (default: the current request's viewer); scans on
 * first use. With sign-in, each session has its own inventory, read with that person's token.
 * Marks the calling route as dynamic. Throws SignInRequiredError when sign-in is configured
 * and the request has no session.
 */
export async function getInventory(viewer?: Viewer): Promise<InventoryResult> {
  await connection();
  const v = viewer ?? (await currentViewer());
  sweep();
  const key = cacheKey(v);
  return cache.byViewer.get(key) ?? remember(key, runScan(v));
}

/** Rescans now as `viewer`; concurrent callers share the new scan. */
export async function refreshInventory(viewer?: Viewer): Promise<InventoryResult> {
  const v = viewer ?? (await currentViewer());
  return remember(cacheKey(v), runScan(v));
}

/** Drops a session's inventory (sign-out). */
export function forgetInventory(sessionId: string): void {
  cache.byViewer.delete(`session:${sessionId}`);
}
