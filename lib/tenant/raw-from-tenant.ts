import { builtinCatalog, catalogRoleToWire } from "@/lib/roles/builtin-catalog";
import type { RawCollection } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";

/**
 * What a scan of the emulator serving `tenant` collects, without the network: the same
 * wire objects the live readers gather, so tests and `scan --tenant` go through the one
 * `buildInventory` path. Built-in roles are listed the way ARM lists them at a
 * subscription (subscription-qualified ids), followed by the tenant's custom roles.
 */
export function rawFromTenant(tenant: TenantFile): RawCollection {
  const firstSubscription = tenant.subscriptions[0]?.id;
  const scopePrefix = typeof firstSubscription === "string" ? firstSubscription : "";
  const kubernetes = tenant.kubernetes ?? {};
  return {
    tenantId: tenant.tenantId,
    managementGroups: tenant.managementGroups ?? [],
    subscriptions: tenant.subscriptions,
    resourceGroups: tenant.resourceGroups,
    resources: tenant.resources,
    roleDefinitions: [...builtinCatalog.map((r) => catalogRoleToWire(r, scopePrefix)), ...(tenant.roleDefinitions ?? [])],
    roleAssignments: tenant.roleAssignments,
    federatedIdentityCredentials: tenant.federatedIdentityCredentials ?? [],
    principals: tenant.principals,
    kubernetes,
    kubernetesRead: Object.keys(kubernetes),
    errors: [],
  };
}
