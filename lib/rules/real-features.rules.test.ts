import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { fidelityTenant } from "@/lib/inventory/scan/fidelity.testing";
import { realKubernetesObjects } from "@/lib/kubernetes/testdata/real-examples";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { IdentityKind, type Inventory } from "@/lib/model/types";
import { oidcIssuerUrl } from "@/lib/tenant/builder/clusters";
import { addClusterExtension } from "@/lib/tenant/builder/extensions";
import { addDnsZone, addKeyVault } from "@/lib/tenant/builder/resources";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import { evaluateRules } from "./evaluate";

/**
 * Features the rules learnt from real clusters, on the fidelity tenant plus `aks-edge` in `beta`:
 * the application routing add-on with one managed DNS zone, Flux and Azure Backup cluster
 * extensions, and workload identity from the project's Helm chart instead of the AKS flag.
 */
function featuresTenant(o: { helmWebhook: boolean }) {
  const t = fidelityTenant("fabrikam-features");
  const { b, beta, cluster, rgData } = t;
  const rgEdge = b.resourceGroup(beta, "rg-edge");
  const nodeRg = "MC_rg-edge_aks-edge_westeurope";
  const edgeId = `${rgEdge}/providers/Microsoft.ContainerService/managedClusters/aks-edge`;
  const nodeRgId = b.resourceGroup(beta, nodeRg, { managedBy: edgeId });
  const zone = addDnsZone(b, rgEdge, "edge.fabrikam.example", 4);
  const vault = addKeyVault(b, rgEdge, "kv-edge-certs").id;
  const routing = b.userAssignedIdentity(nodeRgId, "webapprouting-aks-edge");
  const kubelet = b.userAssignedIdentity(nodeRgId, "aks-edge-agentpool");
  const issuer = oidcIssuerUrl("westeurope", b.tenantId, b.ids.guid("issuer:edge"));
  b.cluster({
    rgId: rgEdge,
    name: "aks-edge",
    nodeResourceGroup: nodeRg,
    controlPlane: b.userAssignedIdentity(rgEdge, "aks-edge-control-plane"),
    kubelet,
    pools: [{ name: "system", count: 2 }],
    oidcIssuer: issuer,
    // Workload identity comes from the Helm chart (or nowhere): the AKS feature is off.
    workloadIdentity: false,
    fqdnHash: "7c1e2d4a",
    webAppRouting: { identity: routing, dnsZoneResourceIds: [zone] },
  });
  const flux = addClusterExtension(b, { clusterId: edgeId, name: "flux", extensionType: "microsoft.flux", releaseNamespace: "flux-system", version: "1.14.1", identity: "SystemAssigned" });
  const fluxIdentity = b.tenant.principals.find((p) => (p as { alternativeNames?: string[] }).alternativeNames?.includes(flux.id)) as { id: string } | undefined;
  const backupIdentity = b.userAssignedIdentity(cluster.nodeRgId, "azure-aks-backup-aks-alpha");
  addClusterExtension(b, {
    clusterId: cluster.id,
    name: "azure-aks-backup",
    extensionType: "microsoft.dataprotection.kubernetes",
    releaseNamespace: "dataprotection-microsoft",
    version: "0.0.2040-427",
    configurationSettings: {
      "configuration.backupStorageLocation.bucket": "aks-backups",
      "configuration.backupStorageLocation.config.storageAccount": "stalphaone",
      "configuration.backupStorageLocation.config.resourceGroup": "rg-data",
    },
    identity: backupIdentity,
  });
  const grants = {
    routingZone: b.assign(zone, "DNS Zone Contributor", routing),
    routingSecrets: b.assign(vault, "Key Vault Secrets User", routing),
    routingCertOfficer: b.assign(vault, "Key Vault Certificates Officer", routing),
    fluxReader: b.assign(rgEdge, "Reader", { id: fluxIdentity!.id, displayName: "flux-aks-edge", principalType: "ServicePrincipal" }),
    backupBlob: b.assign(`${rgData}/providers/Microsoft.Storage/storageAccounts/stalphaone`, "Storage Blob Data Contributor", backupIdentity),
    backupSecrets: b.assign(vault, "Key Vault Secrets User", backupIdentity),
  };

  // Three workload-identity apps on aks-edge, each set up right but for the feature itself.
  const k = b.kube(edgeId, "aks-edge", [{ name: "system", vmss: "aks-system-20000000-vmss", count: 2 }], { createdAt: "2025-03-01T10:00:00Z", workloadIdentityTenantId: b.tenantId });
  k.namespace("edge");
  for (const app of ["gateway", "resizer", "purger"]) {
    const id = b.userAssignedIdentity(rgEdge, `id-edge-${app}`);
    b.federatedCredential(id, `aks-edge-edge-${app}`, issuer, "edge", app);
    k.workloadIdentityServiceAccount("edge", app, id.clientId);
    k.deployment("edge", app, 1, { podLabels: { app, "azure.workload.identity/use": "true" }, serviceAccountName: app, pool: "system", containers: [{ name: app, image: `fabrikam.azurecr.io/edge/${app}:1.0.0` }] });
  }
  if (o.helmWebhook) {
    // The webhook Deployment exactly as the project's release manifest ships it (lib/kubernetes/testdata/PROVENANCE.md).
    k.objects.push(...realKubernetesObjects().filter((x) => x.kind === "Deployment" && x.metadata?.name === "azure-wi-webhook-controller-manager"));
  }
  return { ...t, tenant: b.tenant as TenantFile, edgeId, routing, backupIdentity, fluxPrincipalId: fluxIdentity!.id, grants };
}

function inventoryOf(tenant: TenantFile): Inventory {
  return buildInventory(rawFromTenant(parseTenant(JSON.parse(JSON.stringify(tenant)))), { scannedAt: "2026-01-01T00:00:00.000Z" });
}

const rulesOn = (findings: Finding[], assignment: string) =>
  findings
    .filter((f) => normalizeId(f.roleAssignmentId ?? "") === normalizeId(assignment))
    .map((f) => f.ruleId)
    .sort();

describe("add-on and extension identities are judged by their role profiles", () => {
  const t = featuresTenant({ helmWebhook: true });
  const inventory = inventoryOf(t.tenant);
  const findings = evaluateRules(inventory);
  const identity = (principalId: string) => inventory.identities.find((i) => i.principalId === principalId)!;

  it("the application routing identity is an add-on (webAppRouting); its zone and vault grants are its profile, anything else is extra", () => {
    expect(identity(t.routing.principalId)).toMatchObject({ kind: IdentityKind.Addon });
    expect(identity(t.routing.principalId).uses).toEqual([expect.objectContaining({ kind: IdentityKind.Addon, addon: "webAppRouting", clusterId: t.edgeId })]);
    expect(rulesOn(findings, t.grants.routingZone)).toEqual([]);
    expect(rulesOn(findings, t.grants.routingSecrets)).toEqual([]);
    expect(rulesOn(findings, t.grants.routingCertOfficer)).toEqual(["aks-identity-extra-role"]);
  });

  it("the Azure Backup extension's identity is an add-on; Storage Blob Data Contributor on its backup account is its profile", () => {
    expect(identity(t.backupIdentity.principalId).uses).toEqual([expect.objectContaining({ kind: IdentityKind.Addon, addon: "microsoft.dataprotection.kubernetes" })]);
    expect(rulesOn(findings, t.grants.backupBlob)).toEqual([]);
    const [extra] = findings.filter((f) => normalizeId(f.roleAssignmentId ?? "") === normalizeId(t.grants.backupSecrets) && f.ruleId === "aks-identity-extra-role");
    expect(extra?.message).toMatch(/\(microsoft.dataprotection.kubernetes add-on of aks-alpha\) holds Key Vault Secrets User/);
  });

  it("the Flux extension's identity is an add-on whose profile holds no Azure role: Reader is extra", () => {
    expect(identity(t.fluxPrincipalId).uses).toEqual([expect.objectContaining({ kind: IdentityKind.Addon, addon: "microsoft.flux", clusterId: t.edgeId })]);
    expect(rulesOn(findings, t.grants.fluxReader)).toEqual(["aks-identity-extra-role"]);
  });

  it("a Helm-installed workload-identity webhook counts: no workload-identity-misconfigured on aks-edge", () => {
    expect(findings.filter((f) => f.ruleId === "workload-identity-misconfigured" && f.clusterId && normalizeId(f.clusterId) === normalizeId(t.edgeId))).toEqual([]);
  });
});

describe("workload identity unavailable on a cluster", () => {
  it("is one workload-identity-misconfigured finding for the cluster, not one per ServiceAccount", () => {
    const t = featuresTenant({ helmWebhook: false });
    const findings = evaluateRules(inventoryOf(t.tenant)).filter((f) => f.ruleId === "workload-identity-misconfigured" && f.clusterId && normalizeId(f.clusterId) === normalizeId(t.edgeId));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/3 /);
  });
});
