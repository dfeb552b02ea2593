import { describe, expect, it } from "vitest";
import type { ChangeRecord } from "@/lib/store/audit";
import { buildChangeView, buildUnfinished, latestApplied } from "./changes";
import { changeVerdict, checkChangeAgainstScan } from "./verify";
import { ACR_A, assignment, PRINCIPAL, RG_ACR, wizardInventory } from "./wizard.testing";
import { BuiltinRoleId, roleDefinitionIdOf } from "@/lib/roles/catalog";

const OLD = `${RG_ACR}/providers/Microsoft.Authorization/roleAssignments/a1`;
const change = (over: Partial<ChangeRecord> = {}): ChangeRecord => ({
  id: "c1",
  kind: "apply",
  findingId: "acr-scope-too-broad-1",
  planId: "rescope",
  actor: "alice",
  startedAt: "2026-01-01T00:00:00Z",
  scopes: [],
  status: "applied",
  summary: "narrow",
  steps: [
    {
      seq: 1,
      kind: "create-role-assignment",
      targetId: `${ACR_A}/providers/Microsoft.Authorization/roleAssignments/n1`,
      status: "done",
      operation: { op: "create-role-assignment", scope: ACR_A, name: "n1", roleDefinitionId: roleDefinitionIdOf(BuiltinRoleId.AcrPull), principalId: PRINCIPAL, roleName: "AcrPull", description: "Create AcrPull" },
      before: undefined,
      after: { id: "new" },
    },
    {
      seq: 2,
      kind: "delete-role-assignment",
      targetId: OLD,
      status: "done",
      operation: { op: "delete-role-assignment", id: OLD, roleName: "AcrPull" },
      before: { id: OLD, scope: RG_ACR },
      after: undefined,
    },
  ],
  ...over,
});

describe("audit page view model", () => {
  it("shows each step's before/after as JSON and only offers undo for applied applies", () => {
    const v = buildChangeView(change());
    expect(v.tone).toBe("ok");
    expect(v.steps[0]!.description).toBe("Create AcrPull");
    expect(v.steps[0]!.before).toBeUndefined();
    expect(JSON.parse(v.steps[1]!.before!)).toEqual({ id: OLD, scope: RG_ACR });
    expect(v.canUndo).toBe(true);
    expect(v.canFinish).toBe(false);
    expect(buildChangeView(change({ status: "undone" })).canUndo).toBe(false);
    expect(buildChangeView(change({ kind: "undo" })).canUndo).toBe(false);
  });

  it("lists needs-reconcile changes with done, uncertain and not-started steps, and offers finish only without rollback steps", () => {
    const c = change({ status: "needs-reconcile" });
    c.steps[1] = { ...c.steps[1]!, status: "in-progress" };
    c.steps.push({ seq: 3, kind: "delete-role-assignment", targetId: "x", status: "planned", operation: { op: "delete-role-assignment" }, before: undefined, after: undefined });
    const [u] = buildUnfinished([change(), c]);
    expect(u).toMatchObject({ done: [1], uncertain: [2], notStarted: [3] });
    expect(u!.change.canFinish).toBe(true);
    c.steps.push({ seq: 4, kind: "rollback:delete-role-assignment", targetId: "x", status: "done", operation: {}, before: undefined, after: undefined });
    expect(buildUnfinished([c])[0]!.change.canFinish).toBe(false);
  });

  it("says which workloads an undo restarts: done pod-template writes only", () => {
    const cluster = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod";
    const write = (seq: number, kind: string, name: string, extra: Partial<ChangeRecord["steps"][number]> = {}) => ({
      seq,
      kind: "kubernetes-apply",
      targetId: `${cluster}/${kind}/${name}`,
      status: "done" as const,
      operation: { op: "kubernetes-apply", clusterId: cluster, manifest: { kind, metadata: { name, namespace: "payments" }, ...(kind === "ServiceAccount" ? {} : { spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } } } } }) } },
      before: {},
      after: {},
      ...extra,
    });
    const view = buildChangeView(
      change({
        steps: [write(1, "ServiceAccount", "api"), write(2, "Deployment", "api"), write(3, "Deployment", "worker", { status: "failed" }), write(4, "Deployment", "api", { kind: "rollback:kubernetes-apply" }), write(5, "StatefulSet", "ledger")],
      }),
    );
    expect(view.undoRestarts).toEqual(["Deployment payments/api on aks-prod", "StatefulSet payments/ledger on aks-prod"]);
    expect(buildChangeView(change()).undoRestarts).toEqual([]);
  });

  it("finds the latest applied change of a finding", () => {
    expect(latestApplied([change({ id: "u", status: "undone" }), change({ id: "a" })], "acr-scope-too-broad-1")!.id).toBe("a");
    expect(latestApplied([change()], "other")).toBeUndefined();
  });
});

describe("checkChangeAgainstScan", () => {
  it("sees the new grant present and the old assignment gone after the apply", () => {
    const after = wizardInventory([assignment("n1", ACR_A, BuiltinRoleId.AcrPull)]);
    expect(checkChangeAgainstScan(change(), after).map((c) => [c.expectation, c.ok])).toEqual([
      ["present", true],
      ["gone", true],
    ]);
  });

  it("reports a missing grant and an assignment still there", () => {
    const before = wizardInventory([assignment("a1", RG_ACR, BuiltinRoleId.AcrPull)]);
    expect(checkChangeAgainstScan(change(), before).map((c) => c.ok)).toEqual([false, false]);
  });

  it("judges a partial migration by its own writes: the credential made, the chosen binding gone, the other binding not its business", () => {
    const cluster = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";
    const identityId = `${RG_ACR}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`;
    const issuer = "https://oidc.example/aks/";
    const step = (seq: number, operation: Record<string, unknown>) => ({ seq, kind: String(operation.op), targetId: "t", status: "done" as const, operation, before: null, after: null });
    const migration = change({
      steps: [
        step(1, { op: "create-federated-credential", identityId, name: "aks-payments-api", issuer, subject: "system:serviceaccount:payments:api", audiences: ["api://AzureADTokenExchange"] }),
        step(2, { op: "kubernetes-delete", clusterId: cluster, apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", namespace: "payments", name: "api-binding" }),
      ],
    });
    const meta = (name: string) => ({ clusterId: cluster, namespace: "payments", name, labels: {}, annotations: {} });
    const inv = wizardInventory([]);
    const after = {
      ...inv,
      federatedCredentials: [{ id: `${identityId}/federatedIdentityCredentials/aks-payments-api`, name: "aks-payments-api", identityId, issuer, subject: "system:serviceaccount:payments:api", audiences: ["api://AzureADTokenExchange"] }],
      kubernetes: { ...inv.kubernetes, readClusterIds: [cluster], azureIdentityBindings: [{ ...meta("worker-binding"), azureIdentity: "worker", selector: "worker" }] },
    };
    const checks = checkChangeAgainstScan(migration, after);
    expect(checks.map((c) => [c.description, c.ok])).toEqual([
      ["federated credential aks-payments-api trusting system:serviceaccount:payments:api", true],
      ["AzureIdentityBinding payments/api-binding", true],
    ]);
    expect(changeVerdict(checks)).toEqual({ ok: true, text: "The applied plan took effect: all 2 of its writes show in the rescan." });
    // The binding still there, or the credential missing: not taken effect.
    const stale = { ...after, federatedCredentials: [], kubernetes: { ...after.kubernetes, azureIdentityBindings: [...after.kubernetes.azureIdentityBindings, { ...meta("api-binding"), azureIdentity: "api", selector: "api" }] } };
    expect(changeVerdict(checkChangeAgainstScan(migration, stale))).toMatchObject({ ok: false, text: expect.stringContaining("2 of 2 writes do not show") });
    // A cluster the rescan could not read is not judged.
    expect(checkChangeAgainstScan(migration, { ...stale, kubernetes: { ...stale.kubernetes, readClusterIds: [] } }).map((c) => c.description)).toEqual(["federated credential aks-payments-api trusting system:serviceaccount:payments:api"]);
  });
});
