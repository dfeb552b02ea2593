import type { AzureClients } from "@/lib/azure/clients";
import { listWire } from "@/lib/azure/wire";
import type { ArmWireObject } from "@/lib/model/wire";

/**
 * Role definitions usable at a subscription: every built-in role plus the custom roles
 * whose assignableScopes include it, or with `customOnly` just the custom ones. The
 * ~900 built-in roles are the same in every subscription, so a scan lists them once and
 * asks the other subscriptions only for custom roles (`$filter=type eq 'CustomRole'`).
 * The scope parameter is inserted into the path unencoded after a "/", so it is passed
 * without its leading slash.
 */
export async function listRoleDefinitions(clients: AzureClients, subscriptionId: string, options: { customOnly?: boolean } = {}): Promise<ArmWireObject[]> {
  const filter = options.customOnly ? { filter: "type eq 'CustomRole'" } : {};
  return (await listWire(() => clients.authorization(subscriptionId).roleDefinitions.list(`subscriptions/${subscriptionId}`, filter))) as ArmWireObject[];
}

/**
 * Role assignments that apply in a subscription: ARM's listForSubscription without a
 * filter returns those at the subscription and everything below it, plus the inherited
 * ones at management groups and the root.
 */
export async function listRoleAssignments(clients: AzureClients, subscriptionId: string): Promise<ArmWireObject[]> {
  return (await listWire(() => clients.authorization(subscriptionId).roleAssignments.listForSubscription())) as ArmWireObject[];
}

/**
 * Custom roles assignable somewhere in a subscription, including those assignable only at its
 * resource groups or resources: ARM lists role definitions "applicable at scope and above", so
 * the plain list at a subscription misses a role whose assignableScopes are all below it, and
 * every assignment of that role stays unresolved. `$filter=atScopeAndBelow()` takes no other
 * clause, so the built-in roles it also returns are dropped here.
 */
export async function listCustomRoleDefinitionsAtAndBelow(clients: AzureClients, subscriptionId: string): Promise<ArmWireObject[]> {
  const all = (await listWire(() => clients.authorization(subscriptionId).roleDefinitions.list(`subscriptions/${subscriptionId}`, { filter: "atScopeAndBelow()" }))) as ArmWireObject[];
  return all.filter((d) => String((d.properties as { type?: unknown } | undefined)?.type ?? "").toLowerCase() === "customrole");
}
