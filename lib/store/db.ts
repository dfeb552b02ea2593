import path from "node:path";
import { migrate, migrations, type Migration } from "./migrations";
import { openPostgres, redactDatabaseUrl } from "./postgres";
import type { SqlDatabase } from "./sql";
import { openSqlite } from "./sqlite";

/**
 * Scopewise's store: scan history, the audit log of applied changes and everything else
 * that must survive a restart. SQLite (one file under the data directory, the default) or
 * PostgreSQL (`SCOPEWISE_DATABASE_URL`, so several replicas serve one team); the same
 * repositories run on both (lib/store/sql.ts).
 */
export const STORE_FILE_NAME = "scopewise.db";

/** The parts of the store; an error names the one that was being used, so people know what is affected. */
export const StorePart = {
  ScanHistory: "Scan history",
  AuditLog: "Audit log",
  ScanJobs: "Scan jobs",
  Sessions: "Sessions",
  AlertDeliveries: "Alert deliveries",
  /** The database itself, when no one part is being used. */
  File: "Store",
} as const;
export type StorePart = (typeof StorePart)[keyof typeof StorePart];

/** The store could not be opened, migrated, read or written; the message names the part and where the data lives. */
export class StoreError extends Error {
  constructor(
    message: string,
    /** The SQLite file, or the PostgreSQL URL without its password. */
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
  }
}

export type Store = SqlDatabase;

/** Where the store lives: a PostgreSQL URL when one is configured, else SQLite under the data directory. */
/** Where a server keeps its state: PostgreSQL when SCOPEWISE_DATABASE_URL is set, else SQLite in SCOPEWISE_DATA_DIR. */
export function storeConfigOf(env: { SCOPEWISE_DATA_DIR: string; SCOPEWISE_DATABASE_URL?: string }): StoreConfig {
  return { dataDir: env.SCOPEWISE_DATA_DIR, ...(env.SCOPEWISE_DATABASE_URL ? { databaseUrl: env.SCOPEWISE_DATABASE_URL } : {}) };
}

export interface StoreConfig {
  dataDir: string;
  databaseUrl?: string;
}

export interface OpenStoreOptions extends StoreConfig {
  migrations?: readonly Migration[];
  /** The part of the store the caller opens it for, named in errors. */
  part?: StorePart;
  /** SQLite: how long a write waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

function describeStoreError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = (err as Error).message ?? String(err);
  switch (code) {
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return `the file is not a valid SQLite database (${message}); move it aside and Scopewise will start a new history`;
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return `the database is locked by another process (${message})`;
    case "SQLITE_READONLY":
    case "SQLITE_CANTOPEN":
    case "SQLITE_PERM":
      return `the file cannot be opened for writing (${message})`;
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "ETIMEDOUT":
      return `the database server cannot be reached (${code}: ${message})`;
    case "28P01":
    case "28000":
      return `the database refused the credentials in SCOPEWISE_DATABASE_URL (${message})`;
    case "3D000":
      return `the database named in SCOPEWISE_DATABASE_URL does not exist (${message})`;
    default:
      return message;
  }
}

/** Wraps a database failure so people see which part of the store, where it lives and what to do about it. */
export function storeError(location: string, doing: string, err: unknown, part: StorePart): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(`${part} ${location}: could not ${doing}: ${describeStoreError(err)}`, location, { cause: err });
}

function locationOf(config: StoreConfig): string {
  return config.databaseUrl ? redactDatabaseUrl(config.databaseUrl) : path.resolve(config.dataDir, STORE_FILE_NAME);
}

/** Opens the store (creating a SQLite file on first use) and brings its schema up to date. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const part = options.part ?? StorePart.File;
  const location = locationOf(options);
  let db: SqlDatabase | undefined;
  try {
    db = options.databaseUrl ? openPostgres({ url: options.databaseUrl }) : openSqlite({ file: location, busyTimeoutMs: options.busyTimeoutMs });
    await migrate(db, options.migrations ?? migrations);
    return db;
  } catch (err) {
    await db?.close().catch(() => undefined);
    throw storeError(location, "open the database", err, part);
  }
}

interface StoreCache {
  stores: Map<string, Promise<Store>>;
}

// Next may load this module once per route bundle; one connection (pool) per store per process.
const cache: StoreCache = ((globalThis as { __scopewiseStores?: StoreCache }).__scopewiseStores ??= { stores: new Map() });

/** The process-wide store for `config`, for `part` (named in errors). A failed open is not cached. */
export function getStore(config: StoreConfig, part: StorePart = StorePart.File): Promise<Store> {
  const key = locationOf(config);
  let store = cache.stores.get(key);
  if (!store) {
    store = openStore({ ...config, part });
    cache.stores.set(key, store);
    store.catch(() => {
      if (cache.stores.get(key) === store) cache.stores.delete(key);
    });
  }
  return store;
}

/** Closes and forgets every cached store (tests, shutdown). */
export async function closeStores(): Promise<void> {
  const all = [...cache.stores.values()];
  cache.stores.clear();
  await Promise.all(all.map((s) => s.then((db) => db.close()).catch(() => undefined)));
}
