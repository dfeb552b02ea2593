import { describe, expect, it } from "vitest";
import type { Finding, FixPlan } from "@/lib/model/findings";
import { planApply } from "@/lib/remediation/apply/apply";
import { demoScan } from "@/lib/testing/demo-scan";
import type { ChangeRecord } from "@/lib/store/audit";
import { buildWizardModel, type WizardInput } from "./model";

function applyStep(ruleId: string, changes: WizardInput["changes"] = []) {
  const { inventory, findings } = demoScan();
  const finding = findings.find((f) => f.ruleId === ruleId && f.fixes.length > 0)!;
  const input: WizardInput = {
    findingId: finding.id,
    query: { step: "apply" },
    inventory,
    findings,
    changes,
    ruleIds: [ruleId],
    actorName: "demo",
    dryRun: (f: Finding, plan: FixPlan, choices) => planApply(plan, { inventory, finding: f, choices, kubernetes: true }).result,
  };
  const model = buildWizardModel(input);
  if (model.kind !== "wizard" || model.body.step !== "apply") throw new Error(`expected the apply step, got ${model.kind}`);
  return model.body.panel;
}

describe("the wizard's Apply step and the staged migration", () => {
  it("offers a pod-identity finding's bindings to migrate in phases, with identity and workloads", () => {
    const panel = applyStep("pod-identity-deprecated");
    expect(panel.staged?.bindings.map((b) => b.key)).toEqual(expect.arrayContaining(["payments/notifier-binding", "payments/ledger-writer-binding", "payments/fx-rates-binding"]));
    expect(panel.staged?.bindings.find((b) => b.key === "payments/notifier-binding")).toMatchObject({ identityName: "id-payments-notifier", workloads: [expect.objectContaining({ kind: "Deployment", name: "notifier" })] });
  });

  it("shows the finding's staged migration still under way (paused, stopped, interrupted) instead of a new choice; finished ones and one-shot applies do not count", () => {
    const { findings } = demoScan();
    const findingId = findings.find((f) => f.ruleId === "pod-identity-deprecated")!.id;
    const change = (id: string, planId: string, status: ChangeRecord["status"]): ChangeRecord => ({ id, kind: "apply", findingId, planId, actor: "a", startedAt: "2026-01-01T00:00:00Z", status, summary: "s", scopes: [], steps: [] });
    expect(applyStep("pod-identity-deprecated", [change("c3", "staged-migration", "applied"), change("c2", "migrate-to-workload-identity", "needs-reconcile"), change("c1", "staged-migration", "pending")]).staged?.changeId).toBe("c1");
    expect(applyStep("pod-identity-deprecated", [change("c3", "staged-migration", "applied")]).staged?.changeId).toBeUndefined();
  });

  it("offers no staged migration for other rules (their one-shot apply is unchanged)", () => {
    expect(applyStep("acr-scope-too-broad").staged).toBeUndefined();
  });
});
