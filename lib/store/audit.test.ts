import { afterAll, describe, expect, it } from "vitest";
import { AuditLog, AuditLogError, ChangeInProgressError, ChangeStatus, StepStatus } from "./audit";
import { migrate } from "./migrations";
import { testDatabases } from "./sql.testing";

const change = {
  kind: "apply" as const,
  findingId: "f1",
  planId: "rescope",
  actor: "alice",
  summary: "narrow it",
  scopes: ["/subscriptions/s1/resourceGroups/rg"],
  steps: [
    { kind: "create-role-assignment", targetId: "/a", operation: { op: "x", name: "n1" } },
    { kind: "delete-role-assignment", targetId: "/b", operation: { op: "y" } },
  ],
};

for (const target of testDatabases()) {
  describe(`AuditLog on ${target.name}`, () => {
    afterAll(() => target.dispose());

    async function freshLog(owner?: string): Promise<AuditLog> {
      let t = 0;
      const db = await target.open();
      await migrate(db);
      await db.run("DELETE FROM change_steps");
      await db.run("DELETE FROM changes");
      return new AuditLog(db, { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)).toISOString(), owner });
    }

    it("records a change with planned steps, then each step's write-ahead and outcome", async () => {
      const log = await freshLog();
      const id = await log.startChange(change);
      expect(await log.get(id)).toMatchObject({ status: ChangeStatus.Pending, actor: "alice", scopes: change.scopes, owner: log.owner, steps: [{ seq: 1, status: StepStatus.Planned, operation: { op: "x", name: "n1" } }, { seq: 2, status: StepStatus.Planned }] });
      await log.updateStep(id, 1, StepStatus.InProgress, { before: null });
      expect((await log.get(id))!.steps[0]).toMatchObject({ status: StepStatus.InProgress, before: null, startedAt: "2026-01-01T00:00:01.000Z" });
      await log.updateStep(id, 1, StepStatus.Done, { after: { id: "/a" }, operation: { op: "x", name: "n1", noop: true } });
      await log.updateStep(id, 2, StepStatus.Failed, { error: "HTTP 403" });
      expect(await log.appendSteps(id, [{ kind: "rollback:delete-role-assignment", targetId: "/a", operation: { op: "z" } }])).toBe(3);
      await log.setStatus(id, ChangeStatus.RolledBack, { error: "HTTP 403", result: { undone: [1] } });
      const c = (await log.get(id))!;
      expect(c).toMatchObject({ status: ChangeStatus.RolledBack, error: "HTTP 403", result: { undone: [1] }, finishedAt: expect.any(String) });
      expect(c.owner).toBeUndefined();
      expect(c.steps.map((s) => [s.seq, s.kind, s.status])).toEqual([
        [1, "create-role-assignment", "done"],
        [2, "delete-role-assignment", "failed"],
        [3, "rollback:delete-role-assignment", "planned"],
      ]);
      expect(c.steps[0]).toMatchObject({ after: { id: "/a" }, operation: { noop: true } });
    });

    it("lists newest first, by status and finding, and only what a person may see", async () => {
      const log = await freshLog();
      const a = await log.startChange(change);
      const b = await log.startChange({ ...change, findingId: "f2", scopes: ["/subscriptions/s2"] });
      await log.setStatus(a, ChangeStatus.Applied);
      expect((await log.list()).map((c) => c.id)).toEqual([b, a]);
      expect((await log.list({ status: [ChangeStatus.Pending] })).map((c) => c.id)).toEqual([b]);
      expect((await log.list({ findingId: "f1" })).map((c) => c.id)).toEqual([a]);
      expect((await log.list({ visible: (c) => c.scopes.every((s) => s.startsWith("/subscriptions/s1")) })).map((c) => c.id)).toEqual([a]);
    });

    it("holds one pending change per finding: a second apply of the same finding is refused until the first ends", async () => {
      const log = await freshLog();
      const first = await log.startChange(change);
      const err = await log.startChange(change).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ChangeInProgressError);
      expect((err as ChangeInProgressError).pending?.id).toBe(first);
      expect((await log.list({ findingId: "f1" })).length).toBe(1);
      await log.setStatus(first, ChangeStatus.Applied);
      await expect(log.startChange(change)).resolves.toEqual(expect.any(String));
    });

    it("refuses two simultaneous applies of one finding from two processes sharing the store", async () => {
      const a = await freshLog("process-a");
      const db2 = target.name === "postgres" ? await target.open() : undefined;
      const b = db2 ? new AuditLog(db2, { owner: "process-b" }) : new AuditLog((a as unknown as { db: never }).db, { owner: "process-b" });
      const results = await Promise.allSettled([a.startChange(change), b.startChange(change)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(ChangeInProgressError)]);
    });

    it("names the change and step it cannot find, and refuses statuses the schema does not know", async () => {
      const log = await freshLog();
      const id = await log.startChange(change);
      await expect(log.updateStep(id, 9, StepStatus.Done)).rejects.toThrow(new AuditLogError(`Audit log: change ${id} has no step 9`));
      await expect(log.setStatus("nope", ChangeStatus.Applied)).rejects.toThrow("Audit log: no change nope");
      await expect(log.setStatus(id, "exploded" as ChangeStatus)).rejects.toThrow(/could not update change .*check constraint/i);
    });
  });
}
