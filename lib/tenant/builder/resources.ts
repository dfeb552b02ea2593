import { resourceIdOf, subnetsWire, type ArmResource } from "./arm";
import { SCALE_SET_TYPE, userAssignedIdentitiesOf, type IdentityIds } from "./clusters";
import type { TenantBuilder } from "./tenant-builder";

/**
 * The resources AKS identities are granted roles on, in the GET shapes their providers return
 * (realistic property sets, hardened defaults): virtual networks, registries, DNS zones,
 * storage accounts, key vaults, Service Bus namespaces and node-pool scale sets.
 */

export interface VnetRef {
  id: string;
  subnet(name: string): string;
}

export function addVirtualNetwork(b: TenantBuilder, rgId: string, name: string, prefix: string, subnets: { name: string; prefix: string; routeTable?: string }[]): VnetRef {
  const id = resourceIdOf(rgId, "Microsoft.Network/virtualNetworks", name);
  b.resource(rgId, "Microsoft.Network/virtualNetworks", name, {
    etag: `W/"${b.ids.guid(`etag:${id}`)}"`,
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: b.ids.guid(`guid:${id}`),
      addressSpace: { addressPrefixes: [prefix] },
      enableDdosProtection: false,
      subnets: subnetsWire(
        id,
        subnets.map((s) => ({ name: s.name, addressPrefix: s.prefix, routeTable: s.routeTable, properties: { privateEndpointNetworkPolicies: "Disabled", privateLinkServiceNetworkPolicies: "Enabled" } })),
        { provisioningState: "Succeeded" },
      ),
      virtualNetworkPeerings: [],
    },
  });
  return {
    id,
    subnet(n: string) {
      if (!subnets.some((s) => s.name === n)) throw new Error(`${name} has no subnet ${n}`);
      return `${id}/subnets/${n}`;
    },
  };
}

export function addRegistry(b: TenantBuilder, rgId: string, name: string, sku: "Basic" | "Standard" | "Premium"): ArmResource {
  return b.resource(rgId, "Microsoft.ContainerRegistry/registries", name, {
    sku: { name: sku, tier: sku },
    properties: {
      loginServer: `${name}.azurecr.io`,
      creationDate: "2022-09-14T10:12:03.4181432Z",
      provisioningState: "Succeeded",
      adminUserEnabled: false,
      publicNetworkAccess: sku === "Premium" ? "Disabled" : "Enabled",
      anonymousPullEnabled: false,
      zoneRedundancy: sku === "Premium" ? "Enabled" : "Disabled",
    },
  });
}

const NAME_SERVERS = ["ns1-03.azure-dns.com.", "ns2-03.azure-dns.net.", "ns3-03.azure-dns.org.", "ns4-03.azure-dns.info."];

export function addDnsZone(b: TenantBuilder, rgId: string, name: string, records: number): string {
  return b.resource(rgId, "Microsoft.Network/dnszones", name, {
    location: "global",
    etag: b.ids.guid(`etag:${name}`),
    properties: { maxNumberOfRecordSets: 10000, numberOfRecordSets: records, nameServers: NAME_SERVERS, zoneType: "Public" },
  }).id;
}

export function addPrivateDnsZone(b: TenantBuilder, rgId: string, name: string, records: number): string {
  return b.resource(rgId, "Microsoft.Network/privateDnsZones", name, {
    location: "global",
    etag: b.ids.guid(`etag:${name}`),
    properties: {
      maxNumberOfRecordSets: 25000,
      numberOfRecordSets: records,
      maxNumberOfVirtualNetworkLinks: 1000,
      numberOfVirtualNetworkLinks: 2,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      numberOfVirtualNetworkLinksWithRegistration: 0,
      provisioningState: "Succeeded",
    },
  }).id;
}

export function addStorageAccount(b: TenantBuilder, rgId: string, name: string): ArmResource {
  const endpoint = (service: string) => `https://${name}.${service}.core.windows.net/`;
  return b.resource(rgId, "Microsoft.Storage/storageAccounts", name, {
    kind: "StorageV2",
    sku: { name: "Standard_ZRS", tier: "Standard" },
    properties: {
      provisioningState: "Succeeded",
      primaryEndpoints: { blob: endpoint("blob"), queue: endpoint("queue"), table: endpoint("table"), file: endpoint("file") },
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      minimumTlsVersion: "TLS1_2",
      supportsHttpsTrafficOnly: true,
      publicNetworkAccess: "Disabled",
      accessTier: "Hot",
    },
  });
}

export function addKeyVault(b: TenantBuilder, rgId: string, name: string): ArmResource {
  return b.resource(rgId, "Microsoft.KeyVault/vaults", name, {
    properties: {
      tenantId: b.tenantId,
      sku: { family: "A", name: "standard" },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      vaultUri: `https://${name}.vault.azure.net/`,
      publicNetworkAccess: "Disabled",
      provisioningState: "Succeeded",
    },
  });
}

export function addServiceBus(b: TenantBuilder, rgId: string, name: string): ArmResource {
  return b.resource(rgId, "Microsoft.ServiceBus/namespaces", name, {
    sku: { name: "Premium", tier: "Premium", capacity: 1 },
    properties: {
      provisioningState: "Succeeded",
      status: "Active",
      serviceBusEndpoint: `https://${name}.servicebus.windows.net:443/`,
      disableLocalAuth: true,
      zoneRedundant: true,
      minimumTlsVersion: "1.2",
      publicNetworkAccess: "Disabled",
    },
  });
}

export interface ScaleSetSpec {
  /** The scale set's name (the node pool's `vmss`). */
  vmss: string;
  pool: string;
  count: number;
  vmSize: string;
  clusterName: string;
  kubernetesVersion: string;
  /** Identities attached to the VMs: kubelet, add-ons, and what aad-pod-identity's MIC adds. */
  identities: IdentityIds[];
}

/** An AKS node pool's scale set in the node resource group. */
export function addScaleSet(b: TenantBuilder, nodeRgId: string, s: ScaleSetSpec): ArmResource {
  return b.resource(nodeRgId, SCALE_SET_TYPE, s.vmss, {
    sku: { name: s.vmSize, tier: "Standard", capacity: s.count },
    tags: { "aks-managed-poolName": s.pool, "aks-managed-orchestrator": `Kubernetes:${s.kubernetesVersion}`, "aks-managed-cluster-name": s.clusterName, "aks-managed-createOperationID": b.ids.guid(`op:${s.vmss}`) },
    ...(s.identities.length ? { identity: { type: "UserAssigned", userAssignedIdentities: userAssignedIdentitiesOf(s.identities, { echoed: true }) } } : {}),
    properties: {
      provisioningState: "Succeeded",
      orchestrationMode: "Uniform",
      singlePlacementGroup: false,
      overprovision: false,
      upgradePolicy: { mode: "Manual" },
      uniqueId: b.ids.guid(`vmss:${s.vmss}`),
      virtualMachineProfile: {
        osProfile: { computerNamePrefix: s.vmss, adminUsername: "azureuser", linuxConfiguration: { disablePasswordAuthentication: true } },
        storageProfile: {
          imageReference: { id: "/subscriptions/109a5e88-712a-48ae-9078-9ca8b3c81345/resourceGroups/AKS-Ubuntu/providers/Microsoft.Compute/galleries/AKSUbuntu/images/2204gen2containerd/versions/202501.12.0" },
          osDisk: { createOption: "FromImage", caching: "ReadOnly", diffDiskSettings: { option: "Local", placement: "ResourceDisk" } },
        },
      },
    },
  });
}
