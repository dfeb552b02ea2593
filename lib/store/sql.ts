/**
 * The SQL seam of the store: one small interface that SQLite (embedded, the default) and
 * PostgreSQL (several replicas sharing one database) both implement, so every repository is
 * written once. Statements use `?` placeholders and SQL both dialects accept
 * (`ON CONFLICT … DO NOTHING`, `RETURNING`, `coalesce`); only migrations differ per dialect.
 */

export type SqlValue = string | number | null;
export type Dialect = "sqlite" | "postgres";

export interface SqlExecutor {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Inserts many rows in as few round trips as the driver allows (one statement per chunk). */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], onConflict?: "ignore"): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Where the data lives, for messages: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /**
   * Runs `fn` in one transaction that holds the write lock from its start (SQLite `BEGIN
   * IMMEDIATE`; PostgreSQL takes row locks as it writes, serialised where it matters by
   * unique indexes). Commits when `fn` resolves, rolls back when it throws.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** True when the database answers a trivial query (readiness probes). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A unique index refused a row (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}

/** Rewrites `?` placeholders as PostgreSQL's `$1, $2, …`, leaving quoted text alone. */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  let out = "";
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Rows per multi-row INSERT: stays under SQLite's and PostgreSQL's bound-parameter limits. */
export function chunkRows<T>(rows: readonly T[], columns: number): T[][] {
  const per = Math.max(1, Math.floor(30_000 / Math.max(1, columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per));
  return out;
}

/** An `INSERT … VALUES (?, …), (?, …)` statement for `count` rows. */
export function multiRowInsert(table: string, columns: readonly string[], count: number, onConflict?: "ignore"): string {
  const row = `(${columns.map(() => "?").join(", ")})`;
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array.from({ length: count }, () => row).join(", ")}${onConflict === "ignore" ? " ON CONFLICT DO NOTHING" : ""}`;
}
