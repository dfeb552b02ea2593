/**
 * Small tenant builders for inventory and rule tests, thin over the tenant builder's wire
 * factories (lib/tenant/builder): each returns a wire object in the shape the real API (or the
 * tenant file) carries, so tests go tenant → rawFromTenant → buildInventory. Ids come from a
 * per-process sequence, so each test's objects are distinct.
 */
import type { ArmWireObject, KubeWireObject } from "@/lib/model/wire";
import { resourceGroupWire, subscriptionWire } from "@/lib/tenant/builder/arm";
import { managedClusterIdOf, managedClusterWire, type ControlPlane, type IdentityIds } from "@/lib/tenant/builder/clusters";
import { federatedCredentialWire, managedIdentityPrincipalWire, userAssignedIdentityWire } from "@/lib/tenant/builder/identities";
import {
  azureIdentityBindingWire,
  azureIdentityWire,
  controllerWire,
  envList,
  namespaceWire,
  ownerReference,
  podWire,
  serviceAccountWire,
  type ControllerKind,
} from "@/lib/tenant/builder/kube-objects";
import { roleAssignmentWire } from "@/lib/tenant/builder/roles";
import type { TenantFile } from "@/lib/tenant/types";

export const SUB = "11111111-1111-1111-1111-111111111111";
export const SUB_ID = `/subscriptions/${SUB}`;
export const TENANT = "99999999-9999-9999-9999-999999999999";
export const RG = "rg-aks";
export const RG_ID = `${SUB_ID}/resourceGroups/${RG}`;
const LOCATION = "westeurope";

/** Built-in role GUIDs (from the catalog). */
export const ROLE = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
} as const;

let seq = 0;
/** A deterministic GUID-shaped id unique within the test process. */
export function guid(prefix = "0"): string {
  seq += 1;
  const n = seq.toString(16).padStart(12, "0");
  return `${prefix.padEnd(8, "0").slice(0, 8)}-0000-4000-8000-${n}`;
}

export function tenant(parts: Partial<TenantFile> = {}): TenantFile {
  return {
    version: 1,
    tenantId: TENANT,
    subscriptions: [subscriptionWire({ subscriptionId: SUB, displayName: "prod", tenantId: TENANT })],
    resourceGroups: [resourceGroupWire(SUB, RG, LOCATION)],
    resources: [],
    roleAssignments: [],
    principals: [],
    ...parts,
  };
}

export interface UaiWire extends ArmWireObject {
  name: string;
  properties: { clientId: string; principalId: string; tenantId: string };
}

export function uai(name: string, rg = RG): UaiWire {
  const clientId = guid("c");
  return userAssignedIdentityWire(`${SUB_ID}/resourceGroups/${rg}`, name, LOCATION, { tenantId: TENANT, principalId: guid("b"), clientId }) as UaiWire;
}

const ids = (u: UaiWire): IdentityIds => ({ resourceId: u.id, clientId: u.properties.clientId, principalId: u.properties.principalId });

/** The Graph object Entra keeps for a managed identity. */
export function miPrincipal(u: UaiWire): Record<string, unknown> & { id: string } {
  const { clientId, principalId } = u.properties;
  return managedIdentityPrincipalWire({ principalId, clientId, displayName: u.name, resourceId: u.id, userAssigned: true, servicePrincipalNames: [clientId] });
}

export interface ClusterOptions {
  /** Control plane: a user-assigned identity, "system", or { servicePrincipal: clientId }. */
  controlPlane?: UaiWire | "system" | { servicePrincipal: string };
  kubelet?: UaiWire;
  addons?: Record<string, { enabled?: boolean; identity?: UaiWire; config?: Record<string, string> }>;
  oidcIssuerUrl?: string;
  workloadIdentity?: boolean;
  podIdentity?: { enabled: boolean; identities?: { name: string; namespace: string; bindingSelector?: string; identity: UaiWire }[] };
  subnetId?: string;
  systemPrincipalId?: string;
}

export function managedCluster(name: string, o: ClusterOptions = {}): ArmWireObject {
  const cp = o.controlPlane;
  const controlPlane: ControlPlane | undefined =
    cp === undefined ? undefined : cp === "system" ? { systemAssigned: o.systemPrincipalId ?? guid("5"), tenantId: TENANT } : "properties" in cp ? ids(cp as UaiWire) : (cp as { servicePrincipal: string });
  return managedClusterWire({
    rgId: RG_ID,
    name,
    location: LOCATION,
    nodeResourceGroup: `MC_${RG}_${name}_${LOCATION}`,
    controlPlane,
    kubelet: o.kubelet && ids(o.kubelet),
    addons: o.addons && Object.fromEntries(Object.entries(o.addons).map(([k, v]) => [k, { ...v, identity: v.identity && ids(v.identity) }])),
    pools: [{ name: "system", count: 3, vmSize: "Standard_D4s_v5", subnetId: o.subnetId }],
    oidcIssuer: o.oidcIssuerUrl,
    workloadIdentity: o.workloadIdentity,
    podIdentity: o.podIdentity && { ...o.podIdentity, identities: o.podIdentity.identities?.map((p) => ({ ...p, identity: ids(p.identity) })) },
    kubernetesVersion: "1.30.3",
    fqdnHash: "abc",
  });
}

export function clusterId(name: string): string {
  return managedClusterIdOf(RG_ID, name);
}

export function fic(identity: UaiWire, name: string, issuer: string, subject: string): ArmWireObject {
  return federatedCredentialWire(identity.id, name, issuer, subject);
}

export function roleAssignment(scope: string, roleGuid: string, principalId: string, principalType = "ServicePrincipal"): ArmWireObject {
  return roleAssignmentWire({ scope, name: guid("a"), roleGuid, principalId, principalType: principalType as "ServicePrincipal" });
}

// --- Kubernetes objects ---

export function namespace(name: string): KubeWireObject {
  return namespaceWire({ name });
}

export function serviceAccount(ns: string, name: string, clientId?: string): KubeWireObject {
  return serviceAccountWire({ name, namespace: ns, ...(clientId ? { annotations: { "azure.workload.identity/client-id": clientId } } : {}) });
}

export interface PodOptions {
  labels?: Record<string, string>;
  serviceAccountName?: string;
  owner?: { kind: string; name: string };
  env?: Record<string, string>;
  args?: string[];
  containerName?: string;
  image?: string;
  hostPaths?: string[];
}

export function pod(ns: string, name: string, o: PodOptions = {}): KubeWireObject {
  const metadata = { name, namespace: ns, uid: guid("d"), labels: o.labels ?? {}, ...(o.owner ? { ownerReferences: [ownerReference(o.owner.kind as ControllerKind, o.owner.name, guid("e"))] } : {}) };
  return podWire(metadata, {
    ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
    nodeName: "aks-system-0",
    containers: [{ name: o.containerName ?? "app", image: o.image ?? "contoso.azurecr.io/app:1.0", ...(o.args ? { args: o.args } : {}), env: envList(o.env ?? {}) }],
    volumes: (o.hostPaths ?? []).map((p, i) => ({ name: `host-${i}`, hostPath: { path: p, type: "" } })),
  });
}

export function controller(
  kind: "Deployment" | "DaemonSet" | "StatefulSet",
  ns: string,
  name: string,
  o: { labels?: Record<string, string>; args?: string[]; containerName?: string; image?: string; serviceAccountName?: string } = {},
): KubeWireObject {
  return controllerWire(kind, { name, namespace: ns }, {
    selector: { matchLabels: o.labels ?? {} },
    template: {
      metadata: { labels: o.labels ?? {} },
      spec: {
        ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
        containers: [{ name: o.containerName ?? name, image: o.image ?? "contoso.azurecr.io/app:1.0", ...(o.args ? { args: o.args } : {}) }],
      },
    },
  });
}

/** A Deployment and `replicas` pods owned by its ReplicaSet `<name>-<hash>`. */
export function deploymentWithPods(ns: string, name: string, replicas: number, o: PodOptions = {}): KubeWireObject[] {
  const hash = "7d9f8c6b5";
  const labels = { ...(o.labels ?? {}) };
  const pods = Array.from({ length: replicas }, (_, i) =>
    pod(ns, `${name}-${hash}-abcd${i}`, { ...o, labels: { ...labels, "pod-template-hash": hash }, owner: { kind: "ReplicaSet", name: `${name}-${hash}` } }),
  );
  return [controller("Deployment", ns, name, { labels, serviceAccountName: o.serviceAccountName }), ...pods];
}

export function azureIdentity(ns: string, name: string, target: UaiWire, o: { namespacedBehavior?: boolean; type?: number } = {}): KubeWireObject {
  const metadata = { name, namespace: ns, ...(o.namespacedBehavior ? { annotations: { "aadpodidentity.k8s.io/Behavior": "namespaced" } } : {}) };
  return azureIdentityWire(metadata, { type: (o.type ?? 0) as 0 | 1 | 2, resourceID: target.id, clientID: target.properties.clientId });
}

export function azureIdentityBinding(ns: string, name: string, azureIdentityName: string, selector: string): KubeWireObject {
  return azureIdentityBindingWire({ name, namespace: ns }, azureIdentityName, selector);
}
