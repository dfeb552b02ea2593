import { normalizeId, subscriptionOf } from "./scope";
import type { SourceError } from "./types";

/**
 * What a scan read, per source: each subscription's ARM reads, each cluster's Kubernetes read,
 * Microsoft Graph and the management-group tree. Findings name the sources they rest on
 * (SourceKey), so a comparison of two scans can tell "gone" (resolved) from "not read"
 * (unknown), and "not there before" (new) from "not read before".
 */

/** A source's key: `subscription:<guid>`, `cluster:<managedCluster id>`, `graph`, `management-groups`, `tenant`. */
export type SourceKey = string;

export const SourceKind = {
  Subscription: "subscription",
  Cluster: "cluster",
  Graph: "graph",
  ManagementGroups: "management-groups",
  /** What no single source explains: the subscription list itself, or an error without a scope. */
  Tenant: "tenant",
} as const;
export type SourceKind = (typeof SourceKind)[keyof typeof SourceKind];

export const GRAPH_SOURCE: SourceKey = "graph";
export const MANAGEMENT_GROUPS_SOURCE: SourceKey = "management-groups";
export const TENANT_SOURCE: SourceKey = "tenant";
/** A finding that rests on every subscription (an assignment at a management group, nothing seen anywhere). */
export const ALL_SUBSCRIPTIONS: SourceKey = "subscription:*";
/** A finding that rests on every cluster's Kubernetes read (nothing in any cluster uses an identity). */
export const ALL_CLUSTERS: SourceKey = "cluster:*";

export function subscriptionSource(subscriptionId: string): SourceKey {
  return `subscription:${subscriptionId.trim().toLowerCase()}`;
}

export function clusterSource(clusterId: string): SourceKey {
  return `cluster:${normalizeId(clusterId)}`;
}

export const SourceState = { Read: "read", Failed: "failed" } as const;
export type SourceState = (typeof SourceState)[keyof typeof SourceState];

export interface SourceCoverage {
  key: SourceKey;
  kind: SourceKind;
  /** For people: the subscription's display name, the cluster's name, "Microsoft Graph". */
  name: string;
  state: SourceState;
  /** The first error's message (with its HTTP status), when the source failed. */
  reason?: string;
  /** How many errors the scan reported for this source. */
  errors?: number;
  /** A failure a rescan may not repeat (throttling, 5xx, network, deadline, token) rather than one it will (no rights, not found). */
  transient?: boolean;
}

/** One scan's coverage: every source it meant to read, read or failed. */
export interface ScanCoverage {
  sources: SourceCoverage[];
}

/** How a scan ended: all read (failures only where rights are lacking), partly read, nothing usable, or stopped. */
export const ScanState = {
  Running: "running",
  Succeeded: "succeeded",
  Partial: "partial",
  Failed: "failed",
  Cancelled: "cancelled",
} as const;
export type ScanState = (typeof ScanState)[keyof typeof ScanState];

/** States that leave findings behind. */
export function hasFindings(state: ScanState): boolean {
  return state === ScanState.Succeeded || state === ScanState.Partial;
}

/**
 * Whether a rescan may read what this error could not: throttling (429), server errors (5xx),
 * timeouts, network failures and refused tokens (401) come and go; a refusal for lack of rights
 * (403), a missing object (404), a bad request or payload (400, invalid data) and a stopped
 * cluster stay until someone changes the tenant.
 */
export function isTransientError(error: Pick<SourceError, "status" | "code">): boolean {
  if (error.code === "ClusterStopped" || error.code === "invalid-payload") return false;
  if (error.status === undefined) return true;
  return error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** The state a finished scan's coverage gives it: partial when a source failed for a passing reason. */
export function stateOfCoverage(coverage: ScanCoverage): typeof ScanState.Succeeded | typeof ScanState.Partial {
  return coverage.sources.some((s) => s.state === SourceState.Failed && s.transient) ? ScanState.Partial : ScanState.Succeeded;
}

/**
 * The failed sources among `keys` (wildcards included) in a scan's coverage. A failed `tenant`
 * source fails every key. Keys the scan did not know count as not read (absence of coverage is
 * not coverage), except a cluster of a subscription the scan read: that cluster is gone.
 */
export function failedSourcesAmong(coverage: ScanCoverage, keys: readonly SourceKey[]): SourceCoverage[] {
  const byKey = new Map(coverage.sources.map((s) => [s.key, s]));
  const failed = new Map<SourceKey, SourceCoverage>();
  const tenant = byKey.get(TENANT_SOURCE);
  if (tenant?.state === SourceState.Failed) failed.set(tenant.key, tenant);
  for (const key of keys) {
    if (key === ALL_SUBSCRIPTIONS || key === ALL_CLUSTERS) {
      const kind = key === ALL_SUBSCRIPTIONS ? SourceKind.Subscription : SourceKind.Cluster;
      for (const s of coverage.sources) if (s.kind === kind && s.state === SourceState.Failed) failed.set(s.key, s);
      continue;
    }
    const source = byKey.get(key);
    if (source) {
      if (source.state === SourceState.Failed) failed.set(key, source);
      continue;
    }
    const kind = kindOfKey(key);
    const parent = kind === SourceKind.Cluster ? subscriptionOf(key.slice("cluster:".length)) : undefined;
    if (parent && byKey.get(subscriptionSource(parent))?.state === SourceState.Read) continue;
    failed.set(key, { key, kind, name: key.replace(/^[a-z-]+:/, ""), state: SourceState.Failed, reason: "not part of this scan" });
  }
  return [...failed.values()];
}

function kindOfKey(key: SourceKey): SourceKind {
  if (key.startsWith("subscription:")) return SourceKind.Subscription;
  if (key.startsWith("cluster:")) return SourceKind.Cluster;
  if (key === GRAPH_SOURCE) return SourceKind.Graph;
  if (key === MANAGEMENT_GROUPS_SOURCE) return SourceKind.ManagementGroups;
  return SourceKind.Tenant;
}

const KIND_NOUN: Record<SourceKind, string> = {
  subscription: "subscription",
  cluster: "cluster",
  graph: "",
  "management-groups": "",
  tenant: "",
};

/** "subscription contoso-prod (HTTP 500: …)", "Microsoft Graph (throttled …)": a failed source for people. */
export function describeFailedSource(source: SourceCoverage): string {
  const noun = KIND_NOUN[source.kind];
  return `${noun ? `${noun} ` : ""}${source.name}${source.reason ? ` (${source.reason})` : ""}`;
}
