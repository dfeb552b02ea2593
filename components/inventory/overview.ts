import { normalizeId, subscriptionOf, lastSegment } from "@/lib/model/scope";
import type { Cluster, IdentityKind, Inventory, SourceError } from "@/lib/model/types";
import { IDENTITY_KIND_ORDER, IdentityKindLabel } from "@/lib/model/vocabulary";
import { clusterName, getIndex } from "./lookup";

export const ClusterIdentityMode = {
  UserAssigned: "user-assigned",
  SystemAssigned: "system-assigned",
  ServicePrincipal: "service principal",
  Unknown: "unknown",
} as const;
export type ClusterIdentityMode = (typeof ClusterIdentityMode)[keyof typeof ClusterIdentityMode];

export interface ClusterRow {
  id: string;
  name: string;
  subscriptionId: string;
  subscriptionName: string;
  resourceGroup: string;
  location: string;
  kubernetesVersion?: string;
  identityMode: ClusterIdentityMode;
  workloadIdentity: boolean;
  oidcIssuer: boolean;
  /** "managed add-on" when AKS runs pod identity, "in-cluster" when aad-pod-identity CRDs were found, else none. */
  podIdentity: "managed add-on" | "in-cluster" | null;
  /** Null when the cluster's Kubernetes API was not read: the count is unknown, not zero. */
  pods: number | null;
  identities: number;
}

export interface SubscriptionRow {
  id: string;
  subscriptionId: string;
  name: string;
  state: string;
  managementGroup?: string;
  clusters: number;
  roleAssignments: number;
  userAssignedIdentities: number;
}

export interface ErrorRow extends SourceError {
  /** The failing cluster's name, when the error names a cluster. */
  clusterName?: string;
}

export interface Overview {
  kindCounts: { kind: IdentityKind; label: string; count: number }[];
  totals: { identities: number; roleAssignments: number; clusters: number; subscriptions: number; workloads: number; pods: number };
  clusters: ClusterRow[];
  subscriptions: SubscriptionRow[];
  errors: ErrorRow[];
}

export function clusterIdentityMode(cluster: Cluster): ClusterIdentityMode {
  switch (cluster.controlPlane?.type) {
    case "UserAssigned":
      return ClusterIdentityMode.UserAssigned;
    case "SystemAssigned":
      return ClusterIdentityMode.SystemAssigned;
    case "ServicePrincipal":
      return ClusterIdentityMode.ServicePrincipal;
    default:
      return ClusterIdentityMode.Unknown;
  }
}

function countBy<T>(items: T[], keyOf: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function buildOverview(inv: Inventory): Overview {
  const index = getIndex(inv);
  const kinds = countBy(inv.identities, (i) => i.kind);
  const read = index.kubernetesRead;
  const podsByCluster = countBy(inv.kubernetes.pods, (p) => normalizeId(p.clusterId));
  const aadPodIdentityClusters = new Set(inv.kubernetes.azureIdentities.map((a) => normalizeId(a.clusterId)));
  const identitiesByCluster = new Map<string, number>();
  for (const identity of inv.identities) {
    for (const id of new Set(identity.clusterIds.map(normalizeId))) identitiesByCluster.set(id, (identitiesByCluster.get(id) ?? 0) + 1);
  }
  const subName = (subId: string) => index.subscriptionById.get(normalizeId(subId))?.displayName ?? subId;

  const clusters = inv.clusters
    .map((c): ClusterRow => {
      const key = normalizeId(c.id);
      return {
        id: c.id,
        name: c.name,
        subscriptionId: c.subscriptionId,
        subscriptionName: subName(c.subscriptionId),
        resourceGroup: c.resourceGroup,
        location: c.location,
        kubernetesVersion: c.kubernetesVersion,
        identityMode: clusterIdentityMode(c),
        workloadIdentity: c.workloadIdentityEnabled,
        oidcIssuer: c.oidcIssuerEnabled,
        podIdentity: c.podIdentityEnabled ? "managed add-on" : aadPodIdentityClusters.has(key) ? "in-cluster" : null,
        pods: read.has(key) ? (podsByCluster.get(key) ?? 0) : null,
        identities: identitiesByCluster.get(key) ?? 0,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  const clustersBySub = countBy(inv.clusters, (c) => c.subscriptionId.toLowerCase());
  const assignmentsBySub = countBy(inv.roleAssignments, (ra) => subscriptionOf(ra.scope)?.toLowerCase());
  const uaisBySub = countBy(inv.userAssignedIdentities, (u) => u.subscriptionId.toLowerCase());
  const subscriptions = inv.subscriptions
    .map((s): SubscriptionRow => {
      const key = s.subscriptionId.toLowerCase();
      const mg = s.managementGroupId ? index.managementGroupById.get(normalizeId(s.managementGroupId)) : undefined;
      return {
        id: s.id,
        subscriptionId: s.subscriptionId,
        name: s.displayName,
        state: s.state,
        managementGroup: s.managementGroupId ? (mg?.displayName ?? lastSegment(s.managementGroupId)) : undefined,
        clusters: clustersBySub.get(key) ?? 0,
        roleAssignments: assignmentsBySub.get(key) ?? 0,
        userAssignedIdentities: uaisBySub.get(key) ?? 0,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    kindCounts: IDENTITY_KIND_ORDER.map((kind) => ({ kind, label: IdentityKindLabel[kind], count: kinds.get(kind) ?? 0 })),
    totals: {
      identities: inv.identities.length,
      roleAssignments: inv.roleAssignments.length,
      clusters: inv.clusters.length,
      subscriptions: inv.subscriptions.length,
      workloads: inv.workloads.length,
      pods: inv.kubernetes.pods.length,
    },
    clusters,
    subscriptions,
    errors: inv.errors.map((e) => ({ ...e, clusterName: e.cluster ? clusterName(index, e.cluster) : undefined })),
  };
}
