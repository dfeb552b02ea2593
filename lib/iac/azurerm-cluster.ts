import type { ArmWireObject, WireObject } from "@/lib/model/wire";
import type { PathStep } from "./address";
import { str } from "./azurerm-ids";
import type { ModelInstance, TerraformModel } from "./terraform-model";

/**
 * `azurerm_kubernetes_cluster` → the managedClusters GET body the inventory adapter reads
 * (lib/azure/managed-cluster.adapter.ts). Argument and attribute names per
 * hashicorp/terraform-provider-azurerm website/docs/r/kubernetes_cluster.html.markdown.
 */
export function clusterWire(
  model: TerraformModel,
  inst: ModelInstance,
  id: string,
  arm: (v: unknown) => string | undefined,
  identityOf: (resourceId: string) => { principalId?: string; clientId?: string } | undefined,
): ArmWireObject {
  const v = (...path: PathStep[]) => model.resolve(inst, path);
  const s = (...path: PathStep[]) => str(v(...path));
  const name = s("name") ?? inst.name;
  const location = s("location");
  const rg = s("resource_group_name");
  // AKS names the node resource group MC_<group>_<cluster>_<location> unless the configuration names it.
  const nodeRg =
    str(model.known(inst, ["node_resource_group"])) ??
    (model.isConfigured(inst, ["node_resource_group"]) ? s("node_resource_group") : rg && location ? `MC_${rg}_${name}_${location.replace(/\s+/g, "").toLowerCase()}` : undefined);
  const properties: WireObject = {
    kubernetesVersion: s("kubernetes_version"),
    fqdn: s("fqdn"),
    nodeResourceGroup: nodeRg,
    oidcIssuerProfile: { enabled: v("oidc_issuer_enabled") === true, issuerURL: s("oidc_issuer_url") },
    securityProfile: { workloadIdentity: { enabled: v("workload_identity_enabled") === true } },
    apiServerAccessProfile: { enablePrivateCluster: v("private_cluster_enabled") === true, privateDNSZone: s("private_dns_zone_id") },
    networkProfile: { networkPlugin: s("network_profile", 0, "network_plugin") },
    agentPoolProfiles: [
      {
        name: s("default_node_pool", 0, "name") ?? "default",
        mode: "System",
        count: v("default_node_pool", 0, "node_count"),
        vmSize: s("default_node_pool", 0, "vm_size"),
        vnetSubnetID: arm(v("default_node_pool", 0, "vnet_subnet_id")),
        podSubnetID: arm(v("default_node_pool", 0, "pod_subnet_id")),
      },
    ],
    addonProfiles: addonProfiles(model, inst, arm),
  };
  // A service principal cluster keeps its client id here; managed-identity clusters report "msi".
  properties.servicePrincipalProfile = { clientId: s("service_principal", 0, "client_id") ?? "msi" };
  const kubelet = identityRef(model, inst, ["kubelet_identity", 0], arm);
  // Unless the configuration brings its own, AKS creates the kubelet identity as <cluster>-agentpool in the node resource group.
  if (kubelet && !model.known(inst, ["kubelet_identity", 0, "user_assigned_identity_id"]) && !model.isConfigured(inst, ["kubelet_identity", 0, "user_assigned_identity_id"]) && nodeRg) {
    const sub = id.split("/")[2];
    kubelet.resourceId = `/subscriptions/${sub}/resourceGroups/${nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}-agentpool`;
  }
  if (kubelet) properties.identityProfile = { kubeletidentity: kubelet };
  if (isSet(model, inst, ["azure_active_directory_role_based_access_control", 0])) {
    properties.aadProfile = {
      managed: true,
      enableAzureRBAC: v("azure_active_directory_role_based_access_control", 0, "azure_rbac_enabled") === true,
      adminGroupObjectIDs: v("azure_active_directory_role_based_access_control", 0, "admin_group_object_ids") ?? [],
    };
  }
  const webAppRouting = identityRef(model, inst, ["web_app_routing", 0, "web_app_routing_identity", 0], arm);
  if (isSet(model, inst, ["web_app_routing", 0])) {
    properties.ingressProfile = { webAppRouting: { enabled: true, dnsZoneResourceIds: v("web_app_routing", 0, "dns_zone_ids") ?? [], ...(webAppRouting ? { identity: webAppRouting } : {}) } };
  }
  return { id, name, type: "Microsoft.ContainerService/managedClusters", location, identity: controlPlaneIdentity(model, inst, arm, identityOf), properties };
}

function isSet(model: TerraformModel, inst: ModelInstance, path: PathStep[]): boolean {
  return model.known(inst, path) !== undefined || model.isUnknown(inst, path);
}

/** The cluster's `identity` block as ARM reports it (`SystemAssigned` or one `UserAssigned`). */
function controlPlaneIdentity(
  model: TerraformModel,
  inst: ModelInstance,
  arm: (v: unknown) => string | undefined,
  identityOf: (resourceId: string) => { principalId?: string; clientId?: string } | undefined,
): WireObject | undefined {
  const type = str(model.resolve(inst, ["identity", 0, "type"]));
  if (!type) return undefined;
  if (/userassigned/i.test(type)) {
    const ids = model.resolve(inst, ["identity", 0, "identity_ids"]);
    const first = Array.isArray(ids) ? str(ids[0]) : undefined;
    const resourceId = arm(first ?? model.resolve(inst, ["identity", 0, "identity_ids", 0]));
    if (!resourceId) return { type };
    return { type: "UserAssigned", userAssignedIdentities: { [resourceId]: identityOf(resourceId) ?? {} } };
  }
  return { type: "SystemAssigned", principalId: str(model.resolve(inst, ["identity", 0, "principal_id"])), tenantId: str(model.known(inst, ["identity", 0, "tenant_id"])) };
}

/** `{client_id, object_id, user_assigned_identity_id}` → `{clientId, objectId, resourceId}` (AKS identity references). */
function identityRef(model: TerraformModel, inst: ModelInstance, base: PathStep[], arm: (v: unknown) => string | undefined): WireObject | undefined {
  if (!isSet(model, inst, base)) return undefined;
  const get = (k: string) => str(model.resolve(inst, [...base, k]));
  const uai = model.resolve(inst, [...base, "user_assigned_identity_id"]);
  // A stand-in for an identity AKS creates is no ARM id: keep it as the key it is.
  const out = { clientId: get("client_id"), objectId: get("object_id"), resourceId: arm(uai) ?? str(uai) };
  return out.clientId || out.objectId || out.resourceId ? out : undefined;
}

/** Add-on blocks and where each keeps its identity; the keys are the ARM addonProfiles names. */
const ADDONS: { profile: string; block: string; identity?: string; config?: Record<string, string> }[] = [
  { profile: "omsagent", block: "oms_agent", identity: "oms_agent_identity", config: { logAnalyticsWorkspaceResourceID: "log_analytics_workspace_id" } },
  { profile: "azureKeyvaultSecretsProvider", block: "key_vault_secrets_provider", identity: "secret_identity", config: { enableSecretRotation: "secret_rotation_enabled" } },
  { profile: "ingressApplicationGateway", block: "ingress_application_gateway", identity: "ingress_application_gateway_identity", config: { applicationGatewayId: "gateway_id", subnetId: "subnet_id" } },
  { profile: "aciConnectorLinux", block: "aci_connector_linux", identity: "connector_identity", config: { SubnetName: "subnet_name" } },
];

function addonProfiles(model: TerraformModel, inst: ModelInstance, arm: (v: unknown) => string | undefined): WireObject {
  const out: WireObject = {};
  for (const a of ADDONS) {
    if (!isSet(model, inst, [a.block, 0])) continue;
    const config: Record<string, string> = {};
    for (const [armKey, tfKey] of Object.entries(a.config ?? {})) {
      const val = model.resolve(inst, [a.block, 0, tfKey]);
      if (val !== undefined && val !== null) config[armKey] = typeof val === "string" ? val : JSON.stringify(val);
    }
    const identity = a.identity ? identityRef(model, inst, [a.block, 0, a.identity, 0], arm) : undefined;
    out[a.profile] = { enabled: true, config, ...(identity ? { identity } : {}) };
  }
  if (model.known(inst, ["azure_policy_enabled"]) === true) out.azurepolicy = { enabled: true };
  return out;
}
