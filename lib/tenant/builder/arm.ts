import { managementGroupId } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";

/**
 * The ARM hierarchy and resources in their GET shapes: management groups, subscriptions,
 * resource groups, any resource, and virtual networks with their subnets inline (ARM returns
 * subnets inside the network and gives each its own id under it).
 */

export type SubscriptionWire = TenantFile["subscriptions"][number];
export type ArmResource = ArmWireObject & { id: string; name: string };

export interface ManagementGroupSpec {
  name: string;
  displayName: string;
  /** The parent group's name; null for the tenant root group. */
  parent: string | null;
  tenantId?: string;
  /** `properties.details` besides the parent (version, updatedTime, updatedBy). */
  details?: Record<string, unknown>;
}

/** Microsoft.Management/managementGroups GET (`$expand` off): the parent sits in `properties.details.parent`. */
export function managementGroupWire(s: ManagementGroupSpec): ArmWireObject {
  return {
    id: managementGroupId(s.name),
    type: "Microsoft.Management/managementGroups",
    name: s.name,
    properties: {
      ...(s.tenantId ? { tenantId: s.tenantId } : {}),
      displayName: s.displayName,
      details: { ...s.details, parent: s.parent === null ? null : { id: managementGroupId(s.parent), name: s.parent, displayName: s.parent } },
    },
  };
}

export interface SubscriptionSpec {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  /** The tenant format's own field: the parent management group's id (ARM's subscription list omits it). */
  managementGroupId?: string;
}

/** A subscription as `GET /subscriptions` lists it. */
export function subscriptionWire(s: SubscriptionSpec): SubscriptionWire {
  const id = `/subscriptions/${s.subscriptionId}`;
  return {
    id,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
    ...(s.managementGroupId ? { managementGroupId: s.managementGroupId } : {}),
  };
}

export interface ResourceGroupOptions {
  /** The resource that manages the group: the cluster, for an AKS node resource group. */
  managedBy?: string;
  tags?: Record<string, string>;
}

export function resourceGroupWire(subscriptionId: string, name: string, location: string, o: ResourceGroupOptions = {}): ArmResource {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
    name,
    type: "Microsoft.Resources/resourceGroups",
    location,
    ...(o.managedBy ? { managedBy: o.managedBy } : {}),
    ...(o.tags ? { tags: o.tags } : {}),
    properties: { provisioningState: "Succeeded" },
  };
}

/** `<scope>/providers/<Namespace/type>/<name>`, the id ARM gives a resource. */
export function resourceIdOf(rgId: string, type: string, name: string): string {
  return `${rgId}/providers/${type}/${name}`;
}

/** Any ARM resource in its GET shape; `type` is `Namespace/type` as ARM spells it, `body` the rest (location overrides). */
export function resourceWire(rgId: string, type: string, name: string, location: string, body: Omit<ArmWireObject, "id" | "name" | "type"> = {}): ArmResource {
  return { id: resourceIdOf(rgId, type, name), name, type, location, ...body };
}

export interface SubnetSpec {
  name: string;
  addressPrefix: string;
  routeTable?: string;
  /** Further subnet properties, after the address prefix and route table. */
  properties?: Record<string, unknown>;
}

/** The subnet objects ARM returns inline in a virtual network. */
export function subnetsWire(vnetId: string, subnets: SubnetSpec[], leading: Record<string, unknown> = {}): Record<string, unknown>[] {
  return subnets.map((s) => ({
    id: `${vnetId}/subnets/${s.name}`,
    name: s.name,
    type: "Microsoft.Network/virtualNetworks/subnets",
    properties: { ...leading, addressPrefix: s.addressPrefix, ...(s.routeTable ? { routeTable: { id: s.routeTable } } : {}), ...s.properties },
  }));
}
