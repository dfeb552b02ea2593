import { afterAll, describe, expect, it } from "vitest";
import { AlertDeliveries } from "./alert-deliveries";
import { migrate } from "./migrations";
import { testDatabases } from "./sql.testing";

for (const target of testDatabases()) {
  describe(`alert deliveries on ${target.name}`, () => {
    afterAll(() => target.dispose());

    it("logs a delivery from its start through each attempt to its end, newest first", async () => {
      const db = await target.open();
      await migrate(db);
      let tick = 0;
      const log = new AlertDeliveries(db, () => `2026-01-01T00:00:0${tick++}.000Z`);
      const first = await log.start({ eventKind: "new-findings", target: "slack https://hooks.slack.com (1)", format: "slack", summary: "2 new findings", scanId: 12 });
      expect(await log.get(first)).toMatchObject({ status: "sending", attempts: 0, attemptLog: [], scanId: 12 });
      const a1 = { at: "t1", httpStatus: 500, error: "HTTP 500", retryAfterMs: 1000 };
      await log.attempt(first, a1, [a1]);
      expect(await log.get(first)).toMatchObject({ status: "sending", attempts: 1, httpStatus: 500, error: "HTTP 500" });
      const a2 = { at: "t2", httpStatus: 200 };
      await log.attempt(first, a2, [a1, a2], "delivered");
      const done = (await log.get(first))!;
      expect(done).toMatchObject({ status: "delivered", attempts: 2, httpStatus: 200, attemptLog: [a1, a2] });
      expect(done.error).toBeUndefined();
      expect(done.finishedAt).toBeTypeOf("string");
      const second = await log.start({ eventKind: "risk-expired", target: "json https://x (2)", format: "json", summary: "1 accepted risk expired" });
      expect((await log.list()).map((d) => d.id)).toEqual([second, first]);
    });
  });
}
