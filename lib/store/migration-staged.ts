/**
 * Staged migrations: one row per pod-identity → workload-identity migration run in phases,
 * beside the `changes` row that holds its writes (change_steps). The row says which binding and
 * phase it is at, each phase's outcome, and whether a person paused it; a new process resumes
 * from it. Checked against `Migration` where lib/store/migrations.ts lists it.
 */
const table = (flag: string) => `
    CREATE TABLE staged_migrations (
      change_id TEXT PRIMARY KEY REFERENCES changes (id) ON DELETE CASCADE,
      cluster_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'stopped', 'completed')),
      pause_requested ${flag} NOT NULL DEFAULT 0,
      plan TEXT NOT NULL,
      phases TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX staged_migrations_state ON staged_migrations (state);
  `;

export const stagedMigrationsMigration = {
  version: 10,
  name: "staged migrations: phases per binding, pause and resume",
  sqlite: table("INTEGER"),
  postgres: table("BIGINT"),
};
