import "server-only";
import { connection } from "next/server";
import { serverEnv } from "@/lib/env";
import type { Inventory } from "@/lib/model/types";
import { scanConfigFromEnv } from "./env-config";
import { scanTenant } from "./scan";

export interface InventoryResult {
  inventory: Inventory;
  /** Wall time of the scan that produced it. */
  durationMs: number;
  /** Where it came from, for people: "demo emulator at https://localhost:PORT" or "Azure". */
  source: string;
  mode: "demo" | "azure";
}

/** The scan source is not configured or could not be reached at all (partial failures are in inventory.errors). */
export class InventoryUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InventoryUnavailableError";
  }
}

interface CacheState {
  current?: Promise<InventoryResult>;
}

// One scan per server process, shared across requests; Next may load this module more than
// once (per route bundle), so the cache lives on globalThis.
const cache: CacheState = ((globalThis as { __scopewiseInventory?: CacheState }).__scopewiseInventory ??= {});

async function runScan(): Promise<InventoryResult> {
  let env;
  try {
    env = serverEnv();
  } catch (err) {
    throw new InventoryUnavailableError((err as Error).message, { cause: err });
  }
  const { config, source } = await scanConfigFromEnv(env);
  const started = performance.now();
  try {
    const inventory = await scanTenant(config);
    return { inventory, durationMs: Math.round(performance.now() - started), source, mode: env.SCOPEWISE_MODE };
  } catch (err) {
    throw new InventoryUnavailableError(`Could not scan ${source}: ${(err as Error).message}`, { cause: err });
  }
}

/** The latest inventory; scans on first use. Marks the calling route as dynamic. */
export async function getInventory(): Promise<InventoryResult> {
  await connection();
  if (!cache.current) {
    const p = runScan();
    cache.current = p;
    // A failed scan is not cached: the next request tries again.
    p.catch(() => {
      if (cache.current === p) cache.current = undefined;
    });
  }
  return cache.current;
}

/** Rescans now; concurrent callers share the new scan. */
export async function refreshInventory(): Promise<InventoryResult> {
  const p = runScan();
  cache.current = p;
  p.catch(() => {
    if (cache.current === p) cache.current = undefined;
  });
  return p;
}
