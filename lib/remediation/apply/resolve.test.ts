import { describe, expect, it } from "vitest";
import type { FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { restoreManifest } from "./ops";
import { PlanChoiceError, qualifiedRoleDefinitionId, resolvePlan } from "./resolve";

const sub = "/subscriptions/11111111-1111-1111-1111-111111111111";
const rg = `${sub}/resourceGroups/rg`;
const acr = (n: string) => `${rg}/providers/Microsoft.ContainerRegistry/registries/${n}`;
const oldId = `${rg}/providers/Microsoft.Authorization/roleAssignments/aaaaaaaa-0000-0000-0000-000000000001`;
const acrPull = "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d";
const inventory = {
  roleAssignments: [{ id: oldId, name: "aaaaaaaa-0000-0000-0000-000000000001", scope: rg, principalId: "p1", roleDefinitionId: `${sub}${acrPull}` }],
  resourceGroups: [{ id: rg, location: "westeurope" }],
} as unknown as Inventory;
const create = (scope: string) => ({ kind: "create-role-assignment" as const, principalId: "p1", principalType: "ServicePrincipal", roleDefinitionId: acrPull, roleName: "AcrPull", scope, alternatives: { scopes: [acr("a"), acr("b")] } });
const plan: FixPlan = { id: "rescope", summary: "s", steps: [{ kind: "delete-role-assignment", roleAssignmentId: oldId, principalId: "p1", roleName: "AcrPull", scope: rg }, create(acr("a")), create(acr("b"))] };

describe("resolvePlan", () => {
  it("orders creations first, draws new GUID names, qualifies the role id and attaches the scanned state to the delete", () => {
    const r = resolvePlan(plan, inventory);
    expect(r.blocked).toBeUndefined();
    expect(r.operations.map((o) => o.operation.op)).toEqual(["create-role-assignment", "create-role-assignment", "delete-role-assignment"]);
    const [a, b, d] = r.operations.map((o) => o.operation) as [any, any, any]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(a.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.name).not.toBe(b.name);
    expect(a.roleDefinitionId).toBe(`${sub}${acrPull}`);
    expect(d.expected).toEqual({ roleDefinitionId: `${sub}${acrPull}`, principalId: "p1", scope: rg });
    expect(qualifiedRoleDefinitionId(acrPull, "/providers/Microsoft.Management/managementGroups/mg")).toBe(acrPull);
  });

  it("keeps only the chosen scopes and refuses scopes and roles the plan does not offer", () => {
    const r = resolvePlan(plan, inventory, { choices: { scopes: [acr("b")] } });
    expect(r.operations.map((o) => (o.operation as { scope?: string }).scope ?? "delete")).toEqual([acr("b"), "delete"]);
    expect(() => resolvePlan(plan, inventory, { choices: { scopes: [sub] } })).toThrow(PlanChoiceError);
    expect(() => resolvePlan(plan, inventory, { choices: { scopes: [] } })).toThrow(/at least one scope/);
    expect(() => resolvePlan(plan, inventory, { choices: { roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635" } })).toThrow(/not one this plan offers/);
  });

  it("blocks a plan whose automated steps follow a manual one, leaves trailing manual steps as follow-ups, and needs Kubernetes access for cluster steps", () => {
    const manualFirst: FixPlan = { ...plan, steps: [{ kind: "manual", description: "grant it by hand" }, ...plan.steps] };
    expect(resolvePlan(manualFirst, inventory).blocked).toMatch(/must be done by hand before the rest.*grant it by hand/);
    const manualLast: FixPlan = { ...plan, steps: [...plan.steps, { kind: "manual", description: "uninstall nmi" }] };
    expect(resolvePlan(manualLast, inventory)).toMatchObject({ followUps: ["uninstall nmi"] });
    expect(resolvePlan(manualLast, inventory).blocked).toBeUndefined();
    const kube: FixPlan = { id: "k", summary: "k", steps: [{ kind: "kubernetes-delete", clusterId: "/c", apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "ns", name: "b" }] };
    expect(resolvePlan(kube, inventory, { kubernetes: false }).blocked).toMatch(/no Kubernetes access/);
    const stale: FixPlan = { ...plan, steps: [{ ...plan.steps[0]!, roleAssignmentId: `${oldId.slice(0, -1)}9` } as never] };
    expect(resolvePlan(stale, inventory).blocked).toMatch(/not in the current scan/);
  });
});

describe("restoreManifest", () => {
  it("puts back the values a server-side apply replaced and leaves out the fields it added", () => {
    const applied = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "n" }, spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true", app: "x" } }, spec: { serviceAccountName: "sa" } } } };
    const before = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "n", uid: "u" }, spec: { replicas: 2, template: { metadata: { labels: { app: "old" } }, spec: { containers: [] } } } };
    expect(restoreManifest(applied, before)).toEqual({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "n" }, spec: { template: { metadata: { labels: { app: "old" } } } } });
  });
});
