import { describe, expect, it } from "vitest";
import type { Finding, FixPlan } from "@/lib/model/findings";
import { resolvePlan } from "@/lib/remediation/apply/resolve";
import { BuiltinRoleId, RoleCatalog, roleDefinitionIdOf } from "@/lib/roles/catalog";
import { buildBindingRows, buildChooseView, buildReferences, needOfPlan, planKind, PlanKind } from "./choose";
import { buildChosenPlan, WizardChoiceError } from "./chosen-plan";
import { buildStepper, choicesOf, nextStep, parseWizardQuery, ruleIdOfFindingId, wizardHref } from "./steps";
import { ACR_A, ACR_B, assignment, PRINCIPAL, RG_ACR, wizardInventory } from "./wizard.testing";

const catalog = RoleCatalog.withBuiltins();
const OLD = `${RG_ACR}/providers/Microsoft.Authorization/roleAssignments/a1`;
const create = (scope: string, role = BuiltinRoleId.AcrPull, roleName = "AcrPull") => ({
  kind: "create-role-assignment" as const,
  principalId: PRINCIPAL,
  principalType: "ServicePrincipal",
  roleDefinitionId: roleDefinitionIdOf(role),
  roleName,
  scope,
  alternatives: { scopes: [ACR_A, ACR_B, RG_ACR], roleDefinitionIds: [roleDefinitionIdOf(BuiltinRoleId.AcrPush), roleDefinitionIdOf(BuiltinRoleId.AcrPull)] },
});
const rescope: FixPlan = {
  id: "rescope",
  summary: "narrow AcrPull",
  steps: [create(ACR_A), create(ACR_B), { kind: "delete-role-assignment", roleAssignmentId: OLD, principalId: PRINCIPAL, roleName: "AcrPull", scope: RG_ACR }],
};
const finding = (fixes: FixPlan[]): Finding => ({
  id: "acr-scope-too-broad-123",
  ruleId: "acr-scope-too-broad",
  severity: "medium",
  baseSeverity: "medium",
  title: "t",
  message: "m",
  principalId: PRINCIPAL,
  evidence: [],
  fixes,
});

describe("wizard URL state", () => {
  it("round-trips step, plan, scopes, role and format through the query", () => {
    const { state } = parseWizardQuery({ step: "preview", plan: "rescope", scope: [ACR_A], role: "r", format: "bicep" }, [rescope]);
    expect(state).toEqual({ step: "preview", planId: "rescope", scopes: [ACR_A], roleDefinitionId: "r", format: "bicep" });
    const href = wizardHref("f 1", state, { step: "apply" });
    const back = parseWizardQuery(Object.fromEntries([...new URL(href, "http://x").searchParams.entries()].map(([k]) => [k, new URL(href, "http://x").searchParams.getAll(k)])), [rescope]);
    expect(href.startsWith("/findings/f%201/fix?step=apply")).toBe(true);
    expect(back.state).toMatchObject({ step: "apply", scopes: [ACR_A], format: "bicep" });
  });

  it("falls back to the first plan and the first step and says what it ignored", () => {
    const { state, problems } = parseWizardQuery({ step: "launch", plan: "nope", format: "pdf" }, [rescope]);
    expect(state).toEqual({ step: "understand", planId: "rescope" });
    expect(problems).toHaveLength(3);
    expect(problems.join(" ")).toContain('"nope"');
    // The applied plan may be gone from the rescan: the verify step does not complain.
    expect(parseWizardQuery({ step: "verify", plan: "applied-plan" }, [rescope]).problems).toEqual([]);
  });

  it("disables apply when the plan is blocked and verify until a change exists", () => {
    const { state } = parseWizardQuery({ step: "choose" }, [rescope]);
    const items = buildStepper("f", state, { blocked: "manual steps first" });
    expect(items.find((i) => i.step === "apply")!.disabledReason).toContain("manual steps first");
    expect(items.find((i) => i.step === "verify")!.disabledReason).toBe("Apply the change first");
    expect(items.find((i) => i.step === "understand")!.complete).toBe(true);
    expect(nextStep(items, "choose")!.step).toBe("preview");
    expect(nextStep(items, "preview")).toBeUndefined();
    const ok = buildStepper("f", state, { changeId: "c1" });
    expect(ok.find((i) => i.step === "verify")!.href).toContain("change=c1");
  });

  it("finds the rule of a finding id, preferring the longest rule id", () => {
    expect(ruleIdOfFindingId("pod-identity-roles-unused-abc", ["pod-identity-roles", "pod-identity-roles-unused"])).toBe("pod-identity-roles-unused");
    expect(ruleIdOfFindingId("x-1", ["y"])).toBeUndefined();
  });
});

describe("buildChosenPlan", () => {
  const roleName = (id: string) => catalog.get(id)?.roleName;

  it("keeps only the chosen scopes, in the place of the plan's creations", () => {
    const chosen = buildChosenPlan(rescope, { scopes: [ACR_B] }, roleName);
    expect(chosen.steps.map((s) => s.kind)).toEqual(["create-role-assignment", "delete-role-assignment"]);
    expect((chosen.steps[0] as { scope: string }).scope).toBe(ACR_B);
  });

  it("swaps the role and its name on every creation", () => {
    const chosen = buildChosenPlan(rescope, { roleDefinitionId: BuiltinRoleId.AcrPush }, roleName);
    const creates = chosen.steps.filter((s) => s.kind === "create-role-assignment");
    expect(creates.map((s) => s.roleName)).toEqual(["AcrPush", "AcrPush"]);
  });

  it("refuses scopes and roles the plan does not offer, and choices on a plan without creations", () => {
    expect(() => buildChosenPlan(rescope, { scopes: ["/subscriptions/other"] }, roleName)).toThrow(WizardChoiceError);
    expect(() => buildChosenPlan(rescope, { roleDefinitionId: BuiltinRoleId.Owner }, roleName)).toThrow(/not one plan "rescope" offers/);
    expect(() => buildChosenPlan({ id: "d", summary: "", steps: [rescope.steps[2]!] }, { scopes: [ACR_A] }, roleName)).toThrow(/no role assignment/);
  });

  it("creates the same grants the engine's resolvePlan will apply", () => {
    const inv = wizardInventory([assignment("a1", RG_ACR, BuiltinRoleId.AcrPull)]);
    const choices = { scopes: [ACR_B, ACR_A], roleDefinitionId: BuiltinRoleId.AcrPush };
    const chosen = buildChosenPlan(rescope, choices, roleName);
    const engine = resolvePlan(rescope, inv, { choices }).operations.filter((o) => o.operation.op === "create-role-assignment");
    const mine = chosen.steps.filter((s) => s.kind === "create-role-assignment");
    expect(engine.map((o) => (o.operation as { scope: string }).scope)).toEqual(mine.map((s) => (s as { scope: string }).scope));
    for (const o of engine) expect((o.operation as { roleDefinitionId: string }).roleDefinitionId.toLowerCase()).toContain(BuiltinRoleId.AcrPush);
  });
});

describe("buildChooseView", () => {
  it("offers the plan's roles narrowest first and pre-selects the plan's own scopes", () => {
    const inv = wizardInventory();
    const { state } = parseWizardQuery({ step: "choose" }, [rescope]);
    const view = buildChooseView(inv, finding([rescope]), rescope, state, catalog);
    expect(view.kind).toBe(PlanKind.Role);
    expect(view.roles.map((r) => r.name)).toEqual(["AcrPull", "AcrPush"]);
    expect(view.roles[0]!.selected).toBe(true);
    expect(view.scopes.map((s) => [s.label, s.selected, s.proposed])).toEqual([
      ["acra", true, true],
      ["acrb", true, true],
      ["rg-acr", false, false],
    ]);
    expect(view.scopes[0]!.level).toBe("registry");
  });

  it("selects what the URL chose instead of the plan's defaults", () => {
    const inv = wizardInventory();
    const { state } = parseWizardQuery({ step: "choose", scope: ACR_B, role: roleDefinitionIdOf(BuiltinRoleId.AcrPush) }, [rescope]);
    const view = buildChooseView(inv, finding([rescope]), rescope, state, catalog);
    expect(view.scopes.filter((s) => s.selected).map((s) => s.label)).toEqual(["acrb"]);
    expect(view.roles.find((r) => r.selected)!.name).toBe("AcrPush");
    expect(choicesOf(state).scopes).toEqual([ACR_B]);
  });

  it("maps data-narrowing plans to what the app does with the data", () => {
    expect(needOfPlan({ id: "narrow-service-bus-read", summary: "", steps: [] })).toBe("read");
    expect(needOfPlan({ id: "rescope", summary: "", steps: [] })).toBeUndefined();
  });

  it("for a removal, says when nothing in the scan uses the principal", () => {
    const plan: FixPlan = { id: "delete-assignment", summary: "", steps: [rescope.steps[2]!] };
    expect(planKind(plan)).toBe(PlanKind.Removal);
    const refs = buildReferences(wizardInventory(), plan);
    expect(refs).toHaveLength(1);
    expect(refs[0]!.detail).toMatch(/Not in the directory/);
  });

  it("groups a pod-identity migration per binding with its service account, credential and pod label", () => {
    const cluster = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";
    const plan: FixPlan = {
      id: "migrate-to-workload-identity",
      summary: "",
      steps: [
        { kind: "az-command", args: ["aks", "update", "--enable-oidc-issuer"], description: "Enable the OIDC issuer" },
        { kind: "create-federated-credential", identityId: "/x/userAssignedIdentities/id-a", name: "fic-a", issuer: "https://issuer/", subject: "system:serviceaccount:ns:sa-a", audiences: ["api://AzureADTokenExchange"] },
        { kind: "kubernetes-apply", clusterId: cluster, manifest: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa-a", namespace: "ns" } }, description: "sa" },
        // A binding whose selector matches pods in a second workload's service account too.
        { kind: "kubernetes-apply", clusterId: cluster, manifest: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa-b", namespace: "other" } }, description: "sa" },
        {
          kind: "kubernetes-apply",
          clusterId: cluster,
          manifest: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "app-a", namespace: "ns" }, spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } } } } },
          description: "deploy",
        },
        { kind: "kubernetes-delete", clusterId: cluster, apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "ns", name: "bind-a" },
        { kind: "manual", description: "Uninstall aad-pod-identity" },
      ],
    };
    expect(planKind(plan)).toBe(PlanKind.Migration);
    const { rows, prerequisites, manual } = buildBindingRows(plan, wizardInventory());
    expect(prerequisites).toEqual(["Enable the OIDC issuer"]);
    expect(manual).toEqual(["Uninstall aad-pod-identity"]);
    expect(rows).toEqual([
      {
        namespace: "ns",
        binding: "bind-a",
        serviceAccounts: ["ns/sa-a", "other/sa-b"],
        federatedCredentials: [{ name: "fic-a", issuer: "https://issuer/", subject: "system:serviceaccount:ns:sa-a" }],
        workloads: [{ name: "Deployment ns/app-a", podLabel: 'azure.workload.identity/use: "true"' }],
      },
    ]);
  });

  it("shows an app registration's federated credential in its binding's row, naming the app", () => {
    const cluster = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";
    const plan: FixPlan = {
      id: "migrate-app-registrations",
      summary: "",
      steps: [
        { kind: "create-app-federated-credential", appId: "app-1", applicationName: "sp-fx", name: "aks-ns-fx", issuer: "https://issuer/", subject: "system:serviceaccount:ns:fx", audiences: ["api://AzureADTokenExchange"] },
        { kind: "kubernetes-apply", clusterId: cluster, manifest: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "fx", namespace: "ns" } }, description: "sa" },
        { kind: "kubernetes-delete", clusterId: cluster, apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "ns", name: "fx-binding" },
      ],
    };
    expect(planKind(plan)).toBe(PlanKind.Migration);
    const { rows, prerequisites } = buildBindingRows(plan, wizardInventory());
    expect(prerequisites).toEqual([]);
    expect(rows[0]!.federatedCredentials).toEqual([{ name: "aks-ns-fx", issuer: "https://issuer/", subject: "system:serviceaccount:ns:fx", on: "app registration sp-fx (appId app-1)" }]);
  });

  it("calls a plan of only manual steps manual", () => {
    expect(planKind({ id: "m", summary: "", steps: [{ kind: "manual", description: "do it" }] })).toBe(PlanKind.Manual);
  });
});
