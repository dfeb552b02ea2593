import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "@/lib/model/findings";
import { AuditLog, ChangeInProgressError, ChangeStatus, StepStatus } from "@/lib/store/audit";
import { applyPlan, undoChange, type EngineContext } from "./apply";
import { grantSet, startHarness, type Harness } from "./testdata/harness";

/**
 * The audit log is the write-ahead record of every write: these tests break it on purpose and
 * check that Azure is never changed without a record, and that a record that fails after a
 * write never hides the write.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenantFile: "fixtures/tenants/demo.json", storeOnPostgres: true });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** The harness's audit log with updateStep failing when `fail` says so (a locked or unreachable store). */
function brokenLog(fail: (seq: number, status: string, calls: number) => boolean): AuditLog {
  const log = new AuditLog(h.store);
  const updateStep = log.updateStep.bind(log);
  let calls = 0;
  log.updateStep = async (changeId, seq, status, data) => {
    calls++;
    if (fail(seq, status, calls)) throw new Error("database is locked");
    return updateStep(changeId, seq, status, data);
  };
  const appendSteps = log.appendSteps.bind(log);
  log.appendSteps = async (changeId, steps) => {
    if (fail(-1, "append", ++calls)) throw new Error("database is locked");
    return appendSteps(changeId, steps);
  };
  return log;
}

const acrFinding = (findings: Finding[]) => findings.find((f) => f.ruleId === "acr-scope-too-broad")!;

describe("the audit log under failure", () => {
  it("sends nothing when the write-ahead record of the first step cannot be made", async () => {
    const { inventory, findings } = await h.scan();
    const before = grantSet(inventory);
    const finding = acrFinding(findings);
    const audit = brokenLog((seq, status) => seq === 1 && status === StepStatus.InProgress);
    const result = await applyPlan(finding.fixes[0]!, { ...h.options(inventory, finding), audit });
    expect(result.status).toBe(ChangeStatus.Failed);
    expect(result.message).toMatch(/before anything was changed/);
    expect(grantSet((await h.scan()).inventory)).toEqual(before);
  });

  it("counts a write whose record failed afterwards as made, and rolls it back", async () => {
    const { inventory, findings } = await h.scan();
    const before = grantSet(inventory);
    const finding = acrFinding(findings);
    // Only step 1's "done" record fails: the assignment was created; the rollback can record again.
    const audit = brokenLog((seq, status) => seq === 1 && status === StepStatus.Done);
    const result = await applyPlan(finding.fixes[0]!, { ...h.options(inventory, finding), audit });
    expect(result.status).toBe(ChangeStatus.RolledBack);
    expect(result.message).toMatch(/Undid step 1/);
    expect(result.message).not.toMatch(/before anything was changed/);
    expect(grantSet((await h.scan()).inventory)).toEqual(before);
  });

  it("says exactly what is in Azure when the log fails for good after a write", async () => {
    const { inventory, findings } = await h.scan();
    const finding = acrFinding(findings);
    const audit = brokenLog((seq, status, calls) => (seq === 1 && status === StepStatus.Done) || calls > 3);
    const result = await applyPlan(finding.fixes[0]!, { ...h.options(inventory, finding), audit });
    expect(result.status).toBe(ChangeStatus.NeedsReconcile);
    const created = result.steps[0]!.target;
    expect(result.message).toContain(`still in place: step 1 (`);
    expect(result.message).toContain(created);
    const after = (await h.scan()).inventory.roleAssignments.map((a) => a.id.toLowerCase());
    expect(after).toContain(created.toLowerCase());
    // The change itself is marked for reconciling (its status could still be written); put Azure back for the next tests.
    expect((await h.audit.get(result.changeId!))!.status).toBe(ChangeStatus.NeedsReconcile);
    await h.azure.authorization(inventory.subscriptions[0]!.subscriptionId).roleAssignments.deleteById(created);
  });
});

describe("one change per finding at a time", () => {
  it("refuses the second of two simultaneous applies of one finding; only one deletion is logged", async () => {
    const { inventory, findings } = await h.scan();
    const finding = acrFinding(findings);
    const [a, b] = await Promise.allSettled([applyPlan(finding.fixes[0]!, h.options(inventory, finding)), applyPlan(finding.fixes[0]!, h.options(inventory, finding))]);
    const outcomes = [a, b].map((r) => (r.status === "fulfilled" ? r.value.status : r.reason));
    expect(outcomes.filter((o) => o === ChangeStatus.Applied)).toHaveLength(1);
    expect(outcomes.filter((o) => o instanceof ChangeInProgressError)).toHaveLength(1);
    const logged = await h.audit.list({ findingId: finding.id });
    expect(logged.filter((c) => c.status === ChangeStatus.Applied)).toHaveLength(1);
    const applied = logged.find((c) => c.status === ChangeStatus.Applied)!;
    await undoChange(applied.id, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: inventory.subscriptions[0]!.subscriptionId });
  });
});

describe("changes are scoped per person", () => {
  it("answers a change the person cannot see as unknown, and a refused undo leaves the change as it was", async () => {
    const { inventory, findings } = await h.scan();
    const finding = acrFinding(findings);
    const applied = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(applied.status).toBe(ChangeStatus.Applied);
    const change = (await h.audit.get(applied.changeId!))!;
    expect(change.scopes.length).toBeGreaterThan(0);
    const base: EngineContext = { azure: h.azure, kube: h.kube, audit: h.audit, actor: "reader", subscriptionId: inventory.subscriptions[0]!.subscriptionId };

    // Someone whose scan cannot read the change's scopes does not see it and cannot act on it.
    const stranger = { ...base, visible: () => false };
    await expect(undoChange(change.id, stranger)).rejects.toMatchObject({ status: 404 });
    expect((await h.audit.list({ visible: stranger.visible })).map((c) => c.id)).not.toContain(change.id);

    // Someone who can see it but whom Azure refuses (403 on the first write): the refusal is
    // the undo's own failed change; the applied change stays applied.
    h.emu.failWrite({ nth: 1, status: 403 });
    const refused = await undoChange(change.id, { ...base, visible: () => true });
    expect(refused.status).toBe(ChangeStatus.Failed);
    expect((await h.audit.get(change.id))!.status).toBe(ChangeStatus.Applied);

    await undoChange(change.id, base);
    expect((await h.audit.get(change.id))!.status).toBe(ChangeStatus.Undone);
  });
});
