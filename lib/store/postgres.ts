import pg from "pg";
import { chunkRows, multiRowInsert, toPostgresPlaceholders, type SqlDatabase, type SqlExecutor, type SqlValue } from "./sql";

// BIGINT (int8) columns come back as strings by default; Scopewise's ids and counts fit a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

function executor(q: Queryable): SqlExecutor {
  const query = async <T>(sql: string, params: readonly SqlValue[] = []) => q.query(toPostgresPlaceholders(sql), params as SqlValue[]) as unknown as Promise<pg.QueryResult<T & pg.QueryResultRow>>;
  return {
    dialect: "postgres",
    async all<T>(sql: string, params?: readonly SqlValue[]) {
      return (await query<T>(sql, params)).rows as T[];
    },
    async get<T>(sql: string, params?: readonly SqlValue[]) {
      return (await query<T>(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, params?: readonly SqlValue[]) {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
    async insertMany(table, columns, rows, onConflict) {
      for (const chunk of chunkRows(rows, columns.length)) {
        await query(multiRowInsert(table, columns, chunk.length, onConflict), chunk.flat());
      }
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable database URL)";
  }
}

export interface OpenPostgresOptions {
  url: string;
  /** Connections in the pool (default 10). */
  max?: number;
}

/** A pool of connections to a PostgreSQL database (`SCOPEWISE_DATABASE_URL`). */
export function openPostgres(options: OpenPostgresOptions): SqlDatabase {
  const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server is reported here instead of crashing the process.
  pool.on("error", (err) => console.error(`store: PostgreSQL connection error (${redactDatabaseUrl(options.url)}): ${err.message}`));
  const direct = executor(pool);
  return {
    ...direct,
    location: redactDatabaseUrl(options.url),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(executor(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await pool.end();
    },
  };
}
