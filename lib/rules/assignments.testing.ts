/**
 * Scenario builder for the "assignments" rule tests: one cluster `aks` (user-assigned control
 * plane, kubelet in the node resource group, a subnet with a route table) and one app
 * identity reached by a Deployment through AZURE_CLIENT_ID, plus whatever a test adds.
 * Tests go tenant → rawFromTenant → buildInventory → evaluateRules, like a real scan.
 */
import { buildInventory } from "@/lib/inventory/build";
import { clusterId, deploymentWithPods, guid, managedCluster, miPrincipal, RG, RG_ID, roleAssignment, SUB, SUB_ID, tenant, uai, type ClusterOptions, type UaiWire } from "@/lib/inventory/fixtures.testing";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import type { ArmWireObject, KubeWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { resourceGroupWire, resourceWire, subnetsWire } from "@/lib/tenant/builder/arm";
import { evaluateRules } from "./evaluate";

export { BuiltinRoleId as R, clusterId, guid, RG_ID, roleAssignment, SUB_ID, uai };

export const NODE_RG = `MC_${RG}_aks_westeurope`;
export const NODE_RG_ID = `${SUB_ID}/resourceGroups/${NODE_RG}`;
export const NET_RG_ID = `${SUB_ID}/resourceGroups/rg-net`;
export const DATA_RG_ID = `${SUB_ID}/resourceGroups/rg-data`;
export const VNET_ID = `${NET_RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet-aks`;
export const SUBNET_ID = `${VNET_ID}/subnets/snet-aks`;
export const ROUTE_TABLE_ID = `${NET_RG_ID}/providers/Microsoft.Network/routeTables/rt-aks`;
export const CLUSTER_ID = clusterId("aks");

export function resource(rgId: string, type: string, name: string, extra: Partial<ArmWireObject> = {}): ArmWireObject {
  return resourceWire(rgId, type, name, "westeurope", { properties: {}, ...extra });
}

export const registry = (name: string, rgId = `${SUB_ID}/resourceGroups/rg-acr`) =>
  resource(rgId, "Microsoft.ContainerRegistry/registries", name, { properties: { loginServer: `${name}.azurecr.io` } });

export interface Scenario {
  cp: UaiWire;
  kubelet: UaiWire;
  app: UaiWire;
  tenant: TenantFile;
}

export interface ScenarioOptions {
  resources?: ArmWireObject[];
  identities?: UaiWire[];
  /** Built from the scenario's identities. */
  assignments?: (s: Omit<Scenario, "tenant">) => ArmWireObject[];
  kubernetes?: (s: Omit<Scenario, "tenant">) => KubeWireObject[];
  cluster?: Partial<ClusterOptions>;
  /** Image host of the app's pods (the registry the cluster pulls from). */
  image?: string;
}

export function scenario(o: ScenarioOptions = {}): Scenario {
  const ids = { cp: uai("id-aks-cp"), kubelet: uai("aks-agentpool", NODE_RG), app: uai("id-app") };
  const extra = o.identities ?? [];
  const vnet = resource(NET_RG_ID, "Microsoft.Network/virtualNetworks", "vnet-aks", {
    properties: { subnets: subnetsWire(VNET_ID, [{ name: "snet-aks", addressPrefix: "10.0.0.0/22", routeTable: ROUTE_TABLE_ID }]) },
  });
  const rgs = [RG, NODE_RG, "rg-net", "rg-data", "rg-acr", "rg-dns"].map((name) => resourceGroupWire(SUB, name, "westeurope"));
  const t = tenant({
    resourceGroups: rgs,
    resources: [
      ids.cp,
      ids.kubelet,
      ids.app,
      ...extra,
      vnet,
      resource(NET_RG_ID, "Microsoft.Network/routeTables", "rt-aks"),
      managedCluster("aks", { controlPlane: ids.cp, kubelet: ids.kubelet, subnetId: SUBNET_ID, ...o.cluster }),
      ...(o.resources ?? []),
    ],
    principals: [ids.cp, ids.kubelet, ids.app, ...extra].map(miPrincipal),
    roleAssignments: o.assignments?.(ids) ?? [],
    kubernetes: {
      [CLUSTER_ID]: [
        ...deploymentWithPods("shop", "cart", 1, { env: { AZURE_CLIENT_ID: ids.app.properties.clientId }, image: `${o.image ?? "contoso.azurecr.io"}/cart:1.0` }),
        ...(o.kubernetes?.(ids) ?? []),
      ],
    },
  });
  return { ...ids, tenant: t };
}

export function inventoryOf(t: TenantFile): Inventory {
  return buildInventory(rawFromTenant(t), { scannedAt: "2026-01-01T00:00:00.000Z" });
}

export function run(ruleId: string, t: TenantFile): Finding[] {
  return evaluateRules(inventoryOf(t), { only: [ruleId] });
}

/** The assignment id a wire role assignment gets. */
export const idOf = (a: ArmWireObject) => a.id;
