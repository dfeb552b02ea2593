import { afterAll, describe, expect, it } from "vitest";
import { toPostgresPlaceholders } from "./sql";
import { testDatabases } from "./sql.testing";

describe("toPostgresPlaceholders", () => {
  it("numbers placeholders and leaves quoted question marks alone", () => {
    expect(toPostgresPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND c IN (?, ?)")).toBe("SELECT * FROM t WHERE a = $1 AND b = '?' AND c IN ($2, $3)");
  });
});

for (const target of testDatabases()) {
  describe(`SQL seam on ${target.name}`, () => {
    afterAll(() => target.dispose());

    it("runs the same statements, inserts many rows in chunks and ignores conflicts when asked", async () => {
      const db = await target.open();
      await db.run("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
      const rows = Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i] as const);
      await db.insertMany("kv", ["k", "v"], rows);
      expect(await db.get<{ n: number }>("SELECT count(*) AS n FROM kv")).toEqual({ n: 20_000 });
      await db.insertMany("kv", ["k", "v"], [["k1", 99], ["new", 1]], "ignore");
      expect(await db.get<{ v: number }>("SELECT v FROM kv WHERE k = ?", ["k1"])).toEqual({ v: 1 });
      expect((await db.run("UPDATE kv SET v = v + 1 WHERE k IN (?, ?)", ["k1", "new"])).changes).toBe(2);
      const inserted = await db.get<{ k: string }>("INSERT INTO kv (k, v) VALUES (?, ?) RETURNING k", ["returned", 5]);
      expect(inserted).toEqual({ k: "returned" });
    });

    it("commits a transaction as a whole and rolls it back as a whole", async () => {
      const db = await target.open();
      await db.run("CREATE TABLE acct (id TEXT PRIMARY KEY, balance INTEGER NOT NULL)");
      await db.transaction(async (tx) => {
        await tx.run("INSERT INTO acct (id, balance) VALUES (?, ?)", ["a", 10]);
        await tx.run("INSERT INTO acct (id, balance) VALUES (?, ?)", ["b", 0]);
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.run("UPDATE acct SET balance = balance - 10 WHERE id = ?", ["a"]);
          await tx.run("INSERT INTO acct (id, balance) VALUES (?, ?)", ["a", 1]); // duplicate key
        }),
      ).rejects.toThrow();
      expect(await db.all("SELECT id, balance FROM acct ORDER BY id")).toEqual([
        { id: "a", balance: 10 },
        { id: "b", balance: 0 },
      ]);
    });

    it("keeps other statements out of an open transaction", async () => {
      const db = await target.open();
      await db.run("CREATE TABLE seq (n INTEGER NOT NULL)");
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const tx = db.transaction(async (t) => {
        await t.run("INSERT INTO seq (n) VALUES (1)");
        await gate;
        throw new Error("abort");
      });
      // Issued while the transaction is open: must not be swept into its rollback.
      const outside = db.run("INSERT INTO seq (n) VALUES (2)");
      await new Promise((r) => setTimeout(r, 20));
      release();
      await expect(tx).rejects.toThrow("abort");
      await outside;
      expect(await db.all("SELECT n FROM seq")).toEqual([{ n: 2 }]);
    });

    it("answers a readiness ping and names where the data lives without a password", async () => {
      const db = await target.open();
      expect(await db.ping()).toBe(true);
      expect(db.location).not.toMatch(/:[^/@]*scopewise@/);
    });
  });
}
