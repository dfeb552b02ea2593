import { subnetsWire } from "@/lib/tenant/builder/arm";
import type { PrincipalRef } from "@/lib/tenant/builder/identities";
import type { TenantBuilder } from "@/lib/tenant/builder/tenant-builder";
import { LOCATION, shortId } from "./generated-builder";

/** The standard shape's estate: management groups, subscriptions and their resources, and the people who hold most grants. */

/** One subscription's landing zone: app, data and network resource groups and the resources apps are granted roles on. */
export interface LandingZone {
  subscriptionId: string;
  id: string;
  rgApp: string;
  rgData: string;
  rgNet: string;
  subnets: string[];
  storage: string;
  vault: string;
  registry: string;
}

/** Phase 1: the tenant root with a platform and a landing-zone group, and `count` subscriptions (every fifth a platform one). */
export function buildHierarchy(b: TenantBuilder, count: number): LandingZone[] {
  b.managementGroup(b.tenantId, "Tenant Root Group", null);
  const platformMg = b.managementGroup("platform", "Platform", b.tenantId);
  const landingMg = b.managementGroup("landing-zones", "Landing zones", b.tenantId);
  const zones: LandingZone[] = [];
  for (let s = 0; s < count; s++) {
    const platform = s % 5 === 0;
    const { id, subscriptionId } = b.subscription(`${platform ? "platform" : "lz"}-${String(s).padStart(3, "0")}`, platform ? platformMg : landingMg, b.ids.guid(`subscription:${s}`));
    const rgApp = b.resourceGroup(subscriptionId, `rg-app-${s}`);
    const rgData = b.resourceGroup(subscriptionId, `rg-data-${s}`);
    const rgNet = b.resourceGroup(subscriptionId, `rg-net-${s}`);
    const vnet = b.resource(rgNet, "Microsoft.Network/virtualNetworks", `vnet-${s}`, {
      properties: {
        provisioningState: "Succeeded",
        addressSpace: { addressPrefixes: [`10.${s % 250}.0.0/16`] },
        subnets: subnetsWire(
          `${rgNet}/providers/Microsoft.Network/virtualNetworks/vnet-${s}`,
          ["snet-aks", "snet-aks-2", "snet-endpoints"].map((name, i) => ({ name, addressPrefix: `10.${s % 250}.${i * 16}.0/20`, properties: { provisioningState: "Succeeded" } })),
        ),
      },
    });
    const subnets = ["snet-aks", "snet-aks-2", "snet-endpoints"].map((n) => `${vnet.id}/subnets/${n}`);
    const short = shortId(subscriptionId);
    const tags = { workload: `wl-${s}` };
    const storage = b.resource(rgData, "Microsoft.Storage/storageAccounts", `st${short}`, {
      kind: "StorageV2",
      sku: { name: "Standard_LRS", tier: "Standard" },
      tags,
      properties: { provisioningState: "Succeeded", allowBlobPublicAccess: false, minimumTlsVersion: "TLS1_2" },
    }).id;
    const vault = b.resource(rgData, "Microsoft.KeyVault/vaults", `kv-${short}`, {
      tags,
      properties: { tenantId: b.tenantId, enableRbacAuthorization: true, sku: { family: "A", name: "standard" }, vaultUri: `https://kv-${short}.vault.azure.net/` },
    }).id;
    const registry = b.resource(rgApp, "Microsoft.ContainerRegistry/registries", `acr${short}`, {
      sku: { name: "Premium", tier: "Premium" },
      tags,
      properties: { loginServer: `acr${short}.azurecr.io`, adminUserEnabled: false, provisioningState: "Succeeded" },
    }).id;
    b.resource(rgNet, "Microsoft.Network/privateDnsZones", `privatelink-${s}.${LOCATION}.azmk8s.io`, { location: "global", tags, properties: { provisioningState: "Succeeded", numberOfRecordSets: 2 } });
    zones.push({ subscriptionId, id, rgApp, rgData, rgNet, subnets, storage, vault, registry });
  }
  return zones;
}

const HUMAN_ROLES = ["Reader", "Reader", "Reader", "Monitoring Reader", "Storage Blob Data Reader", "Contributor", "Log Analytics Reader", "Key Vault Reader"];

/**
 * Last phase: people and groups, the bulk of a large tenant's assignments: mostly reader-type
 * grants at resource-group and resource scope, a few Contributor, and an Owner on the first
 * five subscriptions. Adds grants until the tenant holds `total` assignments.
 */
export function assignPeople(b: TenantBuilder, zones: LandingZone[], total: number): void {
  const people: PrincipalRef[] = [];
  for (let u = 0; u < 100; u++) people.push(b.user(`user${u}@contoso.example`, `User ${u}`, { id: b.ids.guid(`user:${u}`), mail: false }));
  for (let g = 0; g < 20; g++) people.push(b.group(`Team ${g}`, { id: b.ids.guid(`group:${g}`), mailNickname: false }));
  const scopes = zones.flatMap((z) => [z.rgApp, z.rgData, z.rgNet, z.storage, z.vault, z.registry]);
  for (let s = 0; s < zones.length && s < 5; s++) b.assignUnlessExists(zones[s]!.id, "Owner", people[s]!);
  const assignments = b.tenant.roleAssignments;
  const combinations = people.length * scopes.length * HUMAN_ROLES.length;
  for (let n = 0; assignments.length < total && n < combinations; n++) {
    const who = people[n % people.length]!;
    const scope = scopes[Math.floor(n / people.length) % scopes.length]!;
    const role = HUMAN_ROLES[Math.floor(n / (people.length * scopes.length)) % HUMAN_ROLES.length]!;
    b.assignUnlessExists(scope, role, who);
  }
  if (assignments.length < total) {
    throw new Error(`generateTenant: only ${assignments.length} distinct role assignments fit ${zones.length} subscriptions; add subscriptions or ask for fewer assignments`);
  }
}
