import type { AgentPool, Cluster, ClusterIdentityRef } from "@/lib/model/types";
import { parseScopeOrFail } from "./hierarchy.adapter";
import { adaptIdentityBlock, hasSystemAssigned, hasUserAssigned } from "./resource.adapter";
import { armReader, FieldReader, isRecord } from "@/lib/model/wire";

const MANAGED_CLUSTER_TYPE = "microsoft.containerservice/managedclusters";

/** The name Scopewise gives the application routing add-on, whose profile lives under ingressProfile. */
export const WEB_APP_ROUTING_ADDON = "webAppRouting";

export function isManagedClusterType(type: string | undefined): boolean {
  return (type ?? "").toLowerCase() === MANAGED_CLUSTER_TYPE;
}

/** Microsoft.ContainerService/managedClusters GET body → Cluster. */
export function adaptManagedCluster(wire: unknown): Cluster {
  const r = armReader("managedCluster", wire);
  const id = r.reqString("id");
  const parsed = parseScopeOrFail(r, id);
  if (parsed.level !== "resource" || parsed.resourceType?.toLowerCase() !== MANAGED_CLUSTER_TYPE) {
    r.fail("id", "is not a Microsoft.ContainerService/managedClusters id");
  }
  const subscriptionId = parsed.subscriptionId!;
  const nodeResourceGroup = r.optString("properties.nodeResourceGroup");

  const controlPlane = adaptControlPlane(r);
  // On a service-principal cluster there is no identityProfile: the kubelet authenticates
  // with the same service principal (it is written into /etc/kubernetes/azure.json on every node).
  const kubelet = adaptIdentityRef(r, "properties.identityProfile.kubeletidentity") ??
    (controlPlane?.type === "ServicePrincipal" ? { ...controlPlane } : undefined);

  return {
    id,
    name: r.optString("name") ?? parsed.resourceName!,
    subscriptionId,
    resourceGroup: parsed.resourceGroup!,
    location: r.optString("location") ?? "",
    kubernetesVersion: r.optString("properties.currentKubernetesVersion") ?? r.optString("properties.kubernetesVersion"),
    fqdn: r.optString("properties.fqdn") ?? r.optString("properties.privateFQDN"),
    nodeResourceGroup,
    nodeResourceGroupId: nodeResourceGroup ? `/subscriptions/${subscriptionId}/resourceGroups/${nodeResourceGroup}` : undefined,
    controlPlane,
    kubelet,
    addons: adaptAddons(r),
    agentPools: adaptAgentPools(r),
    oidcIssuerEnabled: r.optBool("properties.oidcIssuerProfile.enabled") ?? false,
    oidcIssuerUrl: r.optString("properties.oidcIssuerProfile.issuerURL"),
    workloadIdentityEnabled: r.optBool("properties.securityProfile.workloadIdentity.enabled") ?? false,
    podIdentityEnabled: r.optBool("properties.podIdentityProfile.enabled") ?? false,
    podIdentities: adaptPodIdentities(r),
    // aadProfile is present for both managed Entra integration and the legacy AAD app integration.
    aadEnabled: r.optRecord("properties.aadProfile") !== undefined,
    azureRbacEnabled: r.optBool("properties.aadProfile.enableAzureRBAC") ?? false,
    privateCluster: r.optBool("properties.apiServerAccessProfile.enablePrivateCluster") ?? false,
    privateDnsZone: r.optString("properties.apiServerAccessProfile.privateDNSZone"),
    networkPlugin: r.optString("properties.networkProfile.networkPlugin"),
  };
}

/**
 * The control-plane identity: the cluster's `identity` block when it is managed, else the
 * service principal in `servicePrincipalProfile.clientId` ("msi" there means managed identity).
 */
function adaptControlPlane(r: FieldReader): ClusterIdentityRef | undefined {
  const block = adaptIdentityBlock(r);
  if (hasUserAssigned(block) && block!.userAssignedIdentities) {
    // AKS accepts exactly one user-assigned control-plane identity.
    const [resourceId, v] = Object.entries(block!.userAssignedIdentities)[0] ?? [];
    if (resourceId) return { type: "UserAssigned", resourceId, principalId: v?.principalId, clientId: v?.clientId };
  }
  if (hasSystemAssigned(block)) return { type: "SystemAssigned", principalId: block!.principalId };
  const spClientId = r.optString("properties.servicePrincipalProfile.clientId");
  if (spClientId && spClientId.toLowerCase() !== "msi") return { type: "ServicePrincipal", clientId: spClientId };
  return undefined;
}

/** `{resourceId, clientId, objectId}` as AKS reports kubelet and add-on identities (always user-assigned). */
function adaptIdentityRef(r: FieldReader, path: string): ClusterIdentityRef | undefined {
  if (!r.optRecord(path)) return undefined;
  const resourceId = r.optString(`${path}.resourceId`);
  const clientId = r.optString(`${path}.clientId`);
  const principalId = r.optString(`${path}.objectId`);
  if (!resourceId && !clientId && !principalId) return undefined;
  return { type: "UserAssigned", resourceId, clientId, principalId };
}

function adaptAddons(r: FieldReader): Cluster["addons"] {
  const profiles = r.optRecord("properties.addonProfiles") ?? {};
  const out: Cluster["addons"] = [];
  for (const name of Object.keys(profiles)) {
    const base = `properties.addonProfiles.${name}`;
    const config = r.optRecord(`${base}.config`) ? r.stringMap(`${base}.config`) : undefined;
    out.push({
      name,
      enabled: r.optBool(`${base}.enabled`) ?? false,
      identity: adaptIdentityRef(r, `${base}.identity`),
      ...(config ? { config } : {}),
    });
  }
  // The application routing add-on keeps its identity under ingressProfile, not addonProfiles.
  const webAppRouting = r.optRecord("properties.ingressProfile.webAppRouting");
  if (webAppRouting) {
    const zones = r.stringArray("properties.ingressProfile.webAppRouting.dnsZoneResourceIds");
    out.push({
      name: WEB_APP_ROUTING_ADDON,
      enabled: r.optBool("properties.ingressProfile.webAppRouting.enabled") ?? false,
      identity: adaptIdentityRef(r, "properties.ingressProfile.webAppRouting.identity"),
      ...(zones.length > 0 ? { dnsZoneResourceIds: zones } : {}),
    });
  }
  return out;
}

function adaptAgentPools(r: FieldReader): AgentPool[] {
  return r.optArray("properties.agentPoolProfiles").map((p, i) => {
    if (!isRecord(p)) r.fail(`properties.agentPoolProfiles[${i}]`, "must be an object");
    const pr = new FieldReader(r.kind, r.objectId, p);
    const name = pr.optString("name");
    if (!name) r.fail(`properties.agentPoolProfiles[${i}].name`, "is missing");
    return {
      name,
      mode: pr.optString("mode"),
      count: pr.optNumber("count"),
      vmSize: pr.optString("vmSize"),
      vnetSubnetId: pr.optString("vnetSubnetID"),
      podSubnetId: pr.optString("podSubnetID"),
    };
  });
}

/** `podIdentityProfile.userAssignedIdentities[]` of the managed pod-identity add-on. */
function adaptPodIdentities(r: FieldReader): Cluster["podIdentities"] {
  return r.optArray("properties.podIdentityProfile.userAssignedIdentities").map((p, i) => {
    const path = `properties.podIdentityProfile.userAssignedIdentities[${i}]`;
    if (!isRecord(p)) r.fail(path, "must be an object");
    const pr = new FieldReader(r.kind, r.objectId, p);
    const name = pr.optString("name");
    const namespace = pr.optString("namespace");
    if (!name) r.fail(`${path}.name`, "is missing");
    if (!namespace) r.fail(`${path}.namespace`, "is missing");
    const identity = adaptIdentityRef(pr, "identity");
    if (!identity) r.fail(`${path}.identity`, "is missing (needs resourceId, clientId or objectId)");
    return { name, namespace, bindingSelector: pr.optString("bindingSelector"), identity };
  });
}
