import { seededRandom } from "@/lib/tenant/builder/ids";
import type { GeneratedTenant, GenerateOptions } from "./options";
import { generatedTenantBuilder } from "./generated-builder";
import { assignClusterRoles, buildAppIdentities, buildCluster, buildClusterKubernetes, PODS_PER_APP, type GrantPolicy } from "./standard-clusters";
import { assignPeople, buildHierarchy } from "./standard-estate";

/**
 * The standard shape: management groups over N subscriptions, resource groups with networks,
 * registries, storage and vaults, AKS clusters with kubelet and control-plane identities,
 * workload-identity apps (identity, federated credential, annotated service account,
 * Deployment and pods), and role assignments, most of them least-privilege and a known share
 * over-broad. Built in phases over the tenant builder; deterministic per seed.
 */
export function generateStandardTenant(options: GenerateOptions): GeneratedTenant {
  const b = generatedTenantBuilder(options.seed);
  const zones = buildHierarchy(b, options.subscriptions);
  const apps = Math.ceil(options.pods / PODS_PER_APP);
  const pods = { left: options.pods };
  const policy: GrantPolicy = { overBroadShare: options.overBroadShare ?? 0.05, rand: seededRandom(options.seed), granted: 0, overBroad: 0 };
  for (let c = 0; c < options.clusters; c++) {
    const cluster = buildCluster(b, zones[c % zones.length]!, c);
    // This cluster's share of the apps (the first clusters take the remainder).
    const clusterApps = Math.floor(apps / options.clusters) + (c < apps % options.clusters ? 1 : 0);
    const appsOfCluster = buildAppIdentities(b, cluster, clusterApps, pods);
    assignClusterRoles(b, cluster, appsOfCluster, policy);
    buildClusterKubernetes(b, cluster, appsOfCluster);
  }
  assignPeople(b, zones, options.assignments);
  return {
    tenant: b.tenant,
    summary: {
      subscriptions: zones.length,
      clusters: options.clusters,
      pods: options.pods - pods.left,
      roleAssignments: b.tenant.roleAssignments.length,
      workloadIdentities: policy.granted,
      overBroadAssignments: policy.overBroad,
    },
  };
}
