import {
  clusterSource,
  GRAPH_SOURCE,
  isTransientError,
  MANAGEMENT_GROUPS_SOURCE,
  SourceKind,
  SourceState,
  subscriptionSource,
  TENANT_SOURCE,
  type ScanCoverage,
  type SourceCoverage,
  type SourceKey,
} from "@/lib/model/coverage";
import { lastSegment, normalizeId, subscriptionOf } from "@/lib/model/scope";
import type { Inventory, SourceError } from "@/lib/model/types";

/**
 * A scan's coverage from its inventory: every subscription and cluster it listed, Microsoft
 * Graph and the management-group tree, each read or failed with the errors that name it. An
 * error is charged to the cluster it names, else to the subscription its scope lies in, else to
 * Graph or the management groups by its source; what none of them explains fails the tenant.
 */
export function buildCoverage(inventory: Pick<Inventory, "subscriptions" | "clusters" | "kubernetes" | "principalsResolved" | "errors">): ScanCoverage {
  const sources = new Map<SourceKey, SourceCoverage>();
  const add = (key: SourceKey, kind: SourceCoverage["kind"], name: string) => {
    if (!sources.has(key)) sources.set(key, { key, kind, name, state: SourceState.Read });
  };
  for (const s of inventory.subscriptions) add(subscriptionSource(s.subscriptionId), SourceKind.Subscription, s.displayName || s.subscriptionId);
  for (const c of inventory.clusters) add(clusterSource(c.id), SourceKind.Cluster, c.name);
  add(GRAPH_SOURCE, SourceKind.Graph, "Microsoft Graph");

  const clusterNames = new Map(inventory.clusters.map((c) => [normalizeId(c.id), c.name]));
  for (const error of inventory.errors) {
    const source = sourceOf(error, clusterNames);
    add(source.key, source.kind, source.name);
    fail(sources.get(source.key)!, error);
  }
  const read = new Set(inventory.kubernetes.readClusterIds.map(normalizeId));
  for (const c of inventory.clusters) {
    const entry = sources.get(clusterSource(c.id))!;
    // A cluster without an error that was still not read completely is not covered either.
    if (entry.state === SourceState.Read && !read.has(normalizeId(c.id))) {
      Object.assign(entry, { state: SourceState.Failed, reason: "its Kubernetes API was not read completely", transient: true });
    }
  }
  const graph = sources.get(GRAPH_SOURCE)!;
  if (!inventory.principalsResolved && graph.state === SourceState.Read) {
    Object.assign(graph, { state: SourceState.Failed, reason: "principals could not be resolved", transient: true });
  }
  return { sources: [...sources.values()].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.name.localeCompare(b.name)) };
}

const kindOrder: SourceCoverage["kind"][] = [SourceKind.Tenant, SourceKind.Subscription, SourceKind.Cluster, SourceKind.Graph, SourceKind.ManagementGroups];

function sourceOf(error: SourceError, clusterNames: Map<string, string>): { key: SourceKey; kind: SourceCoverage["kind"]; name: string } {
  if (error.cluster) return { key: clusterSource(error.cluster), kind: SourceKind.Cluster, name: clusterNames.get(normalizeId(error.cluster)) ?? lastSegment(error.cluster) };
  if (error.source.startsWith("graph:")) return { key: GRAPH_SOURCE, kind: SourceKind.Graph, name: "Microsoft Graph" };
  if (error.source === "arm:managementGroups") return { key: MANAGEMENT_GROUPS_SOURCE, kind: SourceKind.ManagementGroups, name: "management groups" };
  const subscription = error.scope ? subscriptionOf(error.scope) : undefined;
  if (subscription) return { key: subscriptionSource(subscription), kind: SourceKind.Subscription, name: subscription };
  return { key: TENANT_SOURCE, kind: SourceKind.Tenant, name: "the tenant" };
}

function fail(entry: SourceCoverage, error: SourceError): void {
  const transient = isTransientError(error);
  if (entry.state === SourceState.Read) {
    entry.state = SourceState.Failed;
    entry.reason = reasonOf(error);
    entry.errors = 1;
    entry.transient = transient;
    return;
  }
  entry.errors = (entry.errors ?? 0) + 1;
  // One passing failure is enough for a rescan to be worth it.
  if (transient && !entry.transient) {
    entry.transient = true;
    entry.reason = reasonOf(error);
  }
}

function reasonOf(error: SourceError): string {
  return `${error.status !== undefined ? `HTTP ${error.status}: ` : ""}${error.message}`;
}
