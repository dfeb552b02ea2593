import { WORKLOAD_IDENTITY_USE_LABEL } from "@/lib/model/kubernetes";
import type { ClusterKube } from "@/lib/tenant/builder/cluster-kube";
import type { IdentityRef } from "@/lib/tenant/builder/identities";
import type { TenantBuilder } from "@/lib/tenant/builder/tenant-builder";
import { addGeneratedCluster, GENERATED_AT, shortId } from "./generated-builder";
import type { LandingZone } from "./standard-estate";

/**
 * The standard shape's clusters, one phase a function: each cluster with its control-plane and
 * kubelet identities, its workload-identity apps (identity, federated credential), their role
 * assignments, and the Kubernetes objects that use them.
 */

export const PODS_PER_APP = 20;

export interface GeneratedCluster {
  index: number;
  name: string;
  id: string;
  zone: LandingZone;
  subnet: string;
  issuer: string;
  controlPlane: IdentityRef;
  kubelet: IdentityRef;
}

export interface GeneratedApp {
  index: number;
  name: string;
  namespace: string;
  identity: IdentityRef;
  replicas: number;
}

/** Phase 2: a cluster's resource groups, its control-plane and kubelet identities, and the cluster. */
export function buildCluster(b: TenantBuilder, zone: LandingZone, c: number): GeneratedCluster {
  const name = `aks-${c}`;
  const subnet = zone.subnets[c % 2]!;
  const { id, issuer, controlPlane, kubelet } = addGeneratedCluster(b, { subscriptionId: zone.subscriptionId, index: c, name, pool: { name: "system", count: 3, subnetId: subnet }, identityTags: {} });
  return { index: c, name, id, zone, subnet, issuer, controlPlane, kubelet };
}

/** Phase 3: per app a user-assigned identity with one federated credential for its service account. */
export function buildAppIdentities(b: TenantBuilder, cluster: GeneratedCluster, apps: number, pods: { left: number }): GeneratedApp[] {
  const out: GeneratedApp[] = [];
  for (let a = 0; a < apps; a++) {
    const namespace = `team-${a % 8}`;
    const name = `app-${a}`;
    const identity = b.userAssignedIdentity(cluster.zone.rgApp, `id-${cluster.name}-${name}`, { tags: {} });
    b.federatedCredential(identity, `fic-${cluster.name}-${name}`, cluster.issuer, namespace, name);
    const replicas = Math.min(PODS_PER_APP, pods.left);
    pods.left -= replicas;
    out.push({ index: a, name, namespace, identity, replicas });
  }
  return out;
}

export interface GrantPolicy {
  /** Share of app grants made wider than needed. */
  overBroadShare: number;
  rand: () => number;
  /** Apps granted so far in the tenant (numbering picks the data role and the kind of widening). */
  granted: number;
  overBroad: number;
}

/**
 * Phase 4: what AKS needs (the kubelet pulls from the registry, the control plane joins the
 * subnet; every tenth cluster's kubelet got AcrPull on the whole subscription instead), and per
 * app its data role on its own storage account or vault; a known share is granted wider: the
 * same role on the resource group or the subscription, or Contributor.
 */
export function assignClusterRoles(b: TenantBuilder, cluster: GeneratedCluster, apps: GeneratedApp[], policy: GrantPolicy): void {
  const { zone } = cluster;
  if (cluster.index % 10 === 9) {
    b.assignUnlessExists(zone.id, "AcrPull", cluster.kubelet);
    policy.overBroad++;
  } else b.assignUnlessExists(zone.registry, "AcrPull", cluster.kubelet);
  b.assignUnlessExists(cluster.subnet, "Network Contributor", cluster.controlPlane);
  for (const app of apps) {
    const n = ++policy.granted;
    const onVault = n % 3 === 0;
    const dataRole = onVault ? "Key Vault Secrets User" : "Storage Blob Data Reader";
    if (policy.overBroadShare > 0 && policy.rand() < policy.overBroadShare) {
      policy.overBroad++;
      const [scope, role] = [
        [zone.rgData, dataRole],
        [zone.id, dataRole],
        [zone.rgData, "Contributor"],
      ][n % 3]!;
      b.assignUnlessExists(scope!, role!, app.identity);
    } else b.assignUnlessExists(onVault ? zone.vault : zone.storage, dataRole, app.identity);
  }
}

/** Phase 5: namespaces, and per app an annotated service account and a Deployment whose pods use workload identity. */
export function buildClusterKubernetes(b: TenantBuilder, cluster: GeneratedCluster, apps: GeneratedApp[]): ClusterKube {
  const k = b.kube(cluster.id, cluster.name, [{ name: "system", vmss: `aks-system-${String(cluster.index).padStart(8, "0")}-vmss`, count: 3 }], {
    createdAt: GENERATED_AT,
    guid: b.ids.guid,
    key: String(cluster.index),
    resourceVersionStep: 1,
  });
  k.namespace("kube-system");
  k.namespace("default");
  const registry = `acr${shortId(cluster.zone.subscriptionId)}.azurecr.io`;
  for (const app of apps) {
    if (app.index < 8) k.namespace(app.namespace);
    k.workloadIdentityServiceAccount(app.namespace, app.name, app.identity.clientId);
    k.compactDeployment(app.namespace, app.name, app.replicas, {
      labels: { app: app.name, [WORKLOAD_IDENTITY_USE_LABEL]: "true" },
      serviceAccountName: app.name,
      image: `${registry}/${app.namespace}/${app.name}:1.${app.index % 7}.0`,
      env: { AZURE_CLIENT_ID: app.identity.clientId, AZURE_TENANT_ID: b.tenantId, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token" },
    });
  }
  return k;
}
