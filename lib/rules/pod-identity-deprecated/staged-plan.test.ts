import { describe, expect, it } from "vitest";
import type { FixStep } from "@/lib/model/findings";
import { MigrationChoiceError } from "@/lib/model/staged-migration";
import { demoScan } from "@/lib/testing/demo-scan";
import { listMigrationBindings, planStagedMigration } from "./staged-plan";

const podIdentityCluster = () => {
  const { inventory, findings } = demoScan();
  const finding = findings.find((f) => f.ruleId === "pod-identity-deprecated" && f.clusterId?.endsWith("/aks-payments-prod"))!;
  return { inventory, clusterId: finding.clusterId! };
};

const deletes = (steps: FixStep[]) => steps.flatMap((s) => (s.kind === "kubernetes-delete" ? [`${s.objectKind} ${s.namespace}/${s.name}`] : []));
const targets = (steps: FixStep[]) =>
  steps.map((s) => (s.kind === "kubernetes-apply" ? `${String(s.manifest.kind)} ${String((s.manifest.metadata as { namespace: string }).namespace)}/${String((s.manifest.metadata as { name: string }).name)}` : s.kind === "create-federated-credential" ? s.subject : s.kind));

describe("staged migration planner", () => {
  it("lists every binding of the cluster with its identity and the workloads it selects", () => {
    const { inventory, clusterId } = podIdentityCluster();
    const bindings = listMigrationBindings(inventory, clusterId);
    expect(bindings.map((b) => b.key)).toEqual(
      expect.arrayContaining(["payments/receipts-reader-binding", "payments/notifier-binding", "payments/ledger-writer-binding", "payments/fx-rates-binding"]),
    );
    const receipts = bindings.find((b) => b.key === "payments/receipts-reader-binding")!;
    expect(receipts).toMatchObject({ identityName: "id-payments-receipts", azureIdentity: "payments/receipts-reader", appRegistration: false });
    expect(receipts.workloads.map((w) => `${w.namespace}/${w.name}`)).toEqual(["payments/receipts-api", "payments-canary/receipts-api"]);
    expect(bindings.find((b) => b.key === "payments/fx-rates-binding")!.appRegistration).toBe(true);
  });

  it("plans only the chosen bindings, each split into credential, annotate and delete phases", () => {
    const { inventory, clusterId } = podIdentityCluster();
    const plan = planStagedMigration(inventory, clusterId, ["payments/notifier-binding", "payments/ledger-writer-binding"]);
    expect(plan.blocked).toBeUndefined();
    expect(plan.bindings.map((b) => b.key)).toEqual(["payments/notifier-binding", "payments/ledger-writer-binding"]);
    const notifier = plan.bindings[0]!;
    expect(targets(notifier.steps.credential)).toEqual(["system:serviceaccount:payments:notifier"]);
    expect(targets(notifier.steps.annotate)).toEqual(["ServiceAccount payments/notifier", "Deployment payments/notifier"]);
    expect(deletes(notifier.steps.delete)).toEqual(["AzureIdentityBinding payments/notifier-binding", "AzureIdentity payments/notifier"]);
    // Nothing of a binding that was not chosen appears anywhere in the plan.
    const all = JSON.stringify(plan);
    for (const other of ["receipts", "settlement", "fx-rates", "report-builder"]) expect(all).not.toContain(other);
  });

  it("deletes a shared AzureIdentity only when every binding using it is chosen, after the last of them", () => {
    const { inventory, clusterId } = podIdentityCluster();
    const shared = structuredClone(inventory);
    // A second binding of the notifier AzureIdentity.
    const original = shared.kubernetes.azureIdentityBindings.find((b) => b.name === "notifier-binding")!;
    shared.kubernetes.azureIdentityBindings.push({ ...original, name: "notifier-binding-2", selector: "notifier-2" });
    const one = planStagedMigration(shared, clusterId, ["payments/notifier-binding"]);
    expect(deletes(one.bindings[0]!.steps.delete)).toEqual(["AzureIdentityBinding payments/notifier-binding"]);
    const both = planStagedMigration(shared, clusterId, ["payments/notifier-binding", "payments/notifier-binding-2"]);
    expect(deletes(both.bindings[0]!.steps.delete)).toEqual(["AzureIdentityBinding payments/notifier-binding"]);
    expect(deletes(both.bindings[1]!.steps.delete)).toEqual(["AzureIdentityBinding payments/notifier-binding-2", "AzureIdentity payments/notifier"]);
  });

  it("an app-registration binding gets its credential on the application (Microsoft Graph)", () => {
    const { inventory, clusterId } = podIdentityCluster();
    const plan = planStagedMigration(inventory, clusterId, ["payments/fx-rates-binding"]);
    expect(plan.bindings[0]!.steps.credential.map((s) => s.kind)).toEqual(["create-app-federated-credential"]);
  });

  it("refuses a binding the cluster does not have, naming it and the ones it has", () => {
    const { inventory, clusterId } = podIdentityCluster();
    expect(() => planStagedMigration(inventory, clusterId, ["payments/nope"])).toThrow(MigrationChoiceError);
    expect(() => planStagedMigration(inventory, clusterId, ["payments/nope"])).toThrow(/no binding payments\/nope \(it has: .*payments\/notifier-binding/);
    expect(() => planStagedMigration(inventory, clusterId, [])).toThrow(/at least one binding/);
  });
});
