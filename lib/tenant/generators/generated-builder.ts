import { managedClusterIdOf, nodeResourceGroupName, oidcIssuerUrl, type AgentPoolSpec } from "@/lib/tenant/builder/clusters";
import type { IdentityRef } from "@/lib/tenant/builder/identities";
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

export interface GeneratedClusterSpec {
  subscriptionId: string;
  index: number;
  name: string;
  pool: AgentPoolSpec;
  kubernetesVersion?: string;
  /** Tags of the control-plane and kubelet identities. */
  identityTags?: Record<string, string>;
}

export interface GeneratedClusterParts {
  id: string;
  nodeRgId: string;
  issuer: string;
  controlPlane: IdentityRef;
  kubelet: IdentityRef;
}

/**
 * A workload-identity cluster in `rg-aks-<index>` with a user-assigned control plane and a
 * kubelet identity in its node resource group; issuer and FQDN derive from the index.
 */
export function addGeneratedCluster(b: TenantBuilder, s: GeneratedClusterSpec): GeneratedClusterParts {
  const rg = `rg-aks-${s.index}`;
  const rgId = b.resourceGroup(s.subscriptionId, rg);
  const id = managedClusterIdOf(rgId, s.name);
  const nodeRg = nodeResourceGroupName(rg, s.name, LOCATION);
  const nodeRgId = b.resourceGroup(s.subscriptionId, nodeRg, { managedBy: id });
  const controlPlane = b.userAssignedIdentity(rgId, `${s.name}-control-plane`, { tags: s.identityTags });
  const kubelet = b.userAssignedIdentity(nodeRgId, `${s.name}-agentpool`, { tags: s.identityTags });
  const issuer = oidcIssuerUrl(LOCATION, b.tenantId, b.ids.guid(`issuer:${s.index}`));
  b.cluster({
    rgId,
    name: s.name,
    nodeResourceGroup: nodeRg,
    controlPlane,
    kubelet,
    pools: [s.pool],
    oidcIssuer: issuer,
    workloadIdentity: true,
    kubernetesVersion: s.kubernetesVersion,
    fqdnHash: b.ids.guid(`fqdn:${s.index}`).slice(0, 8),
  });
  return { id, nodeRgId, issuer, controlPlane, kubelet };
}
