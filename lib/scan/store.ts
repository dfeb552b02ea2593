import "server-only";
import { serverEnv, type ServerEnv } from "@/lib/env";
import { getStore, StorePart, type Store, type StoreConfig } from "@/lib/store/db";

/** Where this server keeps its state: PostgreSQL when SCOPEWISE_DATABASE_URL is set, else SQLite in SCOPEWISE_DATA_DIR. */
export function storeConfigOf(env: ServerEnv): StoreConfig {
  return { dataDir: env.SCOPEWISE_DATA_DIR, ...(env.SCOPEWISE_DATABASE_URL ? { databaseUrl: env.SCOPEWISE_DATABASE_URL } : {}) };
}

/** This server's store, opened once per process, for `part` (named in errors). */
export function serverStore(part: StorePart = StorePart.File): Promise<Store> {
  return getStore(storeConfigOf(serverEnv()), part);
}
