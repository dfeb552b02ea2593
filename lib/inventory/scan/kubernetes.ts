import type { AzureClients } from "@/lib/azure/clients";
import { getClusterUserKubeconfig } from "@/lib/azure/clusters";
import { mapBounded } from "@/lib/azure/concurrency";
import { DeadlineExceededError, withDeadline } from "@/lib/azure/throttle";
import { aksEntraServerAppId, buildKubeConfig } from "@/lib/kubernetes/kubeconfig";
import { getClusterRevision, listClusterObjects } from "@/lib/kubernetes/objects";
import { normalizeId } from "@/lib/model/scope";
import { tokenRefusal, TokenRefusal, toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, type ArmWireObject, type KubeWireObject, type RawCollection } from "@/lib/model/wire";
import type { ClusterBaseline } from "./baseline";
import { scanDefaults, type ScanConfig } from "./config";
import { throwIfCancelled, untilCancelled, type ScanProgressSink } from "./progress";

interface ClusterRead {
  cluster: ArmWireObject;
  objects: KubeWireObject[];
  clusterErrors: SourceError[];
  /** The cluster's revision when the objects were read, and the credential read with (for the next scan). */
  resourceVersion?: string;
  kubeconfig?: string;
  /** The objects are the earlier scan's: the cluster's revision had not moved. */
  reused?: boolean;
}

export interface KubernetesReads {
  deadlinesHit: number;
  /** Normalised cluster id → revision and credential of a read. */
  reads: Map<string, { resourceVersion?: string; kubeconfig?: string }>;
  reused: number;
}

/**
 * Reads every cluster's Kubernetes API, `concurrency` clusters at a time, each within its
 * deadline, into `raw.kubernetes`. A cluster the earlier scan read completely (`previous`) is
 * asked only for its revision: unchanged, its objects are taken over.
 */
export async function readKubernetes(
  clients: AzureClients,
  config: ScanConfig,
  clusters: ArmWireObject[],
  concurrency: number,
  raw: RawCollection,
  errors: SourceError[],
  previous: ReadonlyMap<string, ClusterBaseline> = new Map(),
  report: ScanProgressSink = () => undefined,
): Promise<KubernetesReads> {
  const deadlineMs = config.deadlines?.clusterMs ?? scanDefaults.clusterDeadlineMs;
  let deadlinesHit = 0;
  report({ kind: "clusters", total: clusters.length });
  const results = await mapBounded(clusters, concurrency, async (cluster): Promise<ClusterRead> => {
    throwIfCancelled(config.signal);
    let read: ClusterRead;
    try {
      read = await untilCancelled(config.signal, () =>
        withDeadline(`the Kubernetes API of ${cluster.id}`, deadlineMs, async () => (await reuseCluster(clients, config, cluster, previous.get(normalizeId(cluster.id)))) ?? readCluster(clients, config, cluster, report)),
      );
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      deadlinesHit++;
      // Whatever the cluster answered before the deadline is dropped: a partial read
      // would look complete for the kinds that did arrive.
      const clusterErrors: SourceError[] = [{ source: "kubernetes:cluster", message: `${error.message}; its workloads were not read`, code: error.code, cluster: cluster.id }];
      read = { cluster, objects: [], clusterErrors };
    }
    report({ kind: "cluster-read", clusterId: cluster.id, failed: read.clusterErrors.length > 0 });
    return read;
  });
  const reads = new Map<string, { resourceVersion?: string; kubeconfig?: string }>();
  let reused = 0;
  for (const { cluster, objects, clusterErrors, resourceVersion, kubeconfig, reused: taken } of results) {
    // Objects read before a failure are kept; only clusters read without any error count as read.
    if (objects.length > 0 || clusterErrors.length === 0) raw.kubernetes[cluster.id] = objects;
    if (clusterErrors.length === 0) raw.kubernetesRead.push(cluster.id);
    errors.push(...clusterErrors);
    reads.set(normalizeId(cluster.id), { resourceVersion, kubeconfig });
    if (taken) reused++;
  }
  return { deadlinesHit, reads, reused };
}

/**
 * The earlier scan's objects of a cluster when its revision has not moved (one request; the
 * earlier credential too while the managedCluster body is the same). A changed revision reads
 * the cluster again; any failure here leaves it to a fresh read (new credential).
 */
async function reuseCluster(clients: AzureClients, config: ScanConfig, cluster: ArmWireObject, previous: ClusterBaseline | undefined): Promise<ClusterRead | undefined> {
  if (!previous || isStopped(cluster)) return undefined;
  try {
    const kubeconfig = JSON.stringify(previous.cluster) === JSON.stringify(cluster) ? previous.kubeconfig : await getClusterUserKubeconfig(clients, cluster.id);
    const kubeConfig = await buildKubeConfig(kubeconfig, config.credential);
    const revision = await getClusterRevision(kubeConfig);
    if (revision !== undefined && revision === previous.resourceVersion) return { cluster, objects: previous.objects, clusterErrors: [], resourceVersion: revision, kubeconfig, reused: true };
    const read = await listClusterObjects(kubeConfig, cluster.id, config.kubernetesPageSize, { signal: config.signal });
    if (read.errors.length > 0) return undefined;
    return { cluster, objects: read.data, clusterErrors: [], resourceVersion: read.resourceVersion, kubeconfig };
  } catch {
    return undefined;
  }
}

async function readCluster(clients: AzureClients, config: ScanConfig, cluster: ArmWireObject, report: ScanProgressSink): Promise<ClusterRead> {
  const clusterErrors: SourceError[] = [];
  let objects: KubeWireObject[] = [];
  if (isStopped(cluster)) {
    // A stopped cluster has no running API server; asking would only time out.
    clusterErrors.push({
      source: "kubernetes:cluster",
      message: "the cluster is stopped (powerState Stopped): its Kubernetes API is not running, so its workloads were not read",
      code: "ClusterStopped",
      cluster: cluster.id,
    });
    return { cluster, objects, clusterErrors };
  }
  let kubeconfig: string | undefined;
  let resourceVersion: string | undefined;
  try {
    kubeconfig = await getClusterUserKubeconfig(clients, cluster.id);
  } catch (error) {
    clusterErrors.push(toSourceError(error, { source: "arm:listClusterUserCredential", cluster: cluster.id }));
  }
  if (kubeconfig !== undefined) {
    try {
      const kubeConfig = await buildKubeConfig(kubeconfig, config.credential);
      const read = await listClusterObjects(kubeConfig, cluster.id, config.kubernetesPageSize, {
        signal: config.signal,
        onKind: (plural, items) => report({ kind: "cluster-kind", clusterId: cluster.id, plural, items }),
      });
      objects = read.data;
      resourceVersion = read.resourceVersion;
      clusterErrors.push(...read.errors);
    } catch (error) {
      clusterErrors.push(clusterTokenError(error, cluster.id) ?? toSourceError(error, { source: "kubernetes:credentials", cluster: cluster.id }));
    }
  }
  if (at(cluster, "properties.apiServerAccessProfile.enablePrivateCluster") === true) {
    // A private cluster's API server has only a private endpoint: unreachable from outside
    // its virtual network, which is the likely reason for a network failure.
    for (const e of clusterErrors) {
      if (e.source.startsWith("kubernetes:") && e.status === undefined) e.message += " (private cluster: the API server is reachable only from its virtual network)";
    }
  }
  return { cluster, objects, clusterErrors, resourceVersion, kubeconfig };
}

function isStopped(cluster: ArmWireObject): boolean {
  const code = at(cluster, "properties.powerState.code");
  return typeof code === "string" && code.toLowerCase() === "stopped";
}

/**
 * An Entra-enabled cluster's API needs a delegated token for the AKS server application; Entra
 * refuses it until the person (or an admin, for everyone) consents to that application's
 * permission, or when MFA or Conditional Access on it wants the person at a prompt. That is one
 * cluster's state, not a failed sign-in: the rest of the scan stands.
 */
function clusterTokenError(error: unknown, clusterId: string): SourceError | undefined {
  const refusal = tokenRefusal(error);
  if (!refusal) return undefined;
  const permission = `the delegated permission user.read of Azure Kubernetes Service AAD Server (application ${aksEntraServerAppId})`;
  const why =
    refusal === TokenRefusal.ConsentRequired
      ? `Entra answered AADSTS65001: nobody has consented to ${permission} for this person. Add it to the app registration's API permissions and grant admin consent, then rescan`
      : `Entra wants an interactive sign-in (MFA or Conditional Access) for ${permission}, which a server cannot do silently. Make sure the app registration lists it with admin consent and that the policy is met at sign-in, then sign in again`;
  return {
    source: "kubernetes:credentials",
    message: `consent needed for cluster access: ${why}; the cluster's Azure resources are shown without its workloads`,
    status: 401,
    code: refusal,
    cluster: clusterId,
  };
}
