import { afterAll, describe, expect, it } from "vitest";
import { migrate, migrations, type Migration } from "./migrations";
import { testDatabases } from "./sql.testing";

for (const target of testDatabases()) {
  describe(`migrations on ${target.name}`, () => {
    afterAll(() => target.dispose());

    it("applies each migration once, however often and however many processes start", async () => {
      const a = await target.open();
      // SQLite: one connection per file per process (openStore caches it); PostgreSQL: two pools, as two replicas.
      const b = target.name === "sqlite" ? a : await target.open();
      const latest = migrations[migrations.length - 1]!.version;
      expect(await Promise.all([migrate(a), migrate(b)])).toEqual([latest, latest]);
      expect(await migrate(a)).toBe(latest);
      expect((await a.all<{ version: number }>("SELECT version FROM migrations ORDER BY version")).map((r) => r.version)).toEqual(migrations.map((m) => m.version));
      const tables = ["scans", "scan_findings", "changes", "change_steps"];
      for (const t of tables) expect(await a.get<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)).toEqual({ n: 0 });
    });

    it("rolls a failing migration back whole and keeps the version it had", async () => {
      const db = await target.open();
      const before = await migrate(db);
      const broken: Migration = { version: before + 1, name: "broken", sqlite: "CREATE TABLE ok1 (id INTEGER);\nCREATE TABLE scans (x INTEGER);", postgres: "CREATE TABLE ok1 (id INTEGER);\nCREATE TABLE scans (x INTEGER);" };
      await expect(migrate(db, [...migrations, broken])).rejects.toThrow();
      expect((await db.get<{ v: number }>("SELECT max(version) AS v FROM migrations"))?.v).toBe(before);
      await expect(db.get("SELECT count(*) AS n FROM ok1")).rejects.toThrow();
    });
  });
}
