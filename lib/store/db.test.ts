import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeStores, getStore, openStore, STORE_FILE_NAME, StorePart } from "./db";
import { testDatabaseUrl } from "./sql.testing";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-store-part-"));
afterAll(async () => {
  await closeStores();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("store errors name the part of the store in use", () => {
  fs.writeFileSync(path.join(dir, STORE_FILE_NAME), "not a database, just text that is long enough to have a header".repeat(20));
  const file = path.join(dir, STORE_FILE_NAME);

  it("says Audit log when the audit log opens it, Scan history for the history, Store otherwise", async () => {
    await expect(getStore({ dataDir: dir }, StorePart.AuditLog)).rejects.toThrow(`Audit log ${file}: could not open the database: the file is not a valid SQLite database`);
    await expect(getStore({ dataDir: dir }, StorePart.ScanHistory)).rejects.toThrow(`Scan history ${file}: could not open the database`);
    await expect(openStore({ dataDir: dir })).rejects.toThrow(`Store ${file}: could not open the database`);
  });

  it("says which PostgreSQL server could not be reached, without its password", async () => {
    const err = await openStore({ dataDir: dir, databaseUrl: "postgres://scopewise:s3cret@127.0.0.1:1/none" }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/^Store postgres:\/\/scopewise:\*\*\*@127\.0\.0\.1:1\/none: could not open the database: the database server cannot be reached/);
    expect(err?.message).not.toContain("s3cret");
  });

  it.skipIf(!testDatabaseUrl)("opens PostgreSQL when a database URL is configured", async () => {
    const store = await openStore({ dataDir: dir, databaseUrl: testDatabaseUrl! });
    expect(store.dialect).toBe("postgres");
    expect(await store.ping()).toBe(true);
    await store.close();
  });
});
