/**
 * Small tenant builders for inventory tests: each returns a wire object in the shape the
 * real API (or the tenant file) carries, so tests go tenant → rawFromTenant → buildInventory.
 */
import type { ArmWireObject, KubeWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";

export const SUB = "11111111-1111-1111-1111-111111111111";
export const SUB_ID = `/subscriptions/${SUB}`;
export const TENANT = "99999999-9999-9999-9999-999999999999";
export const RG = "rg-aks";
export const RG_ID = `${SUB_ID}/resourceGroups/${RG}`;

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
    subscriptions: [{ id: SUB_ID, subscriptionId: SUB, displayName: "prod", state: "Enabled", tenantId: TENANT }],
    resourceGroups: [{ id: RG_ID, name: RG, type: "Microsoft.Resources/resourceGroups", location: "westeurope" }],
    resources: [],
    roleAssignments: [],
    principals: [],
    ...parts,
  };
}

export interface UaiWire extends ArmWireObject {
  properties: { clientId: string; principalId: string; tenantId: string };
}

export function uai(name: string, rg = RG): UaiWire {
  return {
    id: `${SUB_ID}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
    name,
    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    location: "westeurope",
    properties: { clientId: guid("c"), principalId: guid("b"), tenantId: TENANT },
  };
}

/** The Graph object Entra keeps for a managed identity. */
export function miPrincipal(u: UaiWire): Record<string, unknown> & { id: string } {
  return {
    id: u.properties.principalId,
    appId: u.properties.clientId,
    displayName: u.name,
    servicePrincipalType: "ManagedIdentity",
    alternativeNames: ["isExplicit=True", u.id],
  };
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

const identityRef = (u: UaiWire) => ({ resourceId: u.id, clientId: u.properties.clientId, objectId: u.properties.principalId });

export function managedCluster(name: string, o: ClusterOptions = {}): ArmWireObject {
  const properties: Record<string, unknown> = {
    kubernetesVersion: "1.30.3",
    dnsPrefix: name,
    fqdn: `${name}-abc.hcp.westeurope.azmk8s.io`,
    nodeResourceGroup: `MC_${RG}_${name}_westeurope`,
    agentPoolProfiles: [{ name: "system", mode: "System", count: 3, vmSize: "Standard_D4s_v5", ...(o.subnetId ? { vnetSubnetID: o.subnetId } : {}) }],
    servicePrincipalProfile: { clientId: typeof o.controlPlane === "object" && "servicePrincipal" in o.controlPlane ? o.controlPlane.servicePrincipal : "msi" },
    networkProfile: { networkPlugin: "azure" },
  };
  if (o.kubelet) properties.identityProfile = { kubeletidentity: identityRef(o.kubelet) };
  if (o.addons) {
    properties.addonProfiles = Object.fromEntries(
      Object.entries(o.addons).map(([k, v]) => [k, { enabled: v.enabled ?? true, config: v.config ?? null, ...(v.identity ? { identity: identityRef(v.identity) } : {}) }]),
    );
  }
  if (o.oidcIssuerUrl !== undefined) properties.oidcIssuerProfile = { enabled: true, issuerURL: o.oidcIssuerUrl };
  if (o.workloadIdentity !== undefined) properties.securityProfile = { workloadIdentity: { enabled: o.workloadIdentity } };
  if (o.podIdentity) {
    properties.podIdentityProfile = {
      enabled: o.podIdentity.enabled,
      userAssignedIdentities: (o.podIdentity.identities ?? []).map((p) => ({
        name: p.name,
        namespace: p.namespace,
        ...(p.bindingSelector ? { bindingSelector: p.bindingSelector } : {}),
        identity: identityRef(p.identity),
      })),
    };
  }
  let identity: Record<string, unknown> | undefined;
  if (o.controlPlane === "system") identity = { type: "SystemAssigned", principalId: o.systemPrincipalId ?? guid("5"), tenantId: TENANT };
  else if (o.controlPlane && "properties" in o.controlPlane) {
    identity = {
      type: "UserAssigned",
      userAssignedIdentities: { [o.controlPlane.id]: { clientId: o.controlPlane.properties.clientId, principalId: o.controlPlane.properties.principalId } },
    };
  }
  return {
    id: clusterId(name),
    name,
    type: "Microsoft.ContainerService/managedClusters",
    location: "westeurope",
    ...(identity ? { identity } : {}),
    properties,
  };
}

export function clusterId(name: string): string {
  return `${RG_ID}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

export function fic(identity: UaiWire, name: string, issuer: string, subject: string): ArmWireObject {
  return {
    id: `${identity.id}/federatedIdentityCredentials/${name}`,
    name,
    type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
    properties: { issuer, subject, audiences: ["api://AzureADTokenExchange"] },
  };
}

export function roleAssignment(scope: string, roleGuid: string, principalId: string, principalType = "ServicePrincipal"): ArmWireObject {
  const name = guid("a");
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: `${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType,
      scope,
    },
  };
}

// --- Kubernetes objects ---

export function namespace(name: string): KubeWireObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

export function serviceAccount(ns: string, name: string, clientId?: string): KubeWireObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace: ns, ...(clientId ? { annotations: { "azure.workload.identity/client-id": clientId } } : {}) },
  };
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
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      uid: guid("d"),
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: o.owner.kind, name: o.owner.name, uid: guid("e"), controller: true }] } : {}),
    },
    spec: {
      ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
      nodeName: "aks-system-0",
      containers: [
        {
          name: o.containerName ?? "app",
          image: o.image ?? "contoso.azurecr.io/app:1.0",
          ...(o.args ? { args: o.args } : {}),
          env: Object.entries(o.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
        },
      ],
      volumes: (o.hostPaths ?? []).map((p, i) => ({ name: `host-${i}`, hostPath: { path: p, type: "" } })),
    },
    status: { phase: "Running" },
  };
}

export function controller(
  kind: "Deployment" | "DaemonSet" | "StatefulSet",
  ns: string,
  name: string,
  o: { labels?: Record<string, string>; args?: string[]; containerName?: string; image?: string; serviceAccountName?: string } = {},
): KubeWireObject {
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: o.labels ?? {} },
      template: {
        metadata: { labels: o.labels ?? {} },
        spec: {
          ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
          containers: [{ name: o.containerName ?? name, image: o.image ?? "contoso.azurecr.io/app:1.0", ...(o.args ? { args: o.args } : {}) }],
        },
      },
    },
  };
}

/** A Deployment and `replicas` pods owned by its ReplicaSet `<name>-<hash>`. */
export function deploymentWithPods(ns: string, name: string, replicas: number, o: PodOptions = {}): KubeWireObject[] {
  const hash = "7d9f8c6b5";
  const labels = { ...(o.labels ?? {}) };
  const pods = Array.from({ length: replicas }, (_, i) =>
    pod(ns, `${name}-${hash}-${"abcde".slice(0, 4)}${i}`, { ...o, labels: { ...labels, "pod-template-hash": hash }, owner: { kind: "ReplicaSet", name: `${name}-${hash}` } }),
  );
  return [controller("Deployment", ns, name, { labels, serviceAccountName: o.serviceAccountName }), ...pods];
}

export function azureIdentity(ns: string, name: string, target: UaiWire, o: { namespacedBehavior?: boolean; type?: number } = {}): KubeWireObject {
  return {
    apiVersion: "aadpodidentity.k8s.io/v1",
    kind: "AzureIdentity",
    metadata: { name, namespace: ns, ...(o.namespacedBehavior ? { annotations: { "aadpodidentity.k8s.io/Behavior": "namespaced" } } : {}) },
    spec: { type: o.type ?? 0, resourceID: target.id, clientID: target.properties.clientId },
  };
}

export function azureIdentityBinding(ns: string, name: string, azureIdentityName: string, selector: string): KubeWireObject {
  return {
    apiVersion: "aadpodidentity.k8s.io/v1",
    kind: "AzureIdentityBinding",
    metadata: { name, namespace: ns },
    spec: { azureIdentity: azureIdentityName, selector },
  };
}
