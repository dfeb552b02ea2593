import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrations as dialectMigrations } from "./migrations";

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = dialectMigrations.map((m) => ({ version: m.version, name: m.name, sql: m.sqlite }));

/**
 * Scopewise's local store: one SQLite file under the data directory, created on first use.
 * It holds the scan history and the remediation audit log; every schema change is an entry
 * in `migrations` (migrations.ts), applied once, in order.
 */
export const STORE_FILE_NAME = "scopewise.db";

/** The parts of the store; an error names the one that was being used, so people know what is affected. */
export const StorePart = {
  ScanHistory: "Scan history",
  AuditLog: "Audit log",
  /** The file itself, when no one part is being used. */
  File: "Store",
} as const;
export type StorePart = (typeof StorePart)[keyof typeof StorePart];

/** The store file could not be opened, migrated, read or written; the message names the file. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
  }
}

export type Store = Database.Database & { readonly file: string };

export interface OpenStoreOptions {
  /** Directory holding scopewise.db; created when missing. */
  dataDir: string;
  /** How long a write waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
  /** The part of the store the caller opens it for, named in errors. */
  part?: StorePart;
}

function describeSqliteError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = (err as Error).message ?? String(err);
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") return `the file is not a valid SQLite database (${message}); move it aside and Scopewise will start a new history`;
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return `the database is locked by another process (${message})`;
  if (code === "SQLITE_READONLY" || code === "SQLITE_CANTOPEN" || code === "SQLITE_PERM") return `the file cannot be opened for writing (${message})`;
  return message;
}

/** Wraps a SQLite failure so people see which part of the store, which file and what to do about it. */
export function storeError(file: string, doing: string, err: unknown, part: StorePart): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError(`${part} ${file}: could not ${doing}: ${describeSqliteError(err)}`, file, { cause: err });
}

/** Applies the migrations newer than the file's version, each in its own transaction. Idempotent. */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  db.exec("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const current = (db.prepare("SELECT max(version) AS v FROM migrations").get() as { v: number | null }).v ?? 0;
  const apply = db.transaction((m: Migration) => {
    db.exec(m.sql);
    db.prepare("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, new Date().toISOString());
  });
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (m.version > current) apply.immediate(m);
  }
  return Math.max(current, ...list.map((m) => m.version));
}

/** Opens (creating on first use) the store file and brings its schema up to date. */
export function openStore(options: OpenStoreOptions): Store {
  const file = path.resolve(options.dataDir, STORE_FILE_NAME);
  let db: Database.Database | undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (err) {
    throw new StoreError(`${options.part ?? StorePart.File} ${file}: could not create the data directory: ${(err as Error).message}`, file, { cause: err });
  }
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    // WAL lets page renders read while a scan is being recorded.
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    migrate(db, options.migrations);
    return Object.assign(db, { file }) as Store;
  } catch (err) {
    db?.close();
    throw storeError(file, "open the database", err, options.part ?? StorePart.File);
  }
}

interface StoreCache {
  stores: Map<string, Store>;
}

// Next may load this module once per route bundle; one connection per file per process.
const cache: StoreCache = ((globalThis as { __scopewiseStores?: StoreCache }).__scopewiseStores ??= { stores: new Map() });

/** The process-wide connection to the store in `dataDir`, for `part` (named in errors). A failed open is not cached. */
export function getStore(dataDir: string, part: StorePart = StorePart.File): Store {
  const file = path.resolve(dataDir, STORE_FILE_NAME);
  let store = cache.stores.get(file);
  if (!store || !store.open) {
    store = openStore({ dataDir, part });
    cache.stores.set(file, store);
  }
  return store;
}
