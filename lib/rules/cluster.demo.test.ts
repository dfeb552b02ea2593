import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import type { Finding } from "@/lib/model/findings";
import { parseTenant } from "@/lib/tenant/schema";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { evaluateRules } from "./evaluate";
import { clusterRules } from "./registry.cluster";

const root = path.resolve(__dirname, "../..");
const tenantFile = parseTenant(JSON.parse(readFileSync(path.join(root, "fixtures/tenants/demo.json"), "utf8")), "demo.json");
const expectations = JSON.parse(readFileSync(path.join(root, "fixtures/tenants/demo.expectations.json"), "utf8")) as {
  rules: Record<string, { expected: Entry[]; nearMisses: Entry[] }>;
};
interface Entry {
  ruleId: string;
  principalId?: string;
  objectId?: string;
  roleAssignmentId?: string;
  baseSeverity?: string;
}

const inventory = buildInventory(rawFromTenant(tenantFile), { scannedAt: "2026-01-01T00:00:00.000Z" });
const ids = clusterRules.map((r) => r.meta.id);
const findings = evaluateRules(inventory, { only: ids });

const PAY = "/subscriptions/e6fcd4ae-4821-5620-91db-dbaf2546de43";
const DEV = "/subscriptions/ca22eaab-982d-58df-89be-88eed74c463b";
const PAY_PROD = `${PAY}/resourceGroups/rg-payments-aks/providers/Microsoft.ContainerService/managedClusters/aks-payments-prod`;
const ORDERS = `${PAY}/resourceGroups/rg-orders-aks/providers/Microsoft.ContainerService/managedClusters/aks-orders-prod`;
const PAY_DEV = `${DEV}/resourceGroups/rg-dev-aks/providers/Microsoft.ContainerService/managedClusters/aks-payments-dev`;
const ORDERS_IDS = `${PAY}/resourceGroups/rg-orders-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;

/** What a finding is about: its first target object, else its role assignment. */
const targetOf = (f: Finding) => f.targetIds?.[0] ?? f.roleAssignmentId ?? "";
const row = (ruleId: string, target: string, principalId = "") => `${ruleId} | ${target.toLowerCase()} | ${principalId}`;
const actualRows = findings.map((f) => row(f.ruleId, targetOf(f), f.principalId ?? ""));

/** The demo's story, per RULES.md: one true instance (or more) per rule, nothing on the near-misses. */
const EXPECTED: [rule: string, target: string, principalId?: string][] = [
  ["app-uses-kubelet-identity", `${PAY_PROD}/namespaces/payments/Deployment/reconciliation-job`, "83b12888-6814-5a60-a2db-09a16cf6dbd8"],
  // Its AZURE_CLIENT_ID comes from ConfigMap payments/cluster-identity (configMapKeyRef).
  ["app-uses-kubelet-identity", `${PAY_PROD}/namespaces/payments/Deployment/statement-archiver`, "83b12888-6814-5a60-a2db-09a16cf6dbd8"],
  ["shared-app-identity", `${ORDERS_IDS}/id-orders-common`, "3ab93260-62e6-5dda-874c-f6f5573ab7e7"],
  ["pod-identity-deprecated", PAY_PROD],
  ["pod-identity-secret-credential", `${PAY_PROD}/namespaces/payments/azureidentities/fx-rates-sp`, "1e6424ad-765b-5820-bc82-3f61524b52bc"],
  ["pod-identity-not-namespaced", `${PAY_PROD}/namespaces/payments/azureidentities/receipts-reader`, "d923b262-0f66-5768-b216-85b3d56f6533"],
  ["cluster-uses-service-principal", PAY_DEV, "994cff10-f076-507f-a22f-3bb5442cf836"],
  ["federated-credential-dangling", `${ORDERS_IDS}/id-orders-api/federatedIdentityCredentials/aks-orders-prod-orders-orders-api-v1`, "dd40d621-a3f1-5890-9adf-c94f7f2798fe"],
  ["federated-credential-dangling", `${ORDERS_IDS}/id-orders-api/federatedIdentityCredentials/aks-orders-prod-2023-orders-api`, "dd40d621-a3f1-5890-9adf-c94f7f2798fe"],
  ["workload-identity-misconfigured", `${ORDERS}/namespaces/orders/serviceaccounts/inventory-sync`, "1956d471-9775-5eff-b423-09f3723383a8"],
  ["workload-identity-misconfigured", `${ORDERS}/namespaces/orders/serviceaccounts/invoice-renderer`, "6ec5e4fa-83b9-564a-a432-fbba5fd8db6d"],
  [
    "orphaned-role-assignment",
    `${PAY}/resourceGroups/rg-payments-data/providers/Microsoft.Storage/storageAccounts/stpayreceiptsweuprod/providers/Microsoft.Authorization/roleAssignments/dd0317b7-d494-51ba-b886-731059d22753`,
    "ae9117fd-afb3-5388-9adf-91717a6931b1",
  ],
  ["unused-identity", `${PAY}/resourceGroups/rg-payments-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-legacy-etl`, "93d66963-a7de-584f-9b99-d3eb2c87a5dc"],
  ["federated-credential-limit", `${ORDERS_IDS}/id-orders-merchant-export`, "38ec00a5-06f1-57a2-9e1b-d47d552deccd"],
  // aad-pod-identity's MIC reads azure.json by design (pod-identity-deprecated's evidence); AKS's CSI node plugins are the platform.
  ["pod-mounts-azure-json", `${PAY_DEV}/namespaces/monitoring/pods/node-problem-exporter-m7t4n`],
  ["pod-mounts-azure-json", `${PAY_DEV}/namespaces/monitoring/pods/node-problem-exporter-7svsm`],
];

describe("cluster rules on the demo tenant", () => {
  it("builds the demo inventory without errors", () => {
    expect(inventory.errors).toEqual([]);
  });

  it("yields exactly the expected findings, rule by rule", () => {
    expect([...actualRows].sort()).toEqual(EXPECTED.map(([r, t, p]) => row(r, t, p ?? "")).sort());
  });

  it("fires every rule of the group at least once", () => {
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(ids));
  });

  it("agrees with fixtures/tenants/demo.expectations.json (expected set, base severities, near-misses)", () => {
    for (const id of ids) {
      const spec = expectations.rules[id]!;
      const mine = findings.filter((f) => f.ruleId === id);
      const want = spec.expected.map((e) => row(id, e.objectId ?? e.roleAssignmentId ?? "", e.principalId ?? "")).sort();
      expect(mine.map((f) => row(id, targetOf(f), f.principalId ?? "")).sort(), id).toEqual(want);
      for (const e of spec.expected) {
        const f = mine.find((x) => targetOf(x).toLowerCase() === (e.objectId ?? e.roleAssignmentId ?? "").toLowerCase());
        expect(f?.baseSeverity, `${id} ${e.objectId ?? e.roleAssignmentId}`).toBe(e.baseSeverity);
      }
      for (const n of spec.nearMisses) {
        const hit = mine.find(
          (f) =>
            (n.objectId && (f.targetIds ?? []).some((t) => t.toLowerCase() === n.objectId!.toLowerCase())) ||
            (n.roleAssignmentId && f.roleAssignmentId?.toLowerCase() === n.roleAssignmentId.toLowerCase()) ||
            (!n.objectId && !n.roleAssignmentId && n.principalId && f.principalId === n.principalId),
        );
        expect(hit, `${id} near-miss ${n.objectId ?? n.roleAssignmentId ?? n.principalId}`).toBeUndefined();
      }
    }
  });

  it("gives every finding a message with names, evidence with sources, and a fix plan with steps", () => {
    for (const f of findings) {
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.message).not.toMatch(/undefined/);
      expect(f.evidence.length).toBeGreaterThan(0);
      for (const e of f.evidence) expect(e.source).toBeTruthy();
      expect(f.fixes.length).toBeGreaterThan(0);
      for (const p of f.fixes) expect(p.steps.length).toBeGreaterThan(0);
      expect(JSON.stringify(f.fixes)).not.toMatch(/undefined|<[a-z-]+>/);
    }
  });
});
