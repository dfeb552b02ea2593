import { describe, expect, it } from "vitest";
import { startEmulator } from "@/emulator/server";
import { buildInventory } from "@/lib/inventory/build";
import { fidelityTenant } from "@/lib/inventory/scan/fidelity.testing";
import { collectTenant } from "@/lib/inventory/scan/index";
import type { Finding } from "@/lib/model/findings";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { oidcIssuerUrl } from "@/lib/tenant/builder/clusters";
import { addGeneratedCluster } from "@/lib/tenant/generators/generated-builder";
import type { TenantFile } from "@/lib/tenant/types";
import { buildTenant, run } from "../cluster.testing";

/**
 * `id-app` of the fidelity tenant trusts, besides its own cluster: a ServiceAccount that exists on
 * `aks-beta` (in `beta`) and one that does not, an issuer of this tenant's deleted cluster, and an
 * AKS issuer of another tenant.
 */
function coverageTenant() {
  const t = fidelityTenant("fabrikam-dangling");
  const { b, app, beta } = t;
  const aksBeta = addGeneratedCluster(b, { subscriptionId: beta, index: 2, name: "aks-beta", pool: { name: "system", count: 1 } });
  const k = b.kube(aksBeta.id, "aks-beta", [{ name: "system", vmss: "aks-system-20000000-vmss", count: 1 }], { createdAt: "2025-02-01T10:00:00Z", workloadIdentityTenantId: b.tenantId });
  k.namespace("shop");
  k.workloadIdentityServiceAccount("shop", "api", app.clientId);
  const name = (id: string) => id.split("/").pop()!;
  const fics = {
    betaLive: name(b.federatedCredential(app, "aks-beta-shop-api", aksBeta.issuer, "shop", "api")),
    betaGone: name(b.federatedCredential(app, "aks-beta-shop-api-v1", aksBeta.issuer, "shop", "api-v1")),
    deletedCluster: name(b.federatedCredential(app, "aks-gamma-shop-api", oidcIssuerUrl("westeurope", b.tenantId, b.ids.guid("issuer:deleted")), "shop", "api")),
    otherTenant: name(b.federatedCredential(app, "partner-shop-api", oidcIssuerUrl("westeurope", "72f988bf-86f1-41af-91ab-2d7cd011db47", b.ids.guid("issuer:partner")), "shop", "api")),
  };
  return { ...t, tenant: b.tenant as TenantFile, aksBeta, fics };
}

const credentialNames = (findings: Finding[]) => findings.map((f) => f.targetIds![0]!.split("/").pop()!).sort();

async function scanned(tenant: TenantFile, subscriptions?: string[]): Promise<Finding[]> {
  const emulator = await startEmulator({ tenant });
  try {
    const raw = await collectTenant({ ...scanConfigForEmulator(emulator), ...(subscriptions ? { subscriptions } : {}) });
    return run("federated-credential-dangling", buildInventory(raw, { scannedAt: "2026-01-01T00:00:00.000Z" }));
  } finally {
    await emulator.close();
  }
}

describe("federated-credential-dangling proposes deleting only what the scan could see is gone", () => {
  const t = coverageTenant();

  it("a scan of every subscription: the missing ServiceAccount and this tenant's deleted cluster, never another tenant's issuer", async () => {
    expect(credentialNames(await scanned(t.tenant))).toEqual([t.fics.betaGone, t.fics.deletedCluster].sort());
  }, 60_000);

  it("a scan of `alpha` only (partial scope): an issuer no scanned cluster has may be a cluster in `beta`, so nothing", async () => {
    expect(credentialNames(await scanned(t.tenant, [t.alpha]))).toEqual([]);
  }, 60_000);

  it("a cluster list that failed, or a cluster whose Kubernetes API was not read: unknown, not dangling", () => {
    const failed = buildTenant(t.tenant, (raw) => {
      raw.errors.push({ source: "arm:managedClusters", scope: `/subscriptions/${t.beta}`, message: "Forbidden", status: 403, code: "AuthorizationFailed" });
    });
    expect(credentialNames(run("federated-credential-dangling", failed))).toEqual([t.fics.betaGone]);
    const kubeUnread = buildTenant(t.tenant, (raw) => {
      delete raw.kubernetes[t.aksBeta.id];
      raw.kubernetesRead = raw.kubernetesRead.filter((id) => id !== t.aksBeta.id);
      raw.errors.push({ source: "kubernetes:cluster", cluster: t.aksBeta.id, message: "connect ETIMEDOUT; its workloads were not read" });
    });
    expect(credentialNames(run("federated-credential-dangling", kubeUnread))).toEqual([t.fics.deletedCluster]);
  });
});
