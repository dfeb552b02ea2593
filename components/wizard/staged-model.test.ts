import { describe, expect, it } from "vitest";
import type { Finding, FixPlan } from "@/lib/model/findings";
import { planApply } from "@/lib/remediation/apply/apply";
import { demoScan } from "@/lib/testing/demo-scan";
import { buildWizardModel, type WizardInput } from "./model";

function applyStep(ruleId: string) {
  const { inventory, findings } = demoScan();
  const finding = findings.find((f) => f.ruleId === ruleId && f.fixes.length > 0)!;
  const input: WizardInput = {
    findingId: finding.id,
    query: { step: "apply" },
    inventory,
    findings,
    changes: [],
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

  it("offers no staged migration for other rules (their one-shot apply is unchanged)", () => {
    expect(applyStep("acr-scope-too-broad").staged).toBeUndefined();
  });
});
