import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { ChangeStatus } from "@/lib/store/audit";
import { applyPlan, undoChange } from "./apply";
import { listAppFederatedCredentials } from "@/lib/azure/app-federated-credentials";
import { executeOperation, inverseOperation } from "./ops";
import { startHarness, type Harness } from "./testdata/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenantFile: "fixtures/tenants/demo.json" });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** The demo's legacy AzureIdentity payments/fx-rates-sp (type 1) names this app registration. */
const FX_APP_ID = "0b05bf54-fbdc-5aba-b53d-078c5e3c96bd";
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/a157fbae-9d82-55ef-880c-0a8e7481b306/77775924-2ab8-5d80-a71a-69e867d2ed7d/";

const migrationOf = (findings: Finding[]) => findings.find((f) => f.ruleId === "pod-identity-deprecated" && f.clusterId?.endsWith("/aks-payments-prod"));

describe("the app-registration half of the pod-identity migration, against the emulator's Graph", () => {
  it("applies both demo migration plans: pod-identity-deprecated resolves for aks-payments-prod; undoing both brings it back", async () => {
    const first = await h.scan();
    const finding = migrationOf(first.findings)!;
    expect(finding.fixes.map((p) => p.id)).toEqual(["migrate-to-workload-identity", "migrate-app-registrations"]);
    const appPlan = finding.fixes[1]!;
    const dry = await applyPlan(appPlan, { ...h.options(first.inventory, finding), dryRun: true });
    expect(dry.blocked).toBeUndefined();
    expect(dry.steps[0]).toMatchObject({ op: "create-app-federated-credential", target: `/applications(appId='${FX_APP_ID}')/federatedIdentityCredentials/aks-payments-prod-payments-fx-rates-sync` });

    const managed = await applyPlan(finding.fixes[0]!, h.options(first.inventory, finding));
    expect(managed.status).toBe(ChangeStatus.Applied);
    const middle = await h.scan();
    const remaining = migrationOf(middle.findings)!;
    // Only the app registration's binding is left: its plan is the one still offered.
    expect(remaining.fixes.map((p) => p.id)).toEqual(["migrate-app-registrations"]);

    const apps = await applyPlan(remaining.fixes[0]!, h.options(middle.inventory, remaining));
    expect(apps.status).toBe(ChangeStatus.Applied);
    expect(apps.steps.every((s) => s.state === "done")).toBe(true);
    const fics = await listAppFederatedCredentials(h.azure, FX_APP_ID);
    expect(fics).toEqual([expect.objectContaining({ issuer: ISSUER, subject: "system:serviceaccount:payments:fx-rates-sync", audiences: ["api://AzureADTokenExchange"] })]);

    const after = await h.scan();
    expect(migrationOf(after.findings)).toBeUndefined();
    expect(after.inventory.kubernetes.azureIdentities.filter((a) => normalizeId(a.clusterId) === normalizeId(finding.clusterId!))).toEqual([]);

    const undoOptions = { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: first.inventory.subscriptions[0]!.subscriptionId };
    expect((await undoChange(apps.changeId!, undoOptions)).status).toBe(ChangeStatus.Applied);
    expect(await listAppFederatedCredentials(h.azure, FX_APP_ID)).toEqual([]);
    expect((await undoChange(managed.changeId!, undoOptions)).status).toBe(ChangeStatus.Applied);
    const restored = await h.scan();
    const back = migrationOf(restored.findings)!;
    expect(back.id).toBe(finding.id);
    expect(back.fixes.map((p) => p.id)).toEqual(["migrate-to-workload-identity", "migrate-app-registrations"]);
  });

  it("counts a credential that already trusts the same issuer and subject as done, and undo leaves it", async () => {
    const ctx = { azure: h.azure, kube: h.kube, fallbackSubscriptionId: "unused" };
    const op = { op: "create-app-federated-credential" as const, appId: FX_APP_ID, name: "pre-existing", issuer: ISSUER, subject: "system:serviceaccount:payments:other", audiences: ["api://AzureADTokenExchange"] };
    const created = await executeOperation(ctx, op);
    expect(created.noop).toBeUndefined();
    expect(inverseOperation(op, created)).toEqual({ op: "delete-app-federated-credential", appId: FX_APP_ID, name: "pre-existing", missingIsDone: true });
    const again = await executeOperation(ctx, { ...op, name: "another-name" });
    expect(again).toMatchObject({ noop: true, note: "federated credential pre-existing already trusts the same issuer and subject: counted as done" });
    expect(inverseOperation({ ...op, name: "another-name" }, again)).toBeUndefined();
    // Same name, different trust: refused rather than overwritten.
    await expect(executeOperation(ctx, { ...op, subject: "system:serviceaccount:payments:intruder" })).rejects.toThrow(/already exists trusting .*payments:other; it was not changed/);
    const deleted = await executeOperation(ctx, inverseOperation(op, created)!);
    expect(deleted.before).toMatchObject({ name: "pre-existing", subject: op.subject });
    expect(await listAppFederatedCredentials(h.azure, FX_APP_ID)).toEqual([]);
    expect(inverseOperation({ op: "delete-app-federated-credential", appId: FX_APP_ID, name: "pre-existing" }, deleted)).toEqual({ ...op });
  });

  it("a Graph refusal surfaces with its status and code", async () => {
    const ctx = { azure: h.azure, kube: h.kube, fallbackSubscriptionId: "unused" };
    h.emu.failWrite({ nth: 1, status: 403 });
    await expect(
      executeOperation(ctx, { op: "create-app-federated-credential", appId: FX_APP_ID, name: "refused", issuer: ISSUER, subject: "system:serviceaccount:payments:x", audiences: ["api://AzureADTokenExchange"] }),
    ).rejects.toMatchObject({ status: 403, code: "Authorization_RequestDenied" });
    await expect(executeOperation(ctx, { op: "create-app-federated-credential", appId: "00000000-0000-4000-8000-00000000abcd", name: "n", issuer: ISSUER, subject: "s", audiences: ["a"] })).rejects.toMatchObject({ status: 404 });
  });
});
