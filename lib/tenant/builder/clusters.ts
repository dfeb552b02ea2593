import { resourceIdOf, resourceWire, type ArmResource } from "./arm";

/**
 * AKS managed clusters in their GET shape (Microsoft.ContainerService/managedClusters), and
 * the pieces every cluster repeats: identity references, the node resource group, the OIDC
 * issuer URL.
 */

export const MANAGED_CLUSTER_TYPE = "Microsoft.ContainerService/managedClusters";

/** The parts of a managed identity a cluster or scale set refers to. */
export interface IdentityIds {
  resourceId: string;
  clientId: string;
  principalId: string;
}

/** AKS and VMSS echo identity ids back with `resourcegroups` in lower case. */
export function asEchoed(id: string): string {
  return id.replace("/resourceGroups/", "/resourcegroups/");
}

/** `identityProfile.kubeletidentity` / `addonProfiles.*.identity`: resourceId, clientId, objectId. */
export function identityReference(i: IdentityIds, o: { echoed?: boolean } = {}): { resourceId: string; clientId: string; objectId: string } {
  return { resourceId: o.echoed ? asEchoed(i.resourceId) : i.resourceId, clientId: i.clientId, objectId: i.principalId };
}

/** `identity.userAssignedIdentities` of a cluster, scale set or any resource: resource id → principal and client ids. */
export function userAssignedIdentitiesOf(identities: IdentityIds[], o: { echoed?: boolean } = {}): Record<string, { principalId: string; clientId: string }> {
  return Object.fromEntries(identities.map((i) => [o.echoed ? asEchoed(i.resourceId) : i.resourceId, { principalId: i.principalId, clientId: i.clientId }]));
}

/** The node resource group AKS creates when none is named: MC_<group>_<cluster>_<location>. */
export function nodeResourceGroupName(resourceGroup: string, clusterName: string, location: string): string {
  return `MC_${resourceGroup}_${clusterName}_${location}`;
}

/** The OIDC issuer URL AKS gives a cluster: per region, per tenant, one GUID per cluster. */
export function oidcIssuerUrl(location: string, tenantId: string, clusterGuid: string): string {
  return `https://${location}.oic.prod-aks.azure.com/${tenantId}/${clusterGuid}/`;
}

export function managedClusterIdOf(rgId: string, name: string): string {
  return resourceIdOf(rgId, MANAGED_CLUSTER_TYPE, name);
}

export interface AgentPoolSpec {
  name: string;
  count: number;
  vmSize?: string;
  subnetId?: string;
}

/** The control plane: a user-assigned identity, the system-assigned one, or a service principal (its client id). */
export type ControlPlane = IdentityIds | { systemAssigned: string; tenantId: string } | { servicePrincipal: string };

export interface ManagedClusterSpec {
  rgId: string;
  name: string;
  location: string;
  nodeResourceGroup: string;
  controlPlane?: ControlPlane;
  kubelet?: IdentityIds;
  addons?: Record<string, { enabled?: boolean; identity?: IdentityIds; config?: Record<string, string> | null }>;
  pools: AgentPoolSpec[];
  /** Enables the OIDC issuer with this URL. */
  oidcIssuer?: string;
  workloadIdentity?: boolean;
  podIdentity?: { enabled: boolean; identities?: { name: string; namespace: string; bindingSelector?: string; identity: IdentityIds }[] };
  kubernetesVersion?: string;
  /** Eight hex characters AKS puts in the API server's FQDN. */
  fqdnHash: string;
  /** The application routing add-on (`ingressProfile.webAppRouting`): its identity and the DNS zones it manages. */
  webAppRouting?: { identity: IdentityIds; dnsZoneResourceIds?: string[] };
  /** Managed Entra integration (`aadProfile`): people sign in with Entra tokens for the AKS server app. */
  aad?: { tenantId: string; adminGroupObjectIDs?: string[]; enableAzureRBAC?: boolean };
}

/** A running AKS cluster with what the scanner reads; realistic defaults for the rest. */
export function managedClusterWire(s: ManagedClusterSpec): ArmResource {
  const cp = s.controlPlane;
  const identity =
    cp === undefined || "servicePrincipal" in cp
      ? undefined
      : "systemAssigned" in cp
        ? { type: "SystemAssigned", principalId: cp.systemAssigned, tenantId: cp.tenantId }
        : { type: "UserAssigned", userAssignedIdentities: userAssignedIdentitiesOf([cp]) };
  return resourceWire(s.rgId, MANAGED_CLUSTER_TYPE, s.name, s.location, {
    sku: { name: "Base", tier: "Standard" },
    ...(identity ? { identity } : {}),
    properties: {
      provisioningState: "Succeeded",
      powerState: { code: "Running" },
      kubernetesVersion: s.kubernetesVersion ?? "1.31.5",
      dnsPrefix: `${s.name}-dns`,
      fqdn: `${s.name}-dns-${s.fqdnHash}.hcp.${s.location}.azmk8s.io`,
      agentPoolProfiles: s.pools.map((p, i) => ({
        name: p.name,
        count: p.count,
        vmSize: p.vmSize ?? "Standard_D4ds_v5",
        mode: i === 0 ? "System" : "User",
        osType: "Linux",
        type: "VirtualMachineScaleSets",
        ...(p.subnetId ? { vnetSubnetID: p.subnetId } : {}),
      })),
      servicePrincipalProfile: { clientId: cp !== undefined && "servicePrincipal" in cp ? cp.servicePrincipal : "msi" },
      ...(s.kubelet ? { identityProfile: { kubeletidentity: identityReference(s.kubelet) } } : {}),
      ...(s.addons
        ? {
            addonProfiles: Object.fromEntries(
              Object.entries(s.addons).map(([k, v]) => [k, { enabled: v.enabled ?? true, config: v.config ?? null, ...(v.identity ? { identity: identityReference(v.identity) } : {}) }]),
            ),
          }
        : {}),
      nodeResourceGroup: s.nodeResourceGroup,
      enableRBAC: true,
      ...(s.webAppRouting
        ? { ingressProfile: { webAppRouting: { enabled: true, dnsZoneResourceIds: s.webAppRouting.dnsZoneResourceIds ?? [], identity: identityReference(s.webAppRouting.identity) } } }
        : {}),
      ...(s.aad ? { aadProfile: { managed: true, enableAzureRBAC: s.aad.enableAzureRBAC ?? false, adminGroupObjectIDs: s.aad.adminGroupObjectIDs ?? [], tenantID: s.aad.tenantId } } : {}),
      ...(s.oidcIssuer !== undefined ? { oidcIssuerProfile: { enabled: true, issuerURL: s.oidcIssuer } } : {}),
      ...(s.workloadIdentity !== undefined ? { securityProfile: { workloadIdentity: { enabled: s.workloadIdentity } } } : {}),
      ...(s.podIdentity
        ? {
            podIdentityProfile: {
              enabled: s.podIdentity.enabled,
              userAssignedIdentities: (s.podIdentity.identities ?? []).map((p) => ({
                name: p.name,
                namespace: p.namespace,
                ...(p.bindingSelector ? { bindingSelector: p.bindingSelector } : {}),
                identity: identityReference(p.identity),
              })),
            },
          }
        : {}),
      networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", serviceCidr: "10.0.0.0/16", dnsServiceIP: "10.0.0.10" },
    },
  });
}

export const SCALE_SET_TYPE = "Microsoft.Compute/virtualMachineScaleSets";
