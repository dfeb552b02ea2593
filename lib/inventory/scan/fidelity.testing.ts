import { addStorageAccount } from "@/lib/tenant/builder/resources";
import type { ClusterKube } from "@/lib/tenant/builder/cluster-kube";
import type { IdentityRef } from "@/lib/tenant/builder/identities";
import { TenantBuilder, type CustomRoleRef } from "@/lib/tenant/builder/tenant-builder";
import { addGeneratedCluster, type GeneratedClusterParts } from "@/lib/tenant/generators/generated-builder";
import type { TenantFile } from "@/lib/tenant/types";

/**
 * The test tenant of the real-Azure fidelity tests: grants where real tenants put them and
 * Resource Graph's defaults lose them. Two subscriptions under the management group `corp`; a
 * workload-identity cluster in `alpha` whose app `shop/api` acts as `id-app`; `id-app` holds a
 * grant at the tenant root `/`, one at `corp`, a custom role defined at `corp` and one
 * assignable only at `alpha/rg-data`.
 */
export interface FidelityTenant {
  b: TenantBuilder;
  tenant: TenantFile;
  alpha: string;
  beta: string;
  mgCorp: string;
  cluster: GeneratedClusterParts;
  /** The cluster's Kubernetes objects. */
  kube: ClusterKube;
  app: IdentityRef;
  rgData: string;
  rgApps: string;
  roles: { mgOperator: CustomRoleRef; rgDataAdmin: CustomRoleRef };
  assignments: { root: string; mg: string; mgCustom: string; rgOnlyCustom: string };
}

export function fidelityTenant(name = "fabrikam-fidelity"): FidelityTenant {
  const b = TenantBuilder.named(name);
  b.managementGroup(b.tenantId, "Tenant Root Group", null);
  const mgCorp = b.managementGroup("corp", "Corp", b.tenantId);
  const alpha = b.subscription("alpha", mgCorp).subscriptionId;
  const beta = b.subscription("beta", mgCorp).subscriptionId;

  const cluster = addGeneratedCluster(b, { subscriptionId: alpha, index: 1, name: "aks-alpha", pool: { name: "system", count: 2 } });
  const rgApps = b.resourceGroup(alpha, "rg-apps");
  const rgData = b.resourceGroup(alpha, "rg-data");
  addStorageAccount(b, rgData, "stalphaone");
  addStorageAccount(b, rgData, "stalphatwo");
  b.resourceGroup(beta, "rg-beta");

  const app = b.userAssignedIdentity(rgApps, "id-app");
  b.federatedCredential(app, "aks-alpha-shop-api", cluster.issuer, "shop", "api");
  const k = b.kube(cluster.id, "aks-alpha", [{ name: "system", vmss: "aks-system-10000000-vmss", count: 2 }], { createdAt: "2025-01-20T10:00:00Z", workloadIdentityTenantId: b.tenantId });
  k.namespace("shop");
  k.workloadIdentityServiceAccount("shop", "api", app.clientId);
  k.deployment("shop", "api", 2, {
    podLabels: { app: "api", "azure.workload.identity/use": "true" },
    serviceAccountName: "api",
    pool: "system",
    containers: [{ name: "api", image: "fabrikam.azurecr.io/shop/api:1.0.0" }],
  });

  // A custom role defined at the management group (ARM stores it at the tenant root), and one
  // assignable at one resource group only (not listed at its subscription).
  const mgOperator = b.customRole("Corp Compute Operator", "Operates compute in every Corp subscription.", { actions: ["Microsoft.Compute/*"] }, [mgCorp]);
  const rgDataAdmin = b.customRole("Corp Data Admin", "Manages the data resource group's storage.", { actions: ["Microsoft.Storage/*"] }, [rgData]);
  const assignments = {
    root: b.assign("/", "Monitoring Contributor", app),
    mg: b.assign(mgCorp, "Storage Blob Data Reader", app),
    mgCustom: b.assign(rgApps, mgOperator, app),
    rgOnlyCustom: b.assign(rgData, rgDataAdmin, app),
  };
  return { b, tenant: b.tenant, alpha, beta, mgCorp, cluster, kube: k, app, rgData, rgApps, roles: { mgOperator, rgDataAdmin }, assignments };
}
