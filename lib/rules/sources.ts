import { ALL_SUBSCRIPTIONS, clusterSource, GRAPH_SOURCE, subscriptionSource, type SourceKey } from "@/lib/model/coverage";
import type { Finding } from "@/lib/model/findings";
import { subscriptionOf, tryParseScope } from "@/lib/model/scope";
import { ScopeLevel, type Identity, type Inventory } from "@/lib/model/types";
import { rules } from "./registry";

const readsByRule = new Map(rules.map((r) => [r.meta.id, r.meta.reads ?? []]));

/** `/subscriptions/…/providers/Microsoft.ContainerService/managedClusters/<name>`, the cluster part of any id under it. */
const CLUSTER_ID = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+)(\/|$)/i;
const ROLE_DEFINITION = /\/providers\/Microsoft\.Authorization\/roleDefinitions\/[^/]+$/i;

/**
 * The sources a finding rests on (lib/model/coverage.ts): the subscription of every ARM object
 * it names (its scope, assignment, cluster, identity, targets and each piece of evidence), the
 * Kubernetes read of every cluster it names or whose objects it cites, every subscription for a
 * grant above them (management group, root), and what its rule reads besides (RuleMeta.reads).
 * Built-in role definitions (stored at the root) and non-ARM evidence (issuer URLs, principal
 * ids) add nothing. An identity known to ARM only by its app id or principal id (a service
 * principal, a cluster's service-principal identity) is joined to its grants through Microsoft
 * Graph, so its findings rest on Graph too.
 */
export function findingSources(finding: Finding, identity?: Pick<Identity, "resourceId" | "systemAssignedTo">): SourceKey[] {
  const out = new Set<SourceKey>(readsByRule.get(finding.ruleId) ?? []);
  if (identity && !identity.resourceId && !identity.systemAssignedTo) out.add(GRAPH_SOURCE);
  const ids = [finding.scope, finding.roleAssignmentId, finding.clusterId, finding.identityKey, ...(finding.targetIds ?? []), ...finding.evidence.map((e) => e.source)];
  for (const id of ids) {
    if (!id || !id.startsWith("/") || (ROLE_DEFINITION.test(id) && !subscriptionOf(id))) continue;
    const cluster = CLUSTER_ID.exec(id)?.[1];
    if (cluster) out.add(clusterSource(cluster));
    const subscription = subscriptionOf(id);
    if (subscription) {
      out.add(subscriptionSource(subscription));
      continue;
    }
    const level = tryParseScope(id)?.level;
    if (level === ScopeLevel.ManagementGroup || level === ScopeLevel.Root) out.add(ALL_SUBSCRIPTIONS);
  }
  return [...out].sort();
}

/** findingSources over one scan's inventory, which tells how each finding's identity was known. */
export function findingSourcesIn(inventory: Pick<Inventory, "identities">): (finding: Finding) => SourceKey[] {
  const byKey = new Map(inventory.identities.map((i) => [i.key, i]));
  return (finding) => findingSources(finding, finding.identityKey ? byKey.get(finding.identityKey) : undefined);
}
