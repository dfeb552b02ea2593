/**
 * Domain types shared by every layer. Wire shapes (ARM, Graph, Kubernetes) stop at the
 * adapters in lib/azure and lib/kubernetes; everything past them speaks these types.
 * Every id is an ARM resource id or a Kubernetes-derived id; ARM ids compare
 * case-insensitively, so lookups go through `normalizeId` (lib/model/scope.ts).
 */

/** Which job an identity does for a cluster (or none). */
export const IdentityKind = {
  ControlPlane: "control-plane",
  Kubelet: "kubelet",
  Addon: "addon",
  App: "app",
  ServicePrincipal: "service-principal",
  Other: "other",
} as const;
export type IdentityKind = (typeof IdentityKind)[keyof typeof IdentityKind];

export const ScopeLevel = {
  Root: "root",
  ManagementGroup: "managementGroup",
  Subscription: "subscription",
  ResourceGroup: "resourceGroup",
  Resource: "resource",
} as const;
export type ScopeLevel = (typeof ScopeLevel)[keyof typeof ScopeLevel];

/** A parsed ARM scope. `resourceType` is the full type, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
export interface ParsedScope {
  id: string;
  level: ScopeLevel;
  managementGroup?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  provider?: string;
  resourceType?: string;
  resourceName?: string;
  /** True when the resource is a child (e.g. a subnet of a virtual network). */
  isChildResource?: boolean;
  /** For an extension resource (`<resource id>/providers/<ns>/<type>/<name>`): the resource it extends. */
  extendsResource?: string;
}

/** A part of the tenant that could not be read. Shown as partial coverage, never as emptiness. */
export interface SourceError {
  /** What was being read: "arm:roleAssignments", "graph:principals", "kubernetes:pods", ... */
  source: string;
  message: string;
  status?: number;
  code?: string;
  /** The ARM scope being read when it failed (a subscription id, a resource group id, ...). */
  scope?: string;
  /** The managedCluster id when a cluster read failed. */
  cluster?: string;
}

export interface ManagementGroup {
  id: string;
  name: string;
  displayName: string;
  parentId?: string;
}

export interface Subscription {
  id: string;
  subscriptionId: string;
  displayName: string;
  state: string;
  tenantId?: string;
  managementGroupId?: string;
}

export interface ResourceGroup {
  id: string;
  name: string;
  subscriptionId: string;
  location: string;
  /** For an AKS node resource group: the managedCluster id that owns it. */
  managedBy?: string;
}

/** Any ARM resource, kept generic; specialised views (clusters, identities) are built from these. */
export interface Resource {
  id: string;
  name: string;
  type: string;
  location?: string;
  subscriptionId: string;
  resourceGroup: string;
  tags?: Record<string, string>;
  identity?: ResourceIdentityBlock;
  properties: Record<string, unknown>;
}

/** The `identity` block an ARM resource carries (system- and/or user-assigned). */
export interface ResourceIdentityBlock {
  type: string;
  principalId?: string;
  tenantId?: string;
  userAssignedIdentities?: Record<string, { principalId?: string; clientId?: string }>;
}

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  condition?: string | null;
}

export interface RoleDefinition {
  /** Tenant-level id: `/providers/Microsoft.Authorization/roleDefinitions/<guid>`. */
  id: string;
  /** The role definition GUID. */
  name: string;
  roleName: string;
  roleType: "BuiltInRole" | "CustomRole";
  description: string;
  assignableScopes: string[];
  permissions: Permission[];
}

export interface RoleAssignment {
  id: string;
  name: string;
  scope: string;
  scopeLevel: ScopeLevel;
  principalId: string;
  principalType: string;
  /** As ARM returned it (often subscription-qualified). */
  roleDefinitionId: string;
  /** The role definition GUID, the stable key into `Inventory.roleDefinitions`. */
  roleDefinitionName: string;
  /** Resolved from the role definition; undefined when the definition could not be read. */
  roleName?: string;
  /**
   * An ABAC condition (Azure evaluates it for storage blob and queue data actions and for role
   * assignment writes and deletes): the grant applies only where it holds.
   */
  condition?: string | null;
  /** "2.0" for every condition Azure accepts today. */
  conditionVersion?: string | null;
  description?: string | null;
  createdOn?: string;
}

export const PrincipalType = {
  ServicePrincipal: "servicePrincipal",
  User: "user",
  Group: "group",
} as const;
export type PrincipalType = (typeof PrincipalType)[keyof typeof PrincipalType];

/** A Microsoft Graph directory object. */
export interface Principal {
  id: string;
  type: PrincipalType;
  displayName: string;
  appId?: string;
  /** "ManagedIdentity" or "Application" for service principals. */
  servicePrincipalType?: string;
  /** For managed identities Graph lists the identity's ARM resource id here. */
  alternativeNames?: string[];
  userPrincipalName?: string;
}

/** A Microsoft.ManagedIdentity/userAssignedIdentities resource. */
export interface UserAssignedIdentity {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location?: string;
  clientId: string;
  principalId: string;
  tenantId?: string;
}

export interface FederatedCredential {
  id: string;
  name: string;
  /** The user-assigned identity this credential belongs to. */
  identityId: string;
  issuer: string;
  /** The exact subject it trusts; absent on a flexible credential, which matches claims by expression instead. */
  subject?: string;
  /**
   * A flexible federated credential's rule (`claimsMatchingExpression.value`, e.g.
   * `claims['sub'] matches 'system:serviceaccount:payments:*'`): it trusts every token whose
   * claims match, so no single ServiceAccount names it.
   */
  claimsMatchingExpression?: string;
  audiences: string[];
}

/** How an AKS cluster refers to one of its identities. */
export interface ClusterIdentityRef {
  type: "SystemAssigned" | "UserAssigned" | "ServicePrincipal";
  principalId?: string;
  clientId?: string;
  /** The userAssignedIdentities resource id, when user-assigned. */
  resourceId?: string;
}

export interface AgentPool {
  name: string;
  mode?: string;
  count?: number;
  vmSize?: string;
  vnetSubnetId?: string;
  podSubnetId?: string;
}

/** An add-on as AKS reports it (`addonProfiles.<name>`, or the app-routing add-on under `ingressProfile.webAppRouting`). */
export interface ClusterAddon {
  name: string;
  enabled: boolean;
  identity?: ClusterIdentityRef;
  config?: Record<string, string>;
  /** The DNS zones the app-routing add-on manages records in (`webAppRouting.dnsZoneResourceIds`). */
  dnsZoneResourceIds?: string[];
}

/**
 * A cluster extension (`Microsoft.KubernetesConfiguration/extensions`, an extension resource of
 * the cluster). On AKS the identity Azure RBAC grants to is `properties.aksAssignedIdentity`,
 * a managed identity AKS creates in the node resource group for the extension.
 */
export interface ClusterExtension {
  id: string;
  name: string;
  /** As its publisher registered it: `microsoft.flux`, `microsoft.dataprotection.kubernetes`. */
  extensionType: string;
  identity?: ClusterIdentityRef;
  /** Namespace its release runs in (`scope.cluster.releaseNamespace`, or `scope.namespace.targetNamespace`). */
  releaseNamespace?: string;
  configurationSettings: Record<string, string>;
}

/** An AKS managedCluster, normalised. */
export interface Cluster {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  kubernetesVersion?: string;
  fqdn?: string;
  nodeResourceGroup?: string;
  /** The node resource group's full id, when known. */
  nodeResourceGroupId?: string;
  controlPlane?: ClusterIdentityRef;
  kubelet?: ClusterIdentityRef;
  addons: ClusterAddon[];
  /** Cluster extensions (Microsoft.KubernetesConfiguration/extensions): Flux, Azure Backup, ... */
  extensions?: ClusterExtension[];
  agentPools: AgentPool[];
  oidcIssuerEnabled: boolean;
  oidcIssuerUrl?: string;
  workloadIdentityEnabled: boolean;
  podIdentityEnabled: boolean;
  /** Identities configured through the managed pod-identity add-on. */
  podIdentities: { name: string; namespace: string; bindingSelector?: string; identity: ClusterIdentityRef }[];
  aadEnabled: boolean;
  azureRbacEnabled: boolean;
  privateCluster: boolean;
  privateDnsZone?: string;
  /** Route table attached to the cluster's subnets, when the network profile says so. */
  networkPlugin?: string;
}

/** Where a fact about an identity came from: which cluster and which job. */
export interface IdentityUse {
  kind: IdentityKind;
  clusterId?: string;
  /** Add-on name for add-on identities (omsagent, azureKeyvaultSecretsProvider, ...). */
  addon?: string;
  /** For app identities: how workloads reach it. */
  mechanism?: LinkMechanism;
}

/**
 * A security principal seen in the tenant: a managed identity, a service principal, a user
 * or a group. Keyed by principal (object) id when known, else by client id.
 */
export interface Identity {
  key: string;
  principalId?: string;
  clientId?: string;
  /** The userAssignedIdentities resource id (user-assigned managed identities only). */
  resourceId?: string;
  displayName: string;
  /** The most specific job it does; see `uses` for all of them. */
  kind: IdentityKind;
  uses: IdentityUse[];
  clusterIds: string[];
  principalType?: string;
  /** True when the directory lists it, false when Graph says it is gone, undefined when unknown. */
  existsInDirectory?: boolean;
  /** System-assigned identity: the resource it belongs to. */
  systemAssignedTo?: string;
  /** What the scan could not establish about it, and why (e.g. its object id, without Graph). */
  notes?: string[];
}

/** Thin Kubernetes models: only what Scopewise reads. */
export interface KubeMeta {
  clusterId: string;
  namespace: string;
  name: string;
  uid?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface KubeNamespace {
  clusterId: string;
  name: string;
  labels: Record<string, string>;
}

export interface ServiceAccount extends KubeMeta {
  /** `azure.workload.identity/client-id` annotation. */
  workloadIdentityClientId?: string;
}

export interface PodVolumeHostPath {
  volume: string;
  path: string;
}

/**
 * A container environment variable taken from a ConfigMap or Secret instead of a literal value:
 * one key (`env[].valueFrom.configMapKeyRef` / `secretKeyRef`) or every key of the object
 * (`envFrom[]`, names prefixed with `prefix`).
 */
export interface EnvReference {
  source: "configMap" | "secret";
  name: string;
  /** The key of a single variable; absent for `envFrom`. */
  key?: string;
  prefix?: string;
}

export interface PodContainer {
  name: string;
  image: string;
  args: string[];
  /** Literal values (`env[].value`). */
  env: Record<string, string>;
  /** Variables whose value comes from a ConfigMap or Secret key, by variable name. */
  envRefs?: Record<string, EnvReference>;
  /** `envFrom`: every key of these ConfigMaps and Secrets becomes a variable. */
  envFrom?: EnvReference[];
}

/** A ConfigMap, kept for the identity settings pods take from it (`AZURE_CLIENT_ID`). */
export interface ConfigMap extends KubeMeta {
  data: Record<string, string>;
}

export interface Pod extends KubeMeta {
  serviceAccountName: string;
  nodeName?: string;
  phase?: string;
  owner?: { kind: string; name: string };
  containers: PodContainer[];
  hostPaths: PodVolumeHostPath[];
  /** Pod id used across the app: `${clusterId}/namespaces/${ns}/pods/${name}`. */
  id: string;
}

export interface Controller extends KubeMeta {
  kind: "Deployment" | "DaemonSet" | "StatefulSet";
  /** Labels of the pod template. */
  templateLabels: Record<string, string>;
  containers: { name: string; image: string; args: string[] }[];
  serviceAccountName?: string;
}

/** aad-pod-identity AzureIdentity. type: 0 user-assigned MSI, 1 service principal secret, 2 certificate. */
export interface AzureIdentity extends KubeMeta {
  type: number;
  resourceId?: string;
  clientId?: string;
}

export interface AzureIdentityBinding extends KubeMeta {
  azureIdentity: string;
  selector: string;
}

/** Pods grouped by their owning controller (a Deployment through its ReplicaSet, a DaemonSet, ...). */
export interface Workload {
  /** `${clusterId}/namespaces/${ns}/${kind}/${name}` */
  id: string;
  clusterId: string;
  namespace: string;
  kind: string;
  name: string;
  podIds: string[];
  serviceAccountName: string;
  labels: Record<string, string>;
  /** The app label (`app.kubernetes.io/name` or `app`), when set. */
  app?: string;
}

export const LinkMechanism = {
  PodIdentity: "aad-pod-identity",
  WorkloadIdentity: "workload-identity",
  EnvClientId: "env-client-id",
} as const;
export type LinkMechanism = (typeof LinkMechanism)[keyof typeof LinkMechanism];

/**
 * A workload acting as an identity, and how: the binding chain for aad-pod-identity, or
 * service account + federated credential for workload identity.
 */
export interface IdentityLink {
  id: string;
  workloadId: string;
  clusterId: string;
  namespace: string;
  mechanism: LinkMechanism;
  /** Identity.key of the identity reached. */
  identityKey: string;
  clientId?: string;
  azureIdentity?: { namespace: string; name: string };
  binding?: { namespace: string; name: string; selector: string };
  serviceAccount?: { namespace: string; name: string };
  federatedCredentialId?: string;
  /** Pods of the workload that actually match (label present, SA used). */
  podIds: string[];
  /** False when the chain is broken (missing FIC, missing pod label...); the reasons are in `problems`. */
  complete: boolean;
  problems: string[];
}

export interface KubernetesData {
  namespaces: KubeNamespace[];
  serviceAccounts: ServiceAccount[];
  pods: Pod[];
  controllers: Controller[];
  azureIdentities: AzureIdentity[];
  azureIdentityBindings: AzureIdentityBinding[];
  /** ConfigMaps (read for `AZURE_CLIENT_ID` taken from them); absent when none were read. */
  configMaps?: ConfigMap[];
  /** Clusters whose Kubernetes API was read completely. */
  readClusterIds: string[];
}

/** One scan of a tenant, normalised. Plain JSON: it is stored and sent between layers as is. */
export interface Inventory {
  scannedAt: string;
  tenantId?: string;
  managementGroups: ManagementGroup[];
  subscriptions: Subscription[];
  resourceGroups: ResourceGroup[];
  resources: Resource[];
  clusters: Cluster[];
  roleDefinitions: RoleDefinition[];
  roleAssignments: RoleAssignment[];
  principals: Principal[];
  /** False when Graph could not be read: principals are unresolved, not "deleted". */
  principalsResolved: boolean;
  userAssignedIdentities: UserAssignedIdentity[];
  federatedCredentials: FederatedCredential[];
  identities: Identity[];
  kubernetes: KubernetesData;
  workloads: Workload[];
  links: IdentityLink[];
  errors: SourceError[];
  /** How the scan read the tenant, where that changes what it could see (not errors: nothing failed). */
  notes?: string[];
  /**
   * Set when the scan covered only part of what the credential can see (selected subscriptions, a
   * management group): what is absent from the inventory may exist outside it.
   */
  partialScope?: string;
}
