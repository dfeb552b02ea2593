import type { TokenCredential } from "@azure/core-auth";
import type { KubeConfig } from "@kubernetes/client-node";
import type { AzureClients } from "@/lib/azure/clients";
import { getClusterUserKubeconfig } from "@/lib/azure/clusters";
import { buildKubeConfig, type KubeAccess } from "@/lib/kubernetes/kubeconfig";
import { normalizeId } from "@/lib/model/scope";

/**
 * Kubernetes access as the caller: the cluster-user kubeconfig from ARM, with Entra-enabled
 * clusters answered by a token from the same credential (what the scan does). Whether the
 * person may change objects is the API server's decision; a 403 fails the step and rolls back.
 */
export function kubeAccessFromAzure(azure: AzureClients, credential: TokenCredential): KubeAccess {
  const cache = new Map<string, Promise<KubeConfig>>();
  return (clusterId) => {
    const key = normalizeId(clusterId);
    let kc = cache.get(key);
    if (!kc) {
      kc = getClusterUserKubeconfig(azure, clusterId).then((yaml) => buildKubeConfig(yaml, credential));
      // A failed fetch is not cached: the next step or retry asks again.
      kc.catch(() => cache.delete(key));
      cache.set(key, kc);
    }
    return kc;
  };
}
