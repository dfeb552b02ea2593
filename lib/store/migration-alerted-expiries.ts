/**
 * Accepted risks whose expiry has been alerted: one row per decision subject and expiry date,
 * claimed before the alert is sent, so the expiry watcher, the scans and every replica alert
 * each expiry once. Re-deciding with a new expiry is a new row. Checked against `Migration`
 * where lib/store/migrations.ts lists it.
 */
export const alertedExpiriesMigration = {
  version: 9,
  name: "alerted risk expiries",
  sqlite: `
    CREATE TABLE alerted_expiries (
      subject_key TEXT NOT NULL,
      expires TEXT NOT NULL,
      alerted_at TEXT NOT NULL,
      PRIMARY KEY (subject_key, expires)
    ) WITHOUT ROWID;
  `,
  postgres: `
    CREATE TABLE alerted_expiries (
      subject_key TEXT NOT NULL,
      expires TEXT NOT NULL,
      alerted_at TEXT NOT NULL,
      PRIMARY KEY (subject_key, expires)
    );
  `,
};
