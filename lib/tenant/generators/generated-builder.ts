import { stableGuid } from "@/lib/tenant/builder/ids";
import { TenantBuilder, type IdScheme } from "@/lib/tenant/builder/tenant-builder";

/** What every generated tenant shares: its id scheme, fixed timestamps and the builder set up for them. */

export const GENERATED_AT = "2025-01-20T10:00:00Z";
export const LOCATION = "westeurope";
const NAMESPACE = "scopewise-generate";

/** Ids from the seed and a name; role assignment names from scope, role and principal only (they are unique by those). */
export function generatedIdScheme(seed: number): IdScheme {
  const guid = (name: string) => stableGuid(`${seed}:${name}`, NAMESPACE);
  return {
    guid,
    identityIds: (id) => ({ principalId: guid(`principal:${id}`), clientId: guid(`client:${id}`) }),
    roleAssignmentName: (scope, roleGuid, principalId) => stableGuid(`ra:${scope.toLowerCase()}|${roleGuid}|${principalId}`, NAMESPACE),
  };
}

/** A builder for a generated tenant: everything created at GENERATED_AT by one bootstrap principal. */
export function generatedTenantBuilder(seed: number): TenantBuilder {
  const ids = generatedIdScheme(seed);
  return new TenantBuilder({
    tenantId: ids.guid("tenant"),
    ids,
    location: LOCATION,
    clock: () => GENERATED_AT,
    creatorId: ids.guid("user:bootstrap"),
    managementGroupDetails: { version: 1, updatedTime: GENERATED_AT },
    identityUrls: false,
  });
}

/** The first ten hex digits of a subscription id: how generated resources are named after their subscription. */
export function shortId(subscriptionId: string): string {
  return subscriptionId.replace(/-/g, "").slice(0, 10);
}
