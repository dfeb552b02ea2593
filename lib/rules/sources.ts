import { ALL_SUBSCRIPTIONS, clusterSource, subscriptionSource, type SourceKey } from "@/lib/model/coverage";
import type { Finding } from "@/lib/model/findings";
import { subscriptionOf, tryParseScope } from "@/lib/model/scope";
import { ScopeLevel } from "@/lib/model/types";
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
 * ids) add nothing.
 */
export function findingSources(finding: Finding): SourceKey[] {
  const out = new Set<SourceKey>(readsByRule.get(finding.ruleId) ?? []);
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
