import { HttpError } from "./http";
import type { ClusterEntry } from "./store";

export interface KubeResource {
  group: string;
  version: string;
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Custom resources: the API server returns apiVersion/kind on list items only for these. */
  crd?: boolean;
}

/** The kinds the emulator serves, by API group: what a scan of AKS identities reads. */
export const RESOURCES: KubeResource[] = [
  { group: "", version: "v1", name: "namespaces", singularName: "namespace", kind: "Namespace", namespaced: false, shortNames: ["ns"] },
  { group: "", version: "v1", name: "pods", singularName: "pod", kind: "Pod", namespaced: true, shortNames: ["po"] },
  { group: "", version: "v1", name: "serviceaccounts", singularName: "serviceaccount", kind: "ServiceAccount", namespaced: true, shortNames: ["sa"] },
  { group: "", version: "v1", name: "nodes", singularName: "node", kind: "Node", namespaced: false, shortNames: ["no"] },
  { group: "", version: "v1", name: "configmaps", singularName: "configmap", kind: "ConfigMap", namespaced: true, shortNames: ["cm"] },
  { group: "apps", version: "v1", name: "deployments", singularName: "deployment", kind: "Deployment", namespaced: true, shortNames: ["deploy"] },
  { group: "apps", version: "v1", name: "daemonsets", singularName: "daemonset", kind: "DaemonSet", namespaced: true, shortNames: ["ds"] },
  { group: "apps", version: "v1", name: "statefulsets", singularName: "statefulset", kind: "StatefulSet", namespaced: true, shortNames: ["sts"] },
  { group: "apps", version: "v1", name: "replicasets", singularName: "replicaset", kind: "ReplicaSet", namespaced: true, shortNames: ["rs"] },
  { group: "batch", version: "v1", name: "jobs", singularName: "job", kind: "Job", namespaced: true },
  { group: "batch", version: "v1", name: "cronjobs", singularName: "cronjob", kind: "CronJob", namespaced: true, shortNames: ["cj"] },
  { group: "rbac.authorization.k8s.io", version: "v1", name: "roles", singularName: "role", kind: "Role", namespaced: true },
  { group: "rbac.authorization.k8s.io", version: "v1", name: "rolebindings", singularName: "rolebinding", kind: "RoleBinding", namespaced: true },
  { group: "rbac.authorization.k8s.io", version: "v1", name: "clusterroles", singularName: "clusterrole", kind: "ClusterRole", namespaced: false },
  { group: "rbac.authorization.k8s.io", version: "v1", name: "clusterrolebindings", singularName: "clusterrolebinding", kind: "ClusterRoleBinding", namespaced: false },
  ...(
    [
      ["azureidentities", "azureidentity", "AzureIdentity"],
      ["azureidentitybindings", "azureidentitybinding", "AzureIdentityBinding"],
      ["azurepodidentityexceptions", "azurepodidentityexception", "AzurePodIdentityException"],
      ["azureassignedidentities", "azureassignedidentity", "AzureAssignedIdentity"],
    ] as const
  ).map(([name, singularName, kind]) => ({ group: "aadpodidentity.k8s.io", version: "v1", name, singularName, kind, namespaced: true, crd: true })),
];

const READ_VERBS = ["get", "list"];
/** Kinds kubernetes-writes.ts accepts server-side apply / delete for; discovery advertises the verbs. */
const WRITE_VERBS: Record<string, string[]> = {
  ServiceAccount: ["patch", "delete"],
  Deployment: ["patch", "delete"],
  StatefulSet: ["patch", "delete"],
  DaemonSet: ["patch", "delete"],
  AzureIdentity: ["patch", "delete"],
  AzureIdentityBinding: ["patch", "delete"],
};
/** The API groups a cluster serves: the built-in ones, and custom resource groups only where their CRDs are installed. */
export function servedGroups(cluster: ClusterEntry): string[] {
  return [...new Set(RESOURCES.filter((r) => r.group !== "" && (!r.crd || cluster.crdGroups.has(r.group))).map((r) => r.group))];
}

/** Whether the cluster serves an API group (and version, when given). */
export function servesGroupVersion(cluster: ClusterEntry, group: string, version?: string): boolean {
  return RESOURCES.some((x) => x.group === group && (version === undefined || x.version === version) && (!x.crd || cluster.crdGroups.has(x.group)));
}

/** The served resource for a group/version/plural, or undefined (not a kind the emulator serves, or a CRD not installed). */
export function servedResource(cluster: ClusterEntry, group: string, version: string, resource: string | undefined): KubeResource | undefined {
  return RESOURCES.find((x) => x.group === group && x.version === version && x.name === resource && (!x.crd || cluster.crdGroups.has(x.group)));
}

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function status(code: number, reason: string, message: string, details?: Record<string, unknown>): HttpError {
  return new HttpError(code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code });
}

export function resourceList(gv: string): Record<string, unknown> {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv,
    resources: RESOURCES.filter((r) => groupVersion(r) === gv).map((r) => ({
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...READ_VERBS, ...(WRITE_VERBS[r.kind] ?? [])],
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.crd ? {} : { storageVersionHash: Buffer.from(`${gv}/${r.kind}`).toString("base64").slice(0, 11) }),
    })),
  };
}

export function apiGroup(group: string): Record<string, unknown> {
  const versions = [...new Set(RESOURCES.filter((r) => r.group === group).map((r) => r.version))].map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

