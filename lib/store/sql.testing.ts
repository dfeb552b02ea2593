import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openPostgres } from "./postgres";
import type { SqlDatabase } from "./sql";
import { openSqlite } from "./sqlite";

/**
 * The databases every store test runs against: SQLite in a temp file always, and PostgreSQL
 * when SCOPEWISE_TEST_DATABASE_URL names a server (CI starts one; `.ci/run`). Each PostgreSQL
 * database gets a schema of its own, dropped at the end, so test files do not share rows.
 */
export const testDatabaseUrl = process.env.SCOPEWISE_TEST_DATABASE_URL;

if (process.env.CI && !testDatabaseUrl) {
  throw new Error("CI runs the store tests against PostgreSQL: set SCOPEWISE_TEST_DATABASE_URL (.ci/run does)");
}

export interface TestDatabase {
  name: "sqlite" | "postgres";
  open(): Promise<SqlDatabase>;
  /** Where another process finds the same database (openStore / SCOPEWISE_DATABASE_URL); call after open(). */
  storeConfig(): { dataDir: string; databaseUrl?: string };
  dispose(): Promise<void>;
}

export function testDatabases(): TestDatabase[] {
  const out: TestDatabase[] = [sqliteTestDatabase()];
  if (testDatabaseUrl) out.push(postgresTestDatabase(testDatabaseUrl));
  return out;
}

export function sqliteTestDatabase(): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-store-"));
  const file = path.join(dir, "scopewise.db");
  const opened: SqlDatabase[] = [];
  return {
    name: "sqlite",
    async open() {
      const db = openSqlite({ file });
      opened.push(db);
      return db;
    },
    storeConfig: () => ({ dataDir: dir }),
    async dispose() {
      for (const db of opened) await db.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresTestDatabase(url: string): TestDatabase {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const opened: SqlDatabase[] = [];
  let created = false;
  const withSchema = () => {
    const u = new URL(url);
    u.searchParams.set("options", `-c search_path=${schema}`);
    return u.toString();
  };
  return {
    name: "postgres",
    async open() {
      if (!created) {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        await admin.end();
        created = true;
      }
      const db = openPostgres({ url: withSchema(), max: 4 });
      opened.push(db);
      return db;
    },
    storeConfig: () => ({ dataDir: os.tmpdir(), databaseUrl: withSchema() }),
    async dispose() {
      for (const db of opened) await db.close().catch(() => undefined);
      if (!created) return;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
