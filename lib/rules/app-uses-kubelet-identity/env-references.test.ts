import { describe, expect, it } from "vitest";
import { startEmulator } from "@/emulator/server";
import { buildInventory } from "@/lib/inventory/build";
import { fidelityTenant } from "@/lib/inventory/scan/fidelity.testing";
import { collectTenant } from "@/lib/inventory/scan/index";
import type { Inventory } from "@/lib/model/types";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import type { ContainerSpec } from "@/lib/tenant/builder/pod-spec";
import type { TenantFile } from "@/lib/tenant/types";
import { buildTenant, run } from "../cluster.testing";

/**
 * Apps of the fidelity cluster that take AZURE_CLIENT_ID from elsewhere than a literal value:
 * a ConfigMap key, a whole ConfigMap (envFrom), a Secret key, and a ConfigMap key that is absent.
 * Each ConfigMap names the kubelet identity's client id.
 */
function referencesTenant() {
  const t = fidelityTenant("fabrikam-env-references");
  const { b, cluster, kube } = t;
  kube.namespace("batch");
  kube.configMap("batch", "cluster-identity", { clientId: cluster.kubelet.clientId, tenantId: b.tenantId });
  kube.configMap("batch", "azure-env", { AZURE_CLIENT_ID: cluster.kubelet.clientId, AZURE_TENANT_ID: b.tenantId });
  const app = (name: string, container: Omit<ContainerSpec, "name" | "image">) =>
    kube.deployment("batch", name, 1, { podLabels: { app: name }, pool: "system", containers: [{ name, image: `fabrikam.azurecr.io/batch/${name}:1.0.0`, ...container }] }).workloadId;
  const workloads = {
    keyRef: app("reconciler", { refEnv: { AZURE_CLIENT_ID: { configMapKeyRef: { name: "cluster-identity", key: "clientId" } } } }),
    envFrom: app("exporter", { envFrom: [{ configMapRef: { name: "azure-env" } }] }),
    prefixed: app("importer", { envFrom: [{ configMapRef: { name: "azure-env" }, prefix: "UPSTREAM_" }] }),
    secret: app("scorer", { refEnv: { AZURE_CLIENT_ID: { secretKeyRef: { name: "scorer-identity", key: "client-id" } } } }),
    missingKey: app("mailer", { refEnv: { AZURE_CLIENT_ID: { configMapKeyRef: { name: "cluster-identity", key: "client-id" } } } }),
  };
  return { ...t, tenant: b.tenant as TenantFile, workloads };
}

function expectJudged(inventory: Inventory, w: ReturnType<typeof referencesTenant>["workloads"]) {
  const flagged = run("app-uses-kubelet-identity", inventory).flatMap((f) => f.targetIds ?? []);
  expect(flagged).toEqual(expect.arrayContaining([w.keyRef, w.envFrom]));
  for (const id of [w.prefixed, w.secret, w.missingKey]) expect(flagged).not.toContain(id);
}

describe("AZURE_CLIENT_ID from a ConfigMap or Secret (app-uses-kubelet-identity)", () => {
  const t = referencesTenant();

  it("a configMapKeyRef and a ConfigMap passed whole with envFrom count; a prefixed envFrom does not set AZURE_CLIENT_ID", () => {
    expectJudged(buildTenant(t.tenant), t.workloads);
  });

  it("a Secret is never read: the scan notes that the app's identity is unknown; so it does for a ConfigMap key that is absent", () => {
    const notes = buildTenant(t.tenant).notes ?? [];
    expect(notes).toContainEqual(expect.stringMatching(/^Deployment batch\/scorer on aks-alpha: AZURE_CLIENT_ID comes from Secret batch\/scorer-identity \(key client-id\), which Scopewise does not read: which identity it uses is unknown\.$/));
    expect(notes).toContainEqual(expect.stringMatching(/^Deployment batch\/mailer on aks-alpha: AZURE_CLIENT_ID names key client-id of ConfigMap batch\/cluster-identity, which has no such key/));
  });

  it("the scan reads the ConfigMaps from the cluster (as the scopewise-reader role allows), so the same holds end to end", async () => {
    const emulator = await startEmulator({ tenant: t.tenant });
    try {
      const raw = await collectTenant(scanConfigForEmulator(emulator));
      expect(raw.errors).toEqual([]);
      expect(emulator.counts()["k8s:configmaps"]).toBeGreaterThan(0);
      expectJudged(buildInventory(raw, { scannedAt: "2026-01-01T00:00:00.000Z" }), t.workloads);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
