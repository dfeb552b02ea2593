import { afterAll, describe, expect, it } from "vitest";
import { AlertedExpiries } from "./alerted-expiries";
import { migrate } from "./migrations";
import { testDatabases } from "./sql.testing";

for (const target of testDatabases()) {
  describe(`alerted risk expiries on ${target.name}`, () => {
    afterAll(() => target.dispose());

    it("gives each expiry to one claimant only, across instances (replicas), and a new expiry date is a new claim", async () => {
      const db = await target.open();
      await migrate(db);
      const a = { subjectKey: "finding:f-1", expires: "2026-01-02" };
      const b = { subjectKey: "rule:subscription-scope-grant:/subscriptions/x", expires: "2026-01-02" };
      expect(await new AlertedExpiries(db).claim([a])).toEqual([a]);
      // Another replica, at the same time: a is taken, b is not.
      expect(await new AlertedExpiries(db).claim([a, b])).toEqual([b]);
      expect(await new AlertedExpiries(db).claim([a, b])).toEqual([]);
      const renewed = { ...a, expires: "2026-02-01" };
      expect(await new AlertedExpiries(db).claim([renewed])).toEqual([renewed]);
    });
  });
}
