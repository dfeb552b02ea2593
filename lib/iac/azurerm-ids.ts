import type { ModelInstance, TerraformModel } from "./terraform-model";

/**
 * ARM resource types of the azurerm resources (and data sources) whose ids grants are
 * scoped to. An ARM id follows from subscription, resource group, type and name, so the id of
 * a resource a plan creates is known before apply when those are; azurerm documents `id` as
 * exactly that ARM id. Source: hashicorp/terraform-provider-azurerm website/docs/r/*.html.markdown.
 */
export const AZURERM_ARM_TYPES: Record<string, string> = {
  azurerm_kubernetes_cluster: "Microsoft.ContainerService/managedClusters",
  azurerm_user_assigned_identity: "Microsoft.ManagedIdentity/userAssignedIdentities",
  azurerm_container_registry: "Microsoft.ContainerRegistry/registries",
  azurerm_dns_zone: "Microsoft.Network/dnszones",
  azurerm_private_dns_zone: "Microsoft.Network/privateDnsZones",
  azurerm_key_vault: "Microsoft.KeyVault/vaults",
  azurerm_storage_account: "Microsoft.Storage/storageAccounts",
  azurerm_virtual_network: "Microsoft.Network/virtualNetworks",
  azurerm_application_gateway: "Microsoft.Network/applicationGateways",
  azurerm_log_analytics_workspace: "Microsoft.OperationalInsights/workspaces",
  azurerm_servicebus_namespace: "Microsoft.ServiceBus/namespaces",
  azurerm_route_table: "Microsoft.Network/routeTables",
};

const SUBSCRIPTION_IN_ID = /^\/subscriptions\/([0-9a-f-]{36})(\/|$)/i;

/**
 * The subscription new resources land in: the azurerm provider's `subscription_id` when the
 * configuration sets it, else the one most known ids in the plan share. Undefined when the
 * plan names none (then ids of new resources are unknown until apply).
 */
export function subscriptionOfModel(model: TerraformModel): string | undefined {
  if (model.providerSubscription) return model.providerSubscription;
  const counts = new Map<string, number>();
  for (const inst of model.instances) {
    const id = inst.values.id;
    const m = typeof id === "string" ? SUBSCRIPTION_IN_ID.exec(id) : null;
    if (m) counts.set(m[1]!.toLowerCase(), (counts.get(m[1]!.toLowerCase()) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The ARM id an instance has or will have; undefined when it cannot be known before apply. */
export function armIdOf(model: TerraformModel, inst: ModelInstance, subscription: string | undefined): string | undefined {
  const id = model.known(inst, ["id"]);
  if (typeof id === "string" && id.startsWith("/")) return id;
  const name = str(model.resolve(inst, ["name"]));
  if (!name) return undefined;
  if (inst.type === "azurerm_resource_group") return subscription ? `/subscriptions/${subscription}/resourceGroups/${name}` : undefined;
  const rg = str(model.resolve(inst, ["resource_group_name"]));
  if (!rg || !subscription || !isPlainName(rg)) return undefined;
  const base = `/subscriptions/${subscription}/resourceGroups/${rg}/providers`;
  if (inst.type === "azurerm_subnet") {
    const vnet = str(model.resolve(inst, ["virtual_network_name"]));
    return vnet && isPlainName(vnet) ? `${base}/Microsoft.Network/virtualNetworks/${vnet}/subnets/${name}` : undefined;
  }
  const type = AZURERM_ARM_TYPES[inst.type];
  return type && isPlainName(name) ? `${base}/${type}/${name}` : undefined;
}

/** A name that can stand in an ARM id segment (a stand-in for an unknown value cannot). */
function isPlainName(s: string): boolean {
  return s !== "" && !s.includes("/") && !/^(module|data)\.|^azurerm_/.test(s);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
