/**
 * The store's schema, one migration per change, applied once and in order (db.ts `migrate`).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Append-only: never edit a shipped migration, add the next version instead. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "scan history",
    sql: `
      CREATE TABLE scans (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scanned_at TEXT NOT NULL,
        tenant_id TEXT,
        source TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        counts TEXT NOT NULL,
        errors TEXT NOT NULL
      );
      -- The same inventory (same scan time, same tenant) is one scan, however often it is evaluated.
      CREATE UNIQUE INDEX scans_scanned_at ON scans (scanned_at, ifnull(tenant_id, ''));
      CREATE TABLE scan_findings (
        scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        finding_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (scan_id, finding_id)
      ) WITHOUT ROWID;
      CREATE INDEX scan_findings_rule ON scan_findings (rule_id);
    `,
  },
  // Version 2, the remediation audit log: one `changes` row per apply, undo or finish, one `change_steps`
  // row per write it makes. It is write-ahead: a step's row is `in-progress`, with everything
  // needed to find or reverse the write (the new assignment's name, the object as it was),
  // before the write is sent, so a crash leaves a row that says what may have happened.
  {
    version: 2,
    name: "remediation audit log",
    sql: `
      CREATE TABLE changes (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('apply', 'undo', 'finish')),
        finding_id TEXT NOT NULL,
        plan_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'failed', 'rolled-back', 'undone', 'needs-reconcile')),
        summary TEXT NOT NULL,
        -- The change this one undoes or finishes.
        target_change_id TEXT REFERENCES changes (id),
        error TEXT,
        result TEXT
      );
      CREATE INDEX changes_started ON changes (started_at);
      CREATE INDEX changes_status ON changes (status);
      CREATE TABLE change_steps (
        change_id TEXT NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'done', 'failed', 'undone')),
        -- The executable operation (kind-specific JSON), written before the step runs.
        operation TEXT NOT NULL,
        before TEXT,
        after TEXT,
        error TEXT,
        started_at TEXT,
        finished_at TEXT,
        PRIMARY KEY (change_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: "scan history per viewer",
    // With sign-in each person scans with their own rights; a scan is compared only with the
    // same person's previous scan, or a finding they cannot see would read as "resolved".
    sql: `
      ALTER TABLE scans ADD COLUMN viewer TEXT NOT NULL DEFAULT 'server';
      DROP INDEX scans_scanned_at;
      CREATE UNIQUE INDEX scans_scanned_at ON scans (scanned_at, ifnull(tenant_id, ''), viewer);
    `,
  },
];

