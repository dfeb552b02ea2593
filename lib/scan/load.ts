import "server-only";
import { connection } from "next/server";
import { currentViewer, SignInRequiredError, type Viewer } from "@/lib/auth/viewer";
import { sessionStore } from "@/lib/auth/session-store";
import { serverEnv } from "@/lib/env";
import type { Inventory } from "@/lib/model/types";
import { scanConfigFromEnv } from "./env-config";
import { buildInventory } from "@/lib/inventory/build";
import { scanWithBaseline, type ScanBaseline } from "@/lib/inventory/scan";

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
  /** The rescan running per viewer, and when it started: later rescans join it. */
  refreshing?: Map<string, { scan: Promise<InventoryResult>; startedAt: number }>;
  /** What each viewer's last scan leaves for the next (a rescan reads what changed); in memory only, it holds cluster credentials. */
  baselines?: Map<string, ScanBaseline>;
}

// Next may load this module more than once (per route bundle), so the cache lives on globalThis.
const cache: CacheState = ((globalThis as { __scopewiseInventoryByViewer?: CacheState }).__scopewiseInventoryByViewer ??= { byViewer: new Map() });
const refreshing = (cache.refreshing ??= new Map());
const baselines = (cache.baselines ??= new Map());

function cacheKey(viewer: Viewer): string {
  return viewer.kind === "server" ? "server" : `session:${viewer.session.id}`;
}

/** Per-person inventories of ended sessions are dropped: they hold what that person could read. */
function sweep(): void {
  const store = sessionStore();
  for (const key of [...cache.byViewer.keys(), ...baselines.keys()]) {
    if (key.startsWith("session:") && !store.getSession(key.slice("session:".length))) {
      cache.byViewer.delete(key);
      baselines.delete(key);
    }
  }
}

async function runScan(viewer: Viewer, key: string): Promise<InventoryResult> {
  let env;
  try {
    env = serverEnv();
  } catch (err) {
    throw new InventoryUnavailableError((err as Error).message, { cause: err });
  }
  const { config, source } = await scanConfigFromEnv(env, viewer);
  const started = performance.now();
  try {
    const { raw, baseline } = await scanWithBaseline(config, baselines.get(key));
    // A scan that read nothing completely leaves no baseline: the next one reads everything.
    if (baseline) baselines.set(key, baseline);
    else baselines.delete(key);
    const inventory = buildInventory(raw);
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
  return cache.byViewer.get(key) ?? remember(key, runScan(v, key));
}

/** Whether a rescan is running for `viewer` (a rescan now would join it, not start one). */
export function isRefreshing(viewer: Viewer): boolean {
  return refreshing.has(cacheKey(viewer));
}

/**
 * Rescans now as `viewer`. Single-flight per viewer: while a rescan runs, another request
 * joins it instead of starting a second full scan. With `notBefore` (a time, ms) a running
 * scan is joined only if it started then or later: after an apply, the verifying scan must
 * not be one that read Azure before the change.
 */
export async function refreshInventory(viewer?: Viewer, options: { notBefore?: number } = {}): Promise<InventoryResult> {
  const v = viewer ?? (await currentViewer());
  const key = cacheKey(v);
  const running = refreshing.get(key);
  if (running && running.startedAt >= (options.notBefore ?? 0)) return running.scan;
  const entry = { scan: runScan(v, key), startedAt: Date.now() };
  refreshing.set(key, entry);
  const clear = () => {
    if (refreshing.get(key) === entry) refreshing.delete(key);
  };
  entry.scan.then(clear, clear);
  return remember(key, entry.scan);
}

/** Drops a session's inventory (sign-out). */
export function forgetInventory(sessionId: string): void {
  cache.byViewer.delete(`session:${sessionId}`);
  baselines.delete(`session:${sessionId}`);
}
