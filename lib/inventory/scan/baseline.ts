import { normalizeId } from "@/lib/model/scope";
import type { SourceError } from "@/lib/model/types";
import type { ArmWireObject, KubeWireObject, RawCollection } from "@/lib/model/wire";

/**
 * What one scan leaves for the next so that a rescan pays for what changed only: the
 * resources and resource groups it read through Resource Graph, each identity's federated
 * credentials, and each cluster's Kubernetes objects with the cluster's revision and the
 * credential that read them. Only what was read completely goes in: a source that failed,
 * was cut short (ARG `resultTruncated`) or fell back to the per-subscription path leaves
 * nothing, so the next scan reads it in full. Kept in memory only (it holds cluster
 * credentials), per viewer: what one person could read is never another's baseline.
 */
export interface ScanBaseline {
  /** When the scan began reading: the next one asks for changes after this (less the change tables' delay). */
  startedAt: string;
  /** The tenant, endpoint and subscription selection it read; a baseline serves only the same target. */
  target: string;
  /** Resources, resource groups and federated credentials, when the Resource Graph reads were complete. */
  arm?: {
    resources: ArmWireObject[];
    resourceGroups: ArmWireObject[];
    /** Normalised identity id → its credentials, for identities whose list was read without error. */
    federatedCredentials: Map<string, ArmWireObject[]>;
  };
  /** Normalised cluster id → a complete read of its Kubernetes API. */
  clusters: Map<string, ClusterBaseline>;
}

export interface ClusterBaseline {
  /** The managedCluster body the read went with (a changed cluster is read again). */
  cluster: ArmWireObject;
  /** The cluster's revision when the read began. */
  resourceVersion: string;
  /** The kubeconfig `listClusterUserCredential` gave (credentials; memory only). */
  kubeconfig: string;
  objects: KubeWireObject[];
}

/** How long a baseline may stand in for a full read (a full read at least daily; Resource Graph keeps changes 7 to 14 days). */
export const baselineMaxAgeMs = 24 * 3600_000;
/** Change records reach Resource Graph within about five minutes: changes are asked for from this long before the last scan began. */
export const changeDelayMs = 5 * 60_000;

export function scanTarget(armEndpoint: string, tenantId: string | undefined, subscriptionIds: readonly string[]): string {
  return [normalizeId(armEndpoint), (tenantId ?? "").toLowerCase(), ...[...subscriptionIds].map((s) => s.toLowerCase()).sort()].join("|");
}

/** The baseline to use for a scan of `target` now, or why there is none. */
export function usableBaseline(previous: ScanBaseline | undefined, target: string, now = Date.now()): { baseline: ScanBaseline } | { reason: string } {
  if (!previous) return { reason: "no earlier complete scan in this process" };
  if (previous.target !== target) return { reason: "the earlier scan read another tenant or other subscriptions" };
  const age = now - Date.parse(previous.startedAt);
  if (!(age >= 0 && age <= baselineMaxAgeMs)) return { reason: `the earlier scan is older than ${baselineMaxAgeMs / 3600_000} h` };
  return { baseline: previous };
}

/** Sources whose failure means the resources and resource groups were not read completely. */
const ARM_SOURCES = new Set(["arm:subscriptions", "arm:resourceGraph", "arm:resources", "arm:resourceGroups", "arm:managedClusters", "arm:userAssignedIdentities"]);

/**
 * The baseline a finished scan leaves: the Resource Graph part only when that path was used
 * and complete; federated credentials of identities listed without error; clusters read
 * without error whose revision and credential are known.
 */
export function baselineOf(
  raw: RawCollection,
  read: { startedAt: string; target: string; resourceGraph: boolean; truncated: boolean; clusterReads: Map<string, { resourceVersion?: string; kubeconfig?: string }> },
): ScanBaseline {
  const failed = (e: SourceError) => ARM_SOURCES.has(e.source);
  const armComplete = read.resourceGraph && !read.truncated && !raw.errors.some(failed);
  let arm: ScanBaseline["arm"];
  if (armComplete) {
    const failedLists = new Set(raw.errors.filter((e) => e.source === "arm:federatedIdentityCredentials" && e.scope).map((e) => normalizeId(e.scope!)));
    const federatedCredentials = new Map<string, ArmWireObject[]>();
    for (const r of raw.resources) {
      if (String(r.type ?? "").toLowerCase() !== "microsoft.managedidentity/userassignedidentities") continue;
      if (!failedLists.has(normalizeId(r.id))) federatedCredentials.set(normalizeId(r.id), []);
    }
    for (const f of raw.federatedIdentityCredentials) {
      const parent = normalizeId(f.id.replace(/\/federatedIdentityCredentials\/[^/]+$/i, ""));
      federatedCredentials.get(parent)?.push(f);
    }
    arm = { resources: raw.resources, resourceGroups: raw.resourceGroups, federatedCredentials };
  }
  const clusters = new Map<string, ClusterBaseline>();
  const read_ = new Set(raw.kubernetesRead.map(normalizeId));
  for (const r of raw.resources) {
    const k = normalizeId(r.id);
    const how = read.clusterReads.get(k);
    if (!read_.has(k) || !how?.resourceVersion || !how.kubeconfig) continue;
    const objects = Object.entries(raw.kubernetes).find(([id]) => normalizeId(id) === k)?.[1];
    if (objects) clusters.set(k, { cluster: r, resourceVersion: how.resourceVersion, kubeconfig: how.kubeconfig, objects });
  }
  return { startedAt: read.startedAt, target: read.target, arm, clusters };
}
