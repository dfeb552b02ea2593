import type { AzureClients } from "@/lib/azure/clients";
import { getClusterUserKubeconfig } from "@/lib/azure/clusters";
import { mapBounded } from "@/lib/azure/concurrency";
import { DeadlineExceededError, withDeadline } from "@/lib/azure/throttle";
import { buildKubeConfig } from "@/lib/kubernetes/kubeconfig";
import { listClusterObjects } from "@/lib/kubernetes/objects";
import { toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, type ArmWireObject, type KubeWireObject, type RawCollection } from "@/lib/model/wire";
import { scanDefaults, type ScanConfig } from "./config";
import { throwIfCancelled, untilCancelled, type ScanProgressSink } from "./progress";

interface ClusterRead {
  cluster: ArmWireObject;
  objects: KubeWireObject[];
  clusterErrors: SourceError[];
}

/**
 * Reads every cluster's Kubernetes API, `concurrency` clusters at a time, each within its
 * deadline, into `raw.kubernetes`; returns how many clusters hit their deadline.
 */
export async function readKubernetes(
  clients: AzureClients,
  config: ScanConfig,
  clusters: ArmWireObject[],
  concurrency: number,
  raw: RawCollection,
  errors: SourceError[],
  report: ScanProgressSink = () => undefined,
): Promise<number> {
  const deadlineMs = config.deadlines?.clusterMs ?? scanDefaults.clusterDeadlineMs;
  let deadlinesHit = 0;
  report({ kind: "clusters", total: clusters.length });
  const results = await mapBounded(clusters, concurrency, async (cluster): Promise<ClusterRead> => {
    throwIfCancelled(config.signal);
    let read: ClusterRead;
    try {
      read = await untilCancelled(config.signal, () => withDeadline(`the Kubernetes API of ${cluster.id}`, deadlineMs, () => readCluster(clients, config, cluster, report)));
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
  for (const { cluster, objects, clusterErrors } of results) {
    // Objects read before a failure are kept; only clusters read without any error count as read.
    if (objects.length > 0 || clusterErrors.length === 0) raw.kubernetes[cluster.id] = objects;
    if (clusterErrors.length === 0) raw.kubernetesRead.push(cluster.id);
    errors.push(...clusterErrors);
  }
  return deadlinesHit;
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
      clusterErrors.push(...read.errors);
    } catch (error) {
      clusterErrors.push(toSourceError(error, { source: "kubernetes:credentials", cluster: cluster.id }));
    }
  }
  if (at(cluster, "properties.apiServerAccessProfile.enablePrivateCluster") === true) {
    // A private cluster's API server has only a private endpoint: unreachable from outside
    // its virtual network, which is the likely reason for a network failure.
    for (const e of clusterErrors) {
      if (e.source.startsWith("kubernetes:") && e.status === undefined) e.message += " (private cluster: the API server is reachable only from its virtual network)";
    }
  }
  return { cluster, objects, clusterErrors };
}

function isStopped(cluster: ArmWireObject): boolean {
  const code = at(cluster, "properties.powerState.code");
  return typeof code === "string" && code.toLowerCase() === "stopped";
}
