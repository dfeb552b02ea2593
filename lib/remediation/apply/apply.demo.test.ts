import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Finding, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { ChangeStatus, StepStatus } from "@/lib/store/audit";
import { applyPlan, reconcile, undoChange } from "./apply";
import type * as resolve from "./resolve";
import { grantOf, grantSet, startHarness, type Harness } from "./testdata/harness";

// A spy around the real resolvePlan, to count how often an apply resolves its plan.
const { resolvePlan } = vi.hoisted(() => ({ resolvePlan: vi.fn() }));
vi.mock("./resolve", async (importOriginal) => {
  const original = await importOriginal<typeof resolve>();
  resolvePlan.mockImplementation(original.resolvePlan);
  return { ...original, resolvePlan };
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenantFile: "fixtures/tenants/demo.json" });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const rule = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);
const creates = (f: Finding) => f.fixes[0]!.steps.filter((s): s is Extract<FixStep, { kind: "create-role-assignment" }> => s.kind === "create-role-assignment");

describe("applyPlan against the demo tenant in the emulator", () => {
  it("dry run is the default and writes nothing", async () => {
    const { inventory, findings } = await h.scan();
    const finding = rule(findings, "acr-scope-too-broad")[0]!;
    h.emu.resetCounts();
    const { dryRun: _d, ...options } = h.options(inventory, finding);
    const result = await applyPlan(finding.fixes[0]!, options);
    expect(result.status).toBe("dry-run");
    expect(result.steps.map((s) => s.op)).toEqual(["create-role-assignment", "create-role-assignment", "delete-role-assignment"]);
    expect(result.changeId).toBeUndefined();
    expect(Object.keys(h.emu.counts())).toEqual([]);
    expect(await h.audit.list()).toEqual([]);
  });

  it("narrows acr-scope-too-broad: the rescan shows the finding gone and AcrPull on each registry; undo restores the original", async () => {
    const { inventory, findings } = await h.scan();
    const finding = rule(findings, "acr-scope-too-broad")[0]!;
    const old = inventory.roleAssignments.find((a) => normalizeId(a.id) === normalizeId(finding.roleAssignmentId!))!;
    const result = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(result.message).toContain("Applied 3 step(s)");
    expect(result.status).toBe(ChangeStatus.Applied);

    const after = await h.scan();
    expect(after.findings.map((f) => f.id)).not.toContain(finding.id);
    const grants = grantSet(after.inventory);
    for (const c of creates(finding)) expect(grants).toContain(grantOf(c));
    expect(after.inventory.roleAssignments.some((a) => normalizeId(a.id) === normalizeId(old.id))).toBe(false);

    const change = (await h.audit.get(result.changeId!))!;
    expect(change).toMatchObject({ status: ChangeStatus.Applied, actor: "test@scopewise", findingId: finding.id, planId: "rescope" });
    expect(change.steps.map((s) => s.status)).toEqual([StepStatus.Done, StepStatus.Done, StepStatus.Done]);
    // The deleted assignment's full state is in the log (what undo recreates from).
    expect(change.steps[2]!.before).toMatchObject({ principalId: old.principalId, scope: old.scope });
    expect(change.steps[0]!.after).toMatchObject({ principalId: old.principalId, scope: creates(finding)[0]!.scope });

    const undo = await undoChange(result.changeId!, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "undoer@scopewise", subscriptionId: inventory.subscriptions[0]!.subscriptionId });
    expect(undo.status).toBe(ChangeStatus.Applied);
    const restored = await h.scan();
    expect(grantSet(restored.inventory)).toEqual(grantSet(inventory));
    // Recreated under its original name (ARM frees the name on delete): same assignment id, so the
    // finding comes back with the same id and scan history sees it as the same finding.
    const back = rule(restored.findings, "acr-scope-too-broad");
    expect(back.map((f) => [f.principalId, normalizeId(f.scope!)])).toEqual([[old.principalId, normalizeId(old.scope)]]);
    expect(normalizeId(back[0]!.roleAssignmentId!)).toBe(normalizeId(old.id));
    expect(back[0]!.id).toBe(finding.id);
    expect((await h.audit.get(result.changeId!))!.status).toBe(ChangeStatus.Undone);
    expect(await h.audit.get(undo.changeId!)).toMatchObject({ kind: "undo", targetChangeId: result.changeId, actor: "undoer@scopewise", status: ChangeStatus.Applied });
  });

  it("reconcile leaves a change that is still being applied alone", async () => {
    const { inventory, findings } = await h.scan();
    const finding = rule(findings, "acr-scope-too-broad")[0]!;
    const seen: number[] = [];
    const result = await applyPlan(finding.fixes[0]!, {
      ...h.options(inventory, finding),
      hooks: { afterStep: async () => void seen.push((await reconcile(h.audit)).length) },
    });
    expect(result.status).toBe(ChangeStatus.Applied);
    expect(seen).toEqual([0, 0, 0]);
    expect((await h.audit.get(result.changeId!))!.status).toBe(ChangeStatus.Applied);
    await undoChange(result.changeId!, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: inventory.subscriptions[0]!.subscriptionId });
  });

  it("an injected failure on the 2nd write undoes the 1st and leaves Azure exactly as before, and the log says so", async () => {
    const { inventory, findings } = await h.scan();
    // One creation, then the delete: the 2nd write is the delete.
    const finding = rule(findings, "network-role-scope-too-broad").find((f) => creates(f).length === 1)!;
    const before = grantSet(inventory);
    // 403: what a missing right looks like, and not retried by the SDK (a 5xx would be).
    h.emu.failWrite({ nth: 2, status: 403 });
    const result = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(result.status).toBe(ChangeStatus.RolledBack);
    expect(result.failure).toMatchObject({ seq: 2, status: 403, code: "AuthorizationFailed" });
    expect(result.steps[0]).toMatchObject({ seq: 1, state: "undone" });
    expect(result.steps[1]).toMatchObject({ seq: 2, state: "failed" });
    expect(result.message).toMatch(/^Step 2 failed: could not delete .*HTTP 403 AuthorizationFailed.* Undid step 1 in reverse order; Azure and the clusters are as they were before the change\.$/);

    expect(grantSet((await h.scan()).inventory)).toEqual(before);
    const change = (await h.audit.get(result.changeId!))!;
    expect(change.status).toBe(ChangeStatus.RolledBack);
    expect(change.error).toContain("AuthorizationFailed");
    const statuses = change.steps.map((s) => [s.kind, s.status]);
    expect(statuses[0]).toEqual(["create-role-assignment", StepStatus.Undone]);
    expect(statuses[1]).toEqual(["delete-role-assignment", StepStatus.Failed]);
    expect(statuses.at(-1)).toEqual(["rollback:delete-role-assignment", StepStatus.Done]);
  });

  it("counts an assignment that already exists (409) as done, and undo leaves it in place", async () => {
    const { findings } = await h.scan();
    const finding = rule(findings, "acr-scope-too-broad")[0]!;
    const target = creates(finding)[0]!;
    const sub = target.scope.split("/")[2]!;
    const preexisting = await h.azure.authorization(sub).roleAssignments.create(target.scope, crypto.randomUUID(), { roleDefinitionId: target.roleDefinitionId, principalId: target.principalId });
    const rescanned = await h.scan();
    const result = await applyPlan(finding.fixes[0]!, h.options(rescanned.inventory, rescanned.findings.find((f) => f.id === finding.id)!));
    expect(result.status).toBe(ChangeStatus.Applied);
    expect(result.steps[0]!.note).toBe("already existed (409 RoleAssignmentExists): counted as done");
    expect((await h.audit.get(result.changeId!))!.steps[0]!.operation).toMatchObject({ noop: true });
    // The assignment that was there is found (a filter ARM accepts) and recorded as the step's result.
    expect((await h.audit.get(result.changeId!))!.steps[0]!.after).toMatchObject({ name: preexisting.name });
    const after = await h.scan();
    expect(after.findings.map((f) => f.id)).not.toContain(finding.id);

    await undoChange(result.changeId!, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: sub });
    const restored = await h.scan();
    expect(restored.inventory.roleAssignments.some((a) => a.name === preexisting.name)).toBe(true);
    expect(grantSet(restored.inventory)).toEqual(grantSet(rescanned.inventory));
  });

  it("stops, and undoes the new grants, when the old assignment changed since the scan", async () => {
    const { inventory, findings } = await h.scan();
    const finding = rule(findings, "network-role-scope-too-broad").find((f) => creates(f).length === 1)!;
    const old = inventory.roleAssignments.find((a) => normalizeId(a.id) === normalizeId(finding.roleAssignmentId!))!;
    const sub = old.id.split("/")[2]!;
    // Someone removes the grant after the scan (and, say, recreates it elsewhere): the fix must not act on stale data.
    await h.azure.authorization(sub).roleAssignments.delete(old.scope, old.name);
    const result = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(result.status).toBe(ChangeStatus.RolledBack);
    expect(result.failure).toMatchObject({ changedSinceScan: true, code: "ChangedSinceScan" });
    expect(result.message).toMatch(/^Stopped: the assignment .* no longer exists.* Undid step 1 in reverse order/);
    expect(result.steps.map((s) => s.state)).toEqual(["undone", "failed"]);
    const after = await h.scan();
    const expected = grantSet(inventory).filter((g) => g !== grantOf(old));
    expect(grantSet(after.inventory)).toEqual(expected);
  });

  it("a plan whose new grants all exist already (409) and whose old grant is gone changes nothing and says so", async () => {
    const { inventory, findings } = await h.scan();
    // The demo already holds Network Contributor on each narrower scope of this finding.
    const finding = rule(findings, "network-role-scope-too-broad").find((f) => creates(f).length === 3)!;
    const old = inventory.roleAssignments.find((a) => normalizeId(a.id) === normalizeId(finding.roleAssignmentId!))!;
    await h.azure.authorization(old.id.split("/")[2]!).roleAssignments.delete(old.scope, old.name);
    const result = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(result.status).toBe(ChangeStatus.Failed);
    expect(result.steps.map((s) => s.state)).toEqual(["done", "done", "done", "failed"]);
    expect(result.message).toMatch(/before anything was changed; Azure and the clusters are as they were\.$/);
    expect(grantSet((await h.scan()).inventory)).toEqual(grantSet(inventory).filter((g) => g !== grantOf(old)));
  });

  it("resolves the plan once per dry run and once per apply", async () => {
    const { inventory, findings } = await h.scan();
    const finding = rule(findings, "acr-scope-too-broad")[0]!;
    resolvePlan.mockClear();
    expect((await applyPlan(finding.fixes[0]!, { ...h.options(inventory, finding), dryRun: true })).status).toBe("dry-run");
    expect(resolvePlan).toHaveBeenCalledTimes(1);
    resolvePlan.mockClear();
    const applied = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(applied.status).toBe(ChangeStatus.Applied);
    expect(resolvePlan).toHaveBeenCalledTimes(1);
    await undoChange(applied.changeId!, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: inventory.subscriptions[0]!.subscriptionId });
    expect(resolvePlan).toHaveBeenCalledTimes(1);
  });
});
