/**
 * Role profiles of the AKS add-ons and cluster extensions (RULES.md "Role profiles"): which
 * roles each one's identity needs, and where. Data beside the logic: aks-identity-extra-role's
 * metadata lists them in docs/rules.md, profiles.ts matches assignments against them. Pure.
 */
import { resourceGroupIdOf, sameId } from "@/lib/model/scope";
import type { Cluster, ClusterAddon, ClusterExtension, RoleDefinition } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { isNetworkRole } from "./network-role";

const g = (id: string) => id.toLowerCase();

/** What an add-on's profile looks at: the cluster, the add-on (or extension) it is, and the scope's resource type. */
export interface AddonScopeFacts {
  cluster: Cluster;
  addon?: ClusterAddon;
  extension?: ClusterExtension;
  scope: string;
  role: RoleDefinition | undefined;
  /** The lower-cased resource type at `scope` (from the inventory, else from the id's shape). */
  typeAt(scope: string): string | undefined;
}

export interface AddonProfile {
  /** Add-on names (addonProfiles keys; case varies across API versions) or cluster extension types. */
  names: readonly string[];
  /** How people call it. */
  label: string;
  /** The role GUIDs of the profile, whatever the scope (aks-identity-extra-role). */
  roles: readonly string[];
  /** Each grant of the profile: a role (or a test on the role) and the scope it belongs at. */
  grants: readonly { description: string; role(guid: string, role: RoleDefinition | undefined): boolean; at(f: AddonScopeFacts): boolean }[];
}

const KEY_VAULT_USER_ROLES = [BuiltinRoleId.KeyVaultSecretsUser, BuiltinRoleId.KeyVaultCertificateUser, BuiltinRoleId.KeyVaultCryptoUser].map(g);
const isRole = (...ids: string[]) => (guid: string) => ids.map(g).includes(guid);
const isTypeAt = (type: string) => (f: AddonScopeFacts) => f.typeAt(f.scope) === type.toLowerCase();

/** A key in a map compared case-insensitively (AKS add-on config keys vary in case). */
function configValue(config: Record<string, string> | undefined, key: string): string | undefined {
  return Object.entries(config ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

/** The Application Gateway and subnet of the AGIC add-on, from its config when AKS reports them. */
function appGateway(addon: ClusterAddon | undefined): { gatewayId?: string; subnetId?: string } {
  return {
    gatewayId: configValue(addon?.config, "applicationGatewayId") ?? configValue(addon?.config, "effectiveApplicationGatewayId"),
    subnetId: configValue(addon?.config, "subnetId") ?? configValue(addon?.config, "subnetCIDR"),
  };
}

/**
 * The storage account the backup extension writes to: its `configuration.backupStorageLocation`
 * settings name the account, its resource group and (optionally) its subscription.
 */
export function backupStorageAccountId(extension: ClusterExtension, cluster: Cluster): string | undefined {
  const settings = extension.configurationSettings;
  const account = configValue(settings, "configuration.backupStorageLocation.config.storageAccount");
  const group = configValue(settings, "configuration.backupStorageLocation.config.resourceGroup");
  if (!account || !group) return undefined;
  const subscription = configValue(settings, "configuration.backupStorageLocation.config.subscriptionId") ?? cluster.subscriptionId;
  return `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${account}`;
}

export const ADDON_PROFILES: readonly AddonProfile[] = [
  {
    names: ["omsagent", "omsAgent", "azureMonitorMetrics"],
    label: "Container Insights (omsagent)",
    roles: [g(BuiltinRoleId.MonitoringMetricsPublisher)],
    grants: [{ description: "Monitoring Metrics Publisher on the cluster (Container Insights)", role: isRole(BuiltinRoleId.MonitoringMetricsPublisher), at: (f) => sameId(f.scope, f.cluster.id) }],
  },
  {
    names: ["azureKeyvaultSecretsProvider"],
    label: "Key Vault Secrets Store CSI driver (azureKeyvaultSecretsProvider)",
    roles: KEY_VAULT_USER_ROLES,
    grants: [{ description: "Key Vault user role on a key vault (Secrets Store CSI driver)", role: (guid) => KEY_VAULT_USER_ROLES.includes(guid), at: isTypeAt("Microsoft.KeyVault/vaults") }],
  },
  {
    names: ["ingressApplicationGateway"],
    label: "Application Gateway Ingress Controller (ingressApplicationGateway)",
    roles: [BuiltinRoleId.Contributor, BuiltinRoleId.Reader, BuiltinRoleId.NetworkContributor].map(g),
    grants: [
      {
        description: "Contributor on the Application Gateway (AGIC)",
        role: isRole(BuiltinRoleId.Contributor),
        at: (f) => {
          const { gatewayId } = appGateway(f.addon);
          return gatewayId ? sameId(f.scope, gatewayId) : f.typeAt(f.scope) === "microsoft.network/applicationgateways";
        },
      },
      {
        description: "Reader on the Application Gateway's resource group (AGIC)",
        role: isRole(BuiltinRoleId.Reader),
        at: (f) => {
          const { gatewayId } = appGateway(f.addon);
          return !!gatewayId && sameId(f.scope, resourceGroupIdOf(gatewayId));
        },
      },
      {
        description: "Network Contributor on the Application Gateway's subnet (AGIC)",
        role: (_guid, role) => isNetworkRole(role),
        at: (f) => {
          const { subnetId } = appGateway(f.addon);
          return !!subnetId && subnetId.startsWith("/") && sameId(f.scope, subnetId);
        },
      },
    ],
  },
  {
    names: ["webAppRouting"],
    label: "application routing add-on (ingressProfile.webAppRouting)",
    roles: [BuiltinRoleId.DnsZoneContributor, BuiltinRoleId.PrivateDnsZoneContributor, BuiltinRoleId.KeyVaultSecretsUser].map(g),
    grants: [
      {
        description: "DNS Zone Contributor / Private DNS Zone Contributor on a zone the add-on manages (webAppRouting.dnsZoneResourceIds)",
        role: isRole(BuiltinRoleId.DnsZoneContributor, BuiltinRoleId.PrivateDnsZoneContributor),
        at: (f) => (f.addon?.dnsZoneResourceIds ?? []).some((z) => sameId(z, f.scope)),
      },
      // `az aks approuting update --attach-kv` grants it on the vault holding the TLS certificates; which vault is not in the cluster's resource.
      { description: "Key Vault Secrets User on a key vault (TLS certificates it serves)", role: isRole(BuiltinRoleId.KeyVaultSecretsUser), at: isTypeAt("Microsoft.KeyVault/vaults") },
    ],
  },
  {
    names: ["microsoft.flux"],
    label: "GitOps (Flux) cluster extension (microsoft.flux)",
    // Flux reconciles from Git or OCI with its own credentials (or workload identity); its extension identity needs no Azure role.
    roles: [],
    grants: [],
  },
  {
    names: ["microsoft.dataprotection.kubernetes"],
    label: "Azure Backup cluster extension (microsoft.dataprotection.kubernetes)",
    roles: [g(BuiltinRoleId.StorageBlobDataContributor)],
    grants: [
      {
        description: "Storage Blob Data Contributor on the backup storage account (configuration.backupStorageLocation)",
        role: isRole(BuiltinRoleId.StorageBlobDataContributor),
        at: (f) => {
          const account = f.extension && backupStorageAccountId(f.extension, f.cluster);
          return account ? sameId(f.scope, account) : f.typeAt(f.scope) === "microsoft.storage/storageaccounts";
        },
      },
    ],
  },
];

/** The profile of an add-on or extension, by the name its use records. */
export function addonProfileOf(addon: string | undefined): AddonProfile | undefined {
  if (!addon) return undefined;
  const key = addon.toLowerCase();
  return ADDON_PROFILES.find((p) => p.names.some((n) => n.toLowerCase() === key));
}

/** The add-on entry or extension of a cluster that an add-on use names. */
export function addonOf(cluster: Cluster, addon: string | undefined): { addon?: ClusterAddon; extension?: ClusterExtension } {
  if (!addon) return {};
  const key = addon.toLowerCase();
  return {
    addon: cluster.addons.find((a) => a.name.toLowerCase() === key),
    extension: (cluster.extensions ?? []).find((e) => e.extensionType.toLowerCase() === key),
  };
}

/** docs/rules.md's words for the add-on profiles: "Container Insights (omsagent): Monitoring Metrics Publisher on the cluster; …". */
export function addonProfilesText(): string {
  return ADDON_PROFILES.map((p) => `${p.label}: ${p.grants.length === 0 ? "no Azure role" : p.grants.map((x) => x.description).join("; ")}`).join(". ");
}
