import { describe, expect, it, vi } from "vitest";
import type { Finding, FixPlan } from "@/lib/model/findings";
import { planApply } from "@/lib/remediation/apply/apply";
import type { ChangeRecord } from "@/lib/remediation/changes";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { buildWizardModel, type WizardInput, type WizardModel } from "./model";
import { ACR_A, ACR_B, assignment, grantAcrPull, PRINCIPAL, RG_ACR, wizardInventory } from "./wizard.testing";

const OLD = `${RG_ACR}/providers/Microsoft.Authorization/roleAssignments/a1`;
const rescope: FixPlan = {
  id: "rescope",
  summary: "narrow AcrPull",
  steps: [grantAcrPull(ACR_A), grantAcrPull(ACR_B), { kind: "delete-role-assignment", roleAssignmentId: OLD, principalId: PRINCIPAL, roleName: "AcrPull", scope: RG_ACR }],
};
const manualFirst: FixPlan = { id: "by-hand-first", summary: "confirm, then narrow", steps: [{ kind: "manual", description: "Ask the owners" }, grantAcrPull(ACR_A)] };
const finding = (fixes: FixPlan[] = [rescope, manualFirst]): Finding => ({
  id: "acr-scope-too-broad-123",
  ruleId: "acr-scope-too-broad",
  severity: "medium",
  baseSeverity: "medium",
  title: "AcrPull wider than the registries",
  message: "m",
  principalId: PRINCIPAL,
  identityName: "aks-agentpool",
  evidence: [],
  fixes,
});
const inventory = wizardInventory([assignment("a1", RG_ACR, BuiltinRoleId.AcrPull)]);
const applied = (id: string): ChangeRecord => ({ id, kind: "apply", findingId: "acr-scope-too-broad-123", planId: "rescope", actor: "a", startedAt: "t", status: "applied", summary: "s", scopes: [], steps: [] });

function input(query: WizardInput["query"], extra: Partial<WizardInput> = {}): WizardInput {
  return {
    findingId: "acr-scope-too-broad-123",
    query,
    inventory,
    findings: [finding()],
    changes: [],
    ruleIds: ["acr-scope-too-broad", "pod-identity-deprecated"],
    actorName: "Dana (dana@contoso.com)",
    dryRun: vi.fn((f: Finding, plan: FixPlan, choices) => planApply(plan, { inventory, finding: f, choices, kubernetes: true }).result),
    ...extra,
  };
}

const wizard = (m: WizardModel) => {
  if (m.kind !== "wizard") throw new Error(`expected the wizard, got ${m.kind}`);
  return m;
};

describe("buildWizardModel", () => {
  it("opens on Understand with the blast radius, the plan in the subtitle, and Next to Choose", () => {
    const m = wizard(buildWizardModel(input({})));
    expect(m.body.step).toBe("understand");
    expect(m.body.step === "understand" && m.body.radius?.now).toBeDefined();
    expect(m.title).toBe("Fix: AcrPull wider than the registries");
    expect(m.subtitle).toBe("aks-agentpool · narrow AcrPull");
    expect(m.back).toEqual({ href: "/findings/acr-scope-too-broad-123", label: "AcrPull wider than the registries" });
    expect(m.nav.back).toBeUndefined();
    expect(m.nav.next?.label).toBe("Choose");
  });

  it("shows on Apply the engine's own dry run: the same steps, targets and sentences, and no Next", () => {
    const i = input({ step: "apply", scope: [ACR_B] });
    const m = wizard(buildWizardModel(i));
    expect(i.dryRun).toHaveBeenCalledTimes(1);
    expect(i.dryRun).toHaveBeenCalledWith(finding(), rescope, { scopes: [ACR_B] });
    if (m.body.step !== "apply") throw new Error(m.body.step);
    expect(m.body.planned.map((s) => [s.op, s.state])).toEqual([
      ["create-role-assignment", "planned"],
      ["delete-role-assignment", "planned"],
    ]);
    expect(m.body.planned[0]!.target).toMatch(new RegExp(`^${ACR_B}/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}$`));
    // Sentences say names; the ids are the steps' targets, shown on demand.
    expect(m.body.planned[0]!.description).toBe(`Create role assignment: AcrPull for principal ${PRINCIPAL} on registry acrb`);
    expect(m.body.planned[1]).toMatchObject({ target: OLD, description: `Delete role assignment: AcrPull for principal ${PRINCIPAL} on resource group rg-acr` });
    expect(m.body.panel).toMatchObject({ planId: "rescope", choices: { scopes: [ACR_B] }, touchesKubernetes: false, actorName: "Dana (dana@contoso.com)" });
    expect(m.body.panel.verifyHref).toContain("step=verify");
    expect(m.nav).toEqual({ back: { href: expect.stringContaining("step=preview"), label: "Preview" } });
  });

  it("says which choices of the link it could not use and falls back to the plan's own", () => {
    const i = input({ step: "preview", scope: ["/subscriptions/other"] });
    const m = wizard(buildWizardModel(i));
    expect(m.problems).toEqual([expect.stringMatching(/scope \/subscriptions\/other is not one plan "rescope" offers; showing the plan's own choices/)]);
    expect(i.dryRun).toHaveBeenCalledWith(finding(), rescope, {});
    if (m.body.step !== "preview") throw new Error(m.body.step);
    expect(m.body.tabs.find((t) => t.format === "az")!.text).toContain(`--scope ${ACR_A}`);
    expect(m.nav.next?.label).toBe("Apply");
  });

  it("disables Apply, with the engine's reason, for a plan whose automated steps wait for a manual one", () => {
    const m = wizard(buildWizardModel(input({ step: "apply", plan: "by-hand-first" })));
    expect(m.body).toEqual({ step: "unavailable", label: "Apply", reason: expect.stringContaining("must be done by hand before the rest") });
    expect(m.stepper.find((s) => s.step === "apply")!.disabledReason).toContain("must be done by hand");
  });

  it("has no Apply step on a read-only server: the preview's script is the way", () => {
    const m = wizard(buildWizardModel(input({ step: "apply", scope: [ACR_B] }, { readOnly: true })));
    expect(m.body).toEqual({ step: "unavailable", label: "Apply", reason: expect.stringContaining("runs read-only") });
    expect(m.stepper.find((s) => s.step === "apply")!.disabledReason).toContain("read-only");
    const preview = wizard(buildWizardModel(input({ step: "preview" }, { readOnly: true })));
    expect(preview.nav.next).toBeUndefined();
  });

  it("verifies against the change the link names, or the latest applied one", () => {
    const named = wizard(buildWizardModel(input({ step: "verify", change: "c2" }, { changes: [applied("c1"), applied("c2")] })));
    expect(named.body).toMatchObject({ step: "verify", change: { id: "c2" } });
    const latest = wizard(buildWizardModel(input({ step: "verify" }, { changes: [applied("c1")] })));
    expect(latest.body).toMatchObject({ step: "verify", change: { id: "c1" } });
  });

  it("asks for the production cluster's name on Apply, and only there", () => {
    const productionClusterOf = vi.fn(() => "aks-prod");
    const m = wizard(buildWizardModel(input({ step: "apply" }, { productionClusterOf })));
    expect(m.body).toMatchObject({ step: "apply", panel: { productionCluster: "aks-prod" } });
    expect(productionClusterOf).toHaveBeenCalledWith(expect.objectContaining({ id: "acr-scope-too-broad-123" }), expect.objectContaining({ id: "rescope" }));
    const plain = wizard(buildWizardModel(input({ step: "apply" }, { productionClusterOf: () => undefined })));
    expect(plain.body.step === "apply" && plain.body.panel.productionCluster).toBeFalsy();
  });

  it("titles the verify step with the plan that was applied, whatever plan the rescanned finding offers first", () => {
    const change = { ...applied("c1"), planId: "by-hand-first", summary: "migrate payments/api only" };
    const m = wizard(buildWizardModel(input({ step: "verify", change: "c1" }, { changes: [change] })));
    expect(m.subtitle).toBe("aks-agentpool · applied: migrate payments/api only");
    expect(wizard(buildWizardModel(input({ step: "preview" }))).subtitle).toBe("aks-agentpool · narrow AcrPull");
  });

  it("after the finding is resolved, still answers the verify step; anything else is not found", () => {
    const gone = input({ step: "verify", change: "c1" }, { findings: [], changes: [applied("c1")] });
    expect(buildWizardModel(gone)).toMatchObject({ kind: "verify-only", back: { href: "/findings" }, body: { finding: { id: "acr-scope-too-broad-123", ruleId: "acr-scope-too-broad" }, change: { id: "c1" } } });
    expect(buildWizardModel(input({ step: "apply" }, { findings: [] }))).toEqual({ kind: "not-found" });
    expect(buildWizardModel(input({ step: "verify" }, { findings: [], findingId: "no-such-rule-1" }))).toEqual({ kind: "not-found" });
  });

  it("has nothing to walk through for a finding without a fix plan", () => {
    expect(buildWizardModel(input({}, { findings: [finding([])] }))).toMatchObject({ kind: "no-plan" });
  });

  it("carries an unreadable audit log to the page and the verify step", () => {
    const m = wizard(buildWizardModel(input({ step: "verify" }, { auditError: "Audit log x: locked" })));
    expect(m.auditError).toBe("Audit log x: locked");
    expect(m.body).toMatchObject({ step: "unavailable", reason: "Apply the change first" });
  });
});
