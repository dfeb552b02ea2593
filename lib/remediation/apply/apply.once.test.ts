import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ChangeStatus } from "@/lib/store/audit";
import type * as resolve from "./resolve";
import { startHarness, type Harness } from "./testdata/harness";

const { resolvePlan } = vi.hoisted(() => ({ resolvePlan: vi.fn() }));
vi.mock("./resolve", async (importOriginal) => {
  const original = await importOriginal<typeof resolve>();
  resolvePlan.mockImplementation(original.resolvePlan);
  return { ...original, resolvePlan };
});

const { applyPlan, undoChange } = await import("./apply");

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenantFile: "fixtures/tenants/demo.json" });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe("applyPlan does its work once", () => {
  it("resolves the plan once per dry run and once per apply", async () => {
    const { inventory, findings } = await h.scan();
    const finding = findings.find((f) => f.ruleId === "acr-scope-too-broad")!;
    resolvePlan.mockClear();
    const dry = await applyPlan(finding.fixes[0]!, { ...h.options(inventory, finding), dryRun: true });
    expect(dry.status).toBe("dry-run");
    expect(resolvePlan).toHaveBeenCalledTimes(1);

    resolvePlan.mockClear();
    const applied = await applyPlan(finding.fixes[0]!, h.options(inventory, finding));
    expect(applied.status).toBe(ChangeStatus.Applied);
    expect(resolvePlan).toHaveBeenCalledTimes(1);
    const undo = await undoChange(applied.changeId!, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: inventory.subscriptions[0]!.subscriptionId });
    expect(undo.status).toBe(ChangeStatus.Applied);
    expect(resolvePlan).toHaveBeenCalledTimes(1);
  });
});
