import type { KubeWireObject } from "@/lib/model/wire";
import { holdsAction, isDelegated, principalIdsFor } from "./access";
import { HttpError, type RequestContext } from "./http";
import type { ClusterEntry, TenantStore } from "./store";

/**
 * Who may do what in a cluster's Kubernetes API, as an AKS API server decides it for Entra users.
 *
 * AKS authenticates an Entra user token (kubelogin, audience = the AKS server app) through its
 * guard webhook: the Kubernetes user name is the user's UPN and the groups are the user's Entra
 * group object ids (tenant file `users[].memberOf`), plus `system:authenticated`. Kubernetes
 * RBAC then decides with the cluster's Role/ClusterRole and RoleBinding/ClusterRoleBinding
 * objects (those of the tenant file, the bootstrap roles below, and the binding AKS creates from
 * `aadProfile.adminGroupObjectIDs` to cluster-admin). On clusters with Azure RBAC for
 * Kubernetes (`aadProfile.enableAzureRBAC`) a request is also allowed by an Azure role
 * assignment whose data actions cover it (`Microsoft.ContainerService/managedClusters/<group>/<resource>/<read|write|delete>`,
 * e.g. Azure Kubernetes Service RBAC Reader), at the cluster or, for namespaced requests, at
 * `<cluster id>/namespaces/<namespace>`. The API server authorizes before it looks the resource
 * up: a user without rights gets 403 even for a CRD that is not installed.
 *
 * Static cluster tokens (local accounts) and the emulator's client-credentials apps act as
 * cluster admins (they stand in for an operator's automation account).
 */

export type KubeVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";

/** What one request asks, in Kubernetes' authorization attributes. */
export interface KubeRequestAttributes {
  verb: KubeVerb;
  /** API group ("" for the core group). */
  group: string;
  /** Plural resource name. */
  resource: string;
  namespace?: string;
  name?: string;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
}

interface RoleRef {
  kind?: string;
  name?: string;
}

/** A Kubernetes user as the API server knows it. */
export interface KubeUser {
  name: string;
  groups: string[];
  /** Entra object ids (user and groups) whose Azure role assignments count on Azure RBAC clusters. */
  principals: Set<string>;
}

const READ = ["get", "list", "watch"];

/** Kubernetes' bootstrap ClusterRoles that a read-only role can be compared with (rbac/bootstrappolicy, cluster-roles.yaml). */
const BOOTSTRAP_CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
  // The `view` aggregate (system:aggregate-to-view). Custom resources are not in it.
  view: [
    { apiGroups: [""], resources: ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"], verbs: READ },
    { apiGroups: [""], resources: ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], verbs: READ },
    { apiGroups: [""], resources: ["namespaces"], verbs: READ },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
    { apiGroups: ["apps"], resources: ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], verbs: READ },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], verbs: READ },
    { apiGroups: ["batch"], resources: ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], verbs: READ },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets", "poddisruptionbudgets/status"], verbs: READ },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "ingresses/status", "networkpolicies"], verbs: READ },
  ],
};

/**
 * The Kubernetes identity behind a verified token, or undefined for a token that acts as cluster
 * admin (static cluster credential, client-credentials app).
 */
export function kubeUserOf(ctx: RequestContext, store: TenantStore): KubeUser | undefined {
  if (!isDelegated(ctx.claims)) return undefined;
  const principals = principalIdsFor(store, ctx.claims);
  const oid = String(ctx.claims?.oid ?? "").toLowerCase();
  const upn = typeof ctx.claims?.upn === "string" ? ctx.claims.upn : oid;
  return { name: upn, groups: [...principals].filter((p) => p !== oid).concat("system:authenticated"), principals };
}

function ruleAllows(rule: PolicyRule, a: KubeRequestAttributes): boolean {
  const has = (list: string[] | undefined, value: string) => (list ?? []).some((v) => v === "*" || v === value);
  if (!has(rule.verbs, a.verb) || !has(rule.apiGroups, a.group) || !has(rule.resources, a.resource)) return false;
  // resourceNames restrict a rule to named objects: a list or a request without a name never matches.
  if (rule.resourceNames && rule.resourceNames.length > 0) return a.name !== undefined && rule.resourceNames.includes(a.name);
  return true;
}

function subjectMatches(s: Subject, user: KubeUser): boolean {
  if (s.kind === "User") return s.name === user.name;
  if (s.kind === "Group") return typeof s.name === "string" && user.groups.some((g) => g.toLowerCase() === s.name!.toLowerCase());
  return false;
}

function objectsOfKind(cluster: ClusterEntry, kind: string): KubeWireObject[] {
  return cluster.objects.filter((o) => o.kind === kind && o.apiVersion === "rbac.authorization.k8s.io/v1");
}

function rulesOf(cluster: ClusterEntry, ref: RoleRef, namespace: string | undefined): PolicyRule[] {
  const name = ref.name ?? "";
  if (ref.kind === "ClusterRole") {
    const own = objectsOfKind(cluster, "ClusterRole").find((o) => o.metadata.name === name);
    return own ? ((own.rules as PolicyRule[] | undefined) ?? []) : (BOOTSTRAP_CLUSTER_ROLES[name] ?? []);
  }
  if (ref.kind === "Role" && namespace !== undefined) {
    const role = objectsOfKind(cluster, "Role").find((o) => o.metadata.name === name && (o.metadata.namespace ?? "default") === namespace);
    return (role?.rules as PolicyRule[] | undefined) ?? [];
  }
  return [];
}

/** Kubernetes RBAC: any ClusterRoleBinding, or a RoleBinding in the request's namespace, that grants it. */
function rbacAllows(cluster: ClusterEntry, user: KubeUser, a: KubeRequestAttributes): boolean {
  const aksAdminBinding = { roleRef: { kind: "ClusterRole", name: "cluster-admin" }, subjects: cluster.adminGroups.map((g) => ({ kind: "Group", name: g })) };
  const clusterBindings = [aksAdminBinding, ...objectsOfKind(cluster, "ClusterRoleBinding")] as { roleRef?: RoleRef; subjects?: Subject[] }[];
  for (const b of clusterBindings) {
    if (!(b.subjects ?? []).some((s) => subjectMatches(s, user))) continue;
    if (rulesOf(cluster, b.roleRef ?? {}, undefined).some((r) => ruleAllows(r, a))) return true;
  }
  if (a.namespace === undefined) return false;
  for (const b of objectsOfKind(cluster, "RoleBinding")) {
    if ((b.metadata.namespace ?? "default") !== a.namespace) continue;
    const binding = b as unknown as { roleRef?: RoleRef; subjects?: Subject[] };
    if (!(binding.subjects ?? []).some((s) => subjectMatches(s, user))) continue;
    if (rulesOf(cluster, binding.roleRef ?? {}, a.namespace).some((r) => ruleAllows(r, a))) return true;
  }
  return false;
}

/** The AKS data action for a request (Azure RBAC for Kubernetes). */
export function aksDataAction(a: KubeRequestAttributes): string {
  const op = READ.includes(a.verb) ? "read" : a.verb === "delete" ? "delete" : "write";
  return `Microsoft.ContainerService/managedClusters/${a.group ? `${a.group}/` : ""}${a.resource}/${op}`;
}

function azureRbacAllows(store: TenantStore, cluster: ClusterEntry, user: KubeUser, a: KubeRequestAttributes): boolean {
  if (!cluster.azureRbac) return false;
  const scope = a.namespace !== undefined ? `${cluster.id}/namespaces/${a.namespace}` : cluster.id;
  return holdsAction(store, user.principals, scope, aksDataAction(a), true);
}

/** The API server's 403 for a request the user may not make, word for word. */
export function forbidden(cluster: ClusterEntry, user: KubeUser, a: KubeRequestAttributes): HttpError {
  // The object named first is the resource without its subresource ("serviceaccounts", not "serviceaccounts/token").
  const base = a.resource.split("/")[0]!;
  const qualified = a.group ? `${base}.${a.group}` : base;
  const where = a.namespace !== undefined ? `in the namespace "${a.namespace}"` : "at the cluster scope";
  const what = a.name !== undefined ? `${qualified} "${a.name}"` : qualified;
  // AKS appends why Azure RBAC did not allow it either.
  const azure = cluster.azureRbac ? ": User does not have access to the resource in Azure. Update role assignment to allow access." : "";
  return new HttpError(403, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${what} is forbidden: User "${user.name}" cannot ${a.verb} resource "${a.resource}" in API group "${a.group}" ${where}${azure}`,
    reason: "Forbidden",
    details: { ...(a.name !== undefined ? { name: a.name } : {}), ...(a.group ? { group: a.group } : {}), kind: base },
    code: 403,
  });
}

/** Throws the API server's 403 unless the token's user may make the request. */
export function authorizeKube(ctx: RequestContext, store: TenantStore, cluster: ClusterEntry, a: KubeRequestAttributes): void {
  const user = kubeUserOf(ctx, store);
  if (!user) return;
  if (rbacAllows(cluster, user, a) || azureRbacAllows(store, cluster, user, a)) return;
  ctx.count("k8s:forbidden");
  throw forbidden(cluster, user, a);
}
