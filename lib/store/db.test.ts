import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getStore, openStore, STORE_FILE_NAME, StorePart } from "./db";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-store-part-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("store errors name the part of the store in use", () => {
  fs.writeFileSync(path.join(dir, STORE_FILE_NAME), "not a database, just text that is long enough to have a header".repeat(20));
  const file = path.join(dir, STORE_FILE_NAME);

  it("says Audit log when the audit log opens it, Scan history for the history, Store otherwise", () => {
    expect(() => getStore(dir, StorePart.AuditLog)).toThrow(`Audit log ${file}: could not open the database: the file is not a valid SQLite database`);
    expect(() => getStore(dir, StorePart.ScanHistory)).toThrow(`Scan history ${file}: could not open the database`);
    expect(() => openStore({ dataDir: dir })).toThrow(`Store ${file}: could not open the database`);
  });
});
