import "server-only";
import { ConfigurationError, serverEnv } from "@/lib/env";
import { StoreError, StorePart } from "@/lib/store/db";
import { lastCompletedScanAt } from "@/lib/store/scans";
import { serverStore } from "./store";

/**
 * Readiness for a load balancer or a Kubernetes probe: the configuration is valid and the store
 * answers. Says how old the newest complete scan is (any scope), and nothing about the tenant.
 */
export type Readiness =
  | { ready: true; store: "sqlite" | "postgres"; lastCompletedScanAgeSeconds: number | null }
  | { ready: false; reason: string };

export async function readiness(now = Date.now()): Promise<Readiness> {
  let env;
  try {
    env = serverEnv();
  } catch (err) {
    if (err instanceof ConfigurationError) return { ready: false, reason: "the configuration is invalid (see the server log)" };
    throw err;
  }
  const kind = env.SCOPEWISE_DATABASE_URL ? "postgres" : "sqlite";
  try {
    const store = await serverStore(StorePart.File);
    if (!(await store.ping())) return { ready: false, reason: `the store (${kind}) does not answer` };
    const at = await lastCompletedScanAt(store);
    return { ready: true, store: kind, lastCompletedScanAgeSeconds: at ? Math.max(0, Math.round((now - Date.parse(at)) / 1000)) : null };
  } catch (err) {
    if (err instanceof StoreError) return { ready: false, reason: `the store (${kind}) cannot be opened` };
    throw err;
  }
}
