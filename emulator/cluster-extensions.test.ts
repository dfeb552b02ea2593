import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addClusterExtension } from "@/lib/tenant/builder/extensions";
import { TenantBuilder } from "@/lib/tenant/builder/tenant-builder";
import { addGeneratedCluster } from "@/lib/tenant/generators/generated-builder";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";

/** A cluster with three extensions (Flux, Azure Backup, Dapr without an identity), served two to a page. */
function extensionTenant() {
  const b = TenantBuilder.named("fabrikam-extensions");
  const sub = b.subscription("alpha").subscriptionId;
  const cluster = addGeneratedCluster(b, { subscriptionId: sub, index: 1, name: "aks-alpha", pool: { name: "system", count: 1 } });
  const backupIdentity = b.userAssignedIdentity(cluster.nodeRgId, "azure-aks-backup-aks-alpha");
  const flux = addClusterExtension(b, { clusterId: cluster.id, name: "flux", extensionType: "microsoft.flux", releaseNamespace: "flux-system", version: "1.14.1", identity: "SystemAssigned" });
  const backup = addClusterExtension(b, {
    clusterId: cluster.id,
    name: "azure-aks-backup",
    extensionType: "microsoft.dataprotection.kubernetes",
    releaseNamespace: "dataprotection-microsoft",
    version: "0.0.2040-427",
    configurationSettings: { "configuration.backupStorageLocation.bucket": "aks-backups", "configuration.backupStorageLocation.config.storageAccount": "stbackups", "configuration.backupStorageLocation.config.resourceGroup": "rg-aks-1" },
    identity: backupIdentity,
  });
  const dapr = addClusterExtension(b, { clusterId: cluster.id, name: "dapr", extensionType: "microsoft.dapr", releaseNamespace: "dapr-system", version: "1.14.4" });
  return { tenant: b.tenant, sub, cluster, flux, backup, dapr };
}

const t = extensionTenant();
const API = "api-version=2024-11-01";
let h: EmulatorHandle;
let token: string;

beforeAll(async () => {
  h = await startEmulator({ tenant: t.tenant, pageSize: 2 });
  token = await tokenFor(h, "https://management.azure.com");
});
afterAll(async () => {
  await h?.close();
});

describe("cluster extensions (Microsoft.KubernetesConfiguration/extensions)", () => {
  it("lists a cluster's extensions in pages with nextLink, each in its GET shape", async () => {
    const first = await call(h, "GET", `${t.cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions?${API}`, { token });
    expect(first.status).toBe(200);
    expect(first.json.value).toHaveLength(2);
    expect(first.json.nextLink).toMatch(/^https:\/\/localhost:\d+\//);
    const second = await call(h, "GET", new URL(first.json.nextLink).pathname + new URL(first.json.nextLink).search, { token });
    expect(second.status).toBe(200);
    expect(second.json.nextLink).toBeUndefined();
    const all = [...first.json.value, ...second.json.value];
    expect(all.map((e: { name: string }) => e.name).sort()).toEqual(["azure-aks-backup", "dapr", "flux"]);
    expect(all.find((e: { name: string }) => e.name === "flux")).toEqual(t.flux);
    expect(h.counts()["arm:clusterExtensions"]).toBe(2);
  });

  it("gets one by id (names compare case-insensitively) and answers 404 ResourceNotFound for another", async () => {
    const got = await call(h, "GET", `${t.backup.id.replace("azure-aks-backup", "AZURE-AKS-BACKUP")}?${API}`, { token });
    expect(got.status).toBe(200);
    expect(got.json).toEqual(t.backup);
    expect(got.json.properties.aksAssignedIdentity).toEqual({ principalId: expect.any(String), tenantId: null, type: null });
    const missing = await call(h, "GET", `${t.cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions/istio?${API}`, { token });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("ResourceNotFound");
    const noCluster = await call(h, "GET", `${t.cluster.id.replace("aks-alpha", "aks-gone")}/providers/Microsoft.KubernetesConfiguration/extensions?${API}`, { token });
    expect(noCluster.status).toBe(404);
  });

  it("keeps extensions out of the subscription's generic resource list and Resource Graph's resources table", async () => {
    const listed: string[] = [];
    let next: string | undefined = `/subscriptions/${t.sub}/resources?api-version=2021-04-01`;
    while (next) {
      const page = await call(h, "GET", next, { token });
      expect(page.status).toBe(200);
      listed.push(...page.json.value.map((r: { type: string }) => r.type.toLowerCase()));
      next = page.json.nextLink ? new URL(page.json.nextLink).pathname + new URL(page.json.nextLink).search : undefined;
    }
    expect(listed).toContain("microsoft.containerservice/managedclusters");
    expect(listed).not.toContain("microsoft.kubernetesconfiguration/extensions");
    const resources = await call(h, "POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01", {
      token,
      body: JSON.stringify({ subscriptions: [t.sub], query: "resources | where type =~ 'microsoft.kubernetesconfiguration/extensions' | project id" }),
      headers: { "content-type": "application/json" },
    });
    expect(resources.json.data).toEqual([]);
  });

  it("serves them in Resource Graph's kubernetesconfigurationresources table, lower-cased type and all", async () => {
    const rows: { name: string; type: string; properties: unknown }[] = [];
    let skipToken: string | undefined;
    do {
      const res = await call(h, "POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01", {
        token,
        body: JSON.stringify({
          subscriptions: [t.sub],
          query: "kubernetesconfigurationresources | where type =~ 'microsoft.kubernetesconfiguration/extensions' | project id, name, type, properties | order by name asc",
          options: skipToken ? { $skipToken: skipToken } : {},
        }),
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(200);
      rows.push(...res.json.data);
      skipToken = res.json.$skipToken;
    } while (skipToken);
    expect(rows.map((r) => [r.name, r.type])).toEqual([
      ["azure-aks-backup", "microsoft.kubernetesconfiguration/extensions"],
      ["dapr", "microsoft.kubernetesconfiguration/extensions"],
      ["flux", "microsoft.kubernetesconfiguration/extensions"],
    ]);
    expect(rows[0]!.properties).toEqual(t.backup.properties);
  });
});
