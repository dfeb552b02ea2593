import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { chunkRows, multiRowInsert, type SqlDatabase, type SqlExecutor, type SqlValue } from "./sql";

/**
 * Serialises access to one SQLite connection. better-sqlite3 is synchronous, but a
 * transaction's body is async (it awaits between statements): without the lock another
 * caller's statement could run inside someone else's open transaction.
 */
class ConnectionLock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function executor(db: Database.Database): SqlExecutor {
  return {
    dialect: "sqlite",
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      return db.prepare(sql).all(...params) as T[];
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      return db.prepare(sql).get(...params) as T | undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      return { changes: db.prepare(sql).run(...params).changes };
    },
    async insertMany(table, columns, rows, onConflict) {
      // One prepared statement per chunk size; SQLite inserts are cheap inside a transaction.
      for (const chunk of chunkRows(rows, columns.length)) {
        db.prepare(multiRowInsert(table, columns, chunk.length, onConflict)).run(...chunk.flat());
      }
    },
  };
}

export interface OpenSqliteOptions {
  file: string;
  /** How long a write waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

/** Opens (creating on first use) a SQLite database file in WAL mode. */
export function openSqlite(options: OpenSqliteOptions): SqlDatabase {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    // WAL lets page renders read while a scan is being recorded. FULL sync makes each commit
    // durable before it returns: the audit log's write-ahead rows must survive a power cut.
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
  } catch (err) {
    db.close();
    throw err;
  }
  const lock = new ConnectionLock();
  const direct = executor(db);
  const locked = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => lock.run(() => fn(...args));
  return {
    dialect: "sqlite",
    location: path.resolve(options.file),
    all: locked(direct.all) as SqlExecutor["all"],
    get: locked(direct.get) as SqlExecutor["get"],
    run: locked(direct.run),
    insertMany: locked(direct.insertMany),
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return lock.run(async () => {
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(direct);
          db.exec("COMMIT");
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw err;
        }
      });
    },
    async ping() {
      try {
        return lock.run(() => db.prepare("SELECT 1 AS ok").get() !== undefined);
      } catch {
        return false;
      }
    },
    async close() {
      await lock.run(() => db.close());
    },
  };
}
