import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog, AuditLogError, ChangeStatus, StepStatus } from "./audit";
import { openStore } from "./db";

function freshLog(): AuditLog {
  let t = 0;
  const store = openStore({ dataDir: mkdtempSync(path.join(tmpdir(), "scopewise-audit-")) });
  return new AuditLog(store, () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)).toISOString());
}

const change = { kind: "apply" as const, findingId: "f1", planId: "rescope", actor: "alice", summary: "narrow it", steps: [{ kind: "create-role-assignment", targetId: "/a", operation: { op: "x", name: "n1" } }, { kind: "delete-role-assignment", targetId: "/b", operation: { op: "y" } }] };

describe("AuditLog", () => {
  it("records a change with planned steps, then each step's write-ahead and outcome", () => {
    const log = freshLog();
    const id = log.startChange(change);
    expect(log.get(id)).toMatchObject({ status: ChangeStatus.Pending, actor: "alice", steps: [{ seq: 1, status: StepStatus.Planned, operation: { op: "x", name: "n1" } }, { seq: 2, status: StepStatus.Planned }] });
    log.updateStep(id, 1, StepStatus.InProgress, { before: null });
    expect(log.get(id)!.steps[0]).toMatchObject({ status: StepStatus.InProgress, before: null, startedAt: "2026-01-01T00:00:01.000Z" });
    log.updateStep(id, 1, StepStatus.Done, { after: { id: "/a" }, operation: { op: "x", name: "n1", noop: true } });
    log.updateStep(id, 2, StepStatus.Failed, { error: "HTTP 403" });
    expect(log.appendSteps(id, [{ kind: "rollback:delete-role-assignment", targetId: "/a", operation: { op: "z" } }])).toBe(3);
    log.setStatus(id, ChangeStatus.RolledBack, { error: "HTTP 403", result: { undone: [1] } });
    const c = log.get(id)!;
    expect(c).toMatchObject({ status: ChangeStatus.RolledBack, error: "HTTP 403", result: { undone: [1] }, finishedAt: expect.any(String) });
    expect(c.steps.map((s) => [s.seq, s.kind, s.status])).toEqual([
      [1, "create-role-assignment", "done"],
      [2, "delete-role-assignment", "failed"],
      [3, "rollback:delete-role-assignment", "planned"],
    ]);
    expect(c.steps[0]).toMatchObject({ after: { id: "/a" }, operation: { noop: true } });
  });

  it("lists newest first, by status and finding", () => {
    const log = freshLog();
    const a = log.startChange(change);
    const b = log.startChange({ ...change, findingId: "f2" });
    log.setStatus(a, ChangeStatus.Applied);
    expect(log.list().map((c) => c.id)).toEqual([b, a]);
    expect(log.list({ status: [ChangeStatus.Pending] }).map((c) => c.id)).toEqual([b]);
    expect(log.list({ findingId: "f1" }).map((c) => c.id)).toEqual([a]);
  });

  it("names the change and step it cannot find, and refuses statuses the schema does not know", () => {
    const log = freshLog();
    const id = log.startChange(change);
    expect(() => log.updateStep(id, 9, StepStatus.Done)).toThrow(new AuditLogError(`Audit log: change ${id} has no step 9`));
    expect(() => log.setStatus("nope", ChangeStatus.Applied)).toThrow("Audit log: no change nope");
    expect(() => log.setStatus(id, "exploded" as ChangeStatus)).toThrow(/could not update change .*CHECK constraint/);
  });
});
