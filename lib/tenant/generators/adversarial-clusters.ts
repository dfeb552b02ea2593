import { POD_IDENTITY_BINDING_LABEL, WORKLOAD_IDENTITY_USE_LABEL } from "@/lib/model/kubernetes";
import type { ClusterKube } from "@/lib/tenant/builder/cluster-kube";
import type { IdentityRef } from "@/lib/tenant/builder/identities";
import { addScaleSet } from "@/lib/tenant/builder/resources";
import type { TenantBuilder } from "@/lib/tenant/builder/tenant-builder";
import type { Landing } from "./adversarial-estate";
import type { GrantTally } from "./adversarial-grants";
import { addGeneratedCluster, GENERATED_AT, shortId } from "./generated-builder";

/**
 * The adversarial shape's clusters: kubelet and control-plane identities with a mix of profile
 * and over-broad grants, and apps that reach their identities both ways at once: workload
 * identity through a few shared service accounts (each app picks its identity with
 * AZURE_CLIENT_ID), and aad-pod-identity bindings without forced namespacing, where some
 * selectors are also used from another namespace.
 */

const KUBERNETES_VERSION = "1.30.6";
const POOL = { name: "apps", count: 4 };

export interface AdversarialCluster {
  index: number;
  name: string;
  id: string;
  landing: Landing;
  nodeRgId: string;
  issuer: string;
  kubelet: IdentityRef;
  controlPlane: IdentityRef;
  vmss: string;
}

/** Phase 2: the cluster, its node resource group and its two AKS identities. */
export function buildAdversarialCluster(b: TenantBuilder, landing: Landing, c: number): AdversarialCluster {
  const name = `aks-adv-${c}`;
  const pool = { ...POOL, subnetId: landing.subnet };
  const { id, nodeRgId, issuer, controlPlane, kubelet } = addGeneratedCluster(b, { subscriptionId: landing.subscriptionId, index: c, name, pool, kubernetesVersion: KUBERNETES_VERSION });
  return { index: c, name, id, landing, nodeRgId, issuer, kubelet, controlPlane, vmss: `aks-apps-${String(c).padStart(8, "0")}-vmss` };
}

/** Phase 4a: what AKS needs, and on a rotation of clusters the usual widenings (AcrPush, subscription scope, the network resource group). */
export function assignAksRoles(b: TenantBuilder, k: AdversarialCluster, tally: GrantTally): void {
  const { landing, kubelet, controlPlane } = k;
  const wide = (scope: string, role: string, who: IdentityRef) => b.assignUnlessExists(scope, role, who) !== undefined && tally.overBroad++;
  b.assignUnlessExists(landing.registry, "AcrPull", kubelet);
  if (k.index % 2 === 0) wide(landing.registry, "AcrPush", kubelet);
  if (k.index % 3 === 0) wide(landing.id, "AcrPull", kubelet);
  // aad-pod-identity runs on every cluster, so these two are the kubelet's profile here.
  b.assignUnlessExists(k.nodeRgId, "Managed Identity Operator", kubelet);
  b.assignUnlessExists(k.nodeRgId, "Virtual Machine Contributor", kubelet);
  if (k.index % 4 === 0) wide(landing.id, "Virtual Machine Contributor", kubelet);
  b.assignUnlessExists(landing.subnet, "Network Contributor", controlPlane);
  if (k.index % 2 === 1) wide(landing.rgNet, "Network Contributor", controlPlane);
  b.assignUnlessExists(k.nodeRgId, "Contributor", controlPlane);
}

/** How many of `total` items the i-th of `n` buckets gets when the first takes `firstShare` and the rest split evenly. */
export function shareOf(total: number, n: number, i: number, firstShare: number): number {
  if (n === 1) return total;
  const first = Math.floor(total * firstShare);
  if (i === 0) return first;
  const rest = total - first;
  return Math.floor(rest / (n - 1)) + (i - 1 < rest % (n - 1) ? 1 : 0);
}

const WI_NAMESPACES = ["wi-a", "wi-b"];
const PI_NAMESPACES = ["pi-a", "pi-b"];
const SHARED_ACCOUNTS = ["shared-0", "shared-1"];

/**
 * Phase 5: the cluster's Kubernetes objects for `apps` (its share of the app identities) and
 * `pods` pods, and the node pool's scale set with the identities MIC attached to it. Even
 * apps use workload identity through the shared service accounts; odd apps aad-pod-identity.
 */
export function buildAdversarialKubernetes(b: TenantBuilder, k: AdversarialCluster, apps: { index: number; identity: IdentityRef }[], pods: number): ClusterKube {
  const kube = b.kube(k.id, k.name, [{ name: POOL.name, vmss: k.vmss, count: POOL.count }], { createdAt: GENERATED_AT, guid: b.ids.guid, resourceVersionStep: 1 });
  for (const ns of ["kube-system", "default", ...WI_NAMESPACES, ...PI_NAMESPACES]) kube.namespace(ns);
  kube.serviceAccount("kube-system", "aad-pod-identity-nmi");
  kube.daemonSet("kube-system", "nmi", {
    podLabels: { "app.kubernetes.io/component": "nmi", "app.kubernetes.io/name": "aad-pod-identity" },
    serviceAccountName: "aad-pod-identity-nmi",
    hostNetwork: true,
    containers: [{ name: "nmi", image: "mcr.microsoft.com/oss/azure/aad-pod-identity/nmi:v1.8.17", args: ["--node=$(NODE_NAME)", "--http-probe-port=8085"], fieldEnv: { NODE_NAME: "spec.nodeName" } }],
  });
  const registry = `acr${shortId(k.landing.subscriptionId)}.azurecr.io`;
  const bound: IdentityRef[] = [k.kubelet];
  const deployments: { ns: string; name: string; labels: Record<string, string>; sa: string; env: Record<string, string> }[] = [];
  const sharedAccounts = new Set<string>();
  apps.forEach(({ index, identity }, a) => {
    const name = `app-${index}`;
    if (a % 2 === 0) {
      const w = a / 2;
      const ns = WI_NAMESPACES[w % WI_NAMESPACES.length]!;
      const sa = SHARED_ACCOUNTS[Math.floor(w / WI_NAMESPACES.length) % SHARED_ACCOUNTS.length]!;
      // The service account names the first app's identity; the others pick theirs with AZURE_CLIENT_ID.
      if (!sharedAccounts.has(`${ns}/${sa}`)) kube.workloadIdentityServiceAccount(ns, sa, identity.clientId);
      sharedAccounts.add(`${ns}/${sa}`);
      b.federatedCredential(identity, `${k.name}-${ns}-${sa}`, k.issuer, ns, sa);
      const env = { AZURE_CLIENT_ID: identity.clientId, AZURE_TENANT_ID: b.tenantId, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token" };
      deployments.push({ ns, name, labels: { app: name, [WORKLOAD_IDENTITY_USE_LABEL]: "true" }, sa, env });
    } else {
      const p = (a - 1) / 2;
      const ns = PI_NAMESPACES[p % PI_NAMESPACES.length]!;
      kube.azureIdentity(ns, name, { type: 0, resourceID: identity.resourceId, clientID: identity.clientId });
      kube.azureIdentityBinding(ns, `${name}-binding`, name, name);
      bound.push(identity);
      deployments.push({ ns, name, labels: { app: name, [POD_IDENTITY_BINDING_LABEL]: name }, sa: "default", env: {} });
      // Every fifth bound app also runs from the other namespace under another app name: the
      // identity is shared across namespaces and, without forced namespacing, claimed there.
      if (p % 5 === 0) deployments.push({ ns: PI_NAMESPACES.find((n) => n !== ns)!, name: `${name}-batch`, labels: { app: `${name}-batch`, [POD_IDENTITY_BINDING_LABEL]: name }, sa: "default", env: {} });
    }
  });
  deployments.forEach((d, i) => {
    const replicas = Math.floor(pods / deployments.length) + (i < pods % deployments.length ? 1 : 0);
    kube.compactDeployment(d.ns, d.name, replicas, { labels: d.labels, serviceAccountName: d.sa, image: `${registry}/${d.ns}/${d.name}:2.${i % 9}.0`, env: d.env });
  });
  addScaleSet(b, k.nodeRgId, { vmss: k.vmss, pool: POOL.name, count: POOL.count, vmSize: "Standard_D8ds_v5", clusterName: k.name, kubernetesVersion: KUBERNETES_VERSION, identities: bound });
  return kube;
}
