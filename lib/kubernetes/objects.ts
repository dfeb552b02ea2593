import { ApisApi, AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { errorStatus, toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import type { KubeWireObject } from "@/lib/model/wire";

/** Page size for Kubernetes list calls; the API server returns `metadata.continue` while more remain. */
export const kubeListPageSize = 500;

interface ListPage {
  items: unknown[];
  continueToken?: string;
  /** The API server's revision when it answered (etcd's, shared by every kind of the cluster). */
  resourceVersion?: string;
}

interface KubeListSpec {
  /** SourceError source: `kubernetes:<plural>`. */
  plural: string;
  apiVersion: string;
  kind: string;
  /**
   * A custom resource of an add-on that may not be installed. Its absence is not an error: a
   * user with rights gets 404 for it; a user without rights gets 403 either way (the API server
   * authorizes before it resolves the resource), and API discovery tells the two apart.
   */
  optional?: boolean;
  list(apis: KubeApis, page: { limit: number; _continue?: string }): Promise<ListPage>;
  /** What of each item the scan keeps (all of it by default). */
  keep?: (item: Record<string, unknown>) => Record<string, unknown>;
}

/** Client ids are GUIDs; longer values (dashboards, scripts, certificates) are not identity settings and are not kept. */
const CONFIG_VALUE_MAX = 256;

/** A ConfigMap with its short `data` values only; `binaryData` is never an identity setting. */
function keepShortValues(item: Record<string, unknown>): Record<string, unknown> {
  const { binaryData: _binary, data, ...rest } = item;
  if (!data || typeof data !== "object") return rest;
  return { ...rest, data: Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([, v]) => typeof v === "string" && v.length <= CONFIG_VALUE_MAX)) };
}

interface KubeApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  apis: ApisApi;
}

type TypedList = { items: unknown[]; metadata?: { _continue?: string; resourceVersion?: string } };

function typed(list: TypedList): ListPage {
  return { items: list.items, continueToken: list.metadata?._continue || undefined, resourceVersion: list.metadata?.resourceVersion || undefined };
}

function custom(list: unknown): ListPage {
  const body = (list ?? {}) as { items?: unknown; metadata?: { continue?: unknown; resourceVersion?: unknown } };
  return {
    items: Array.isArray(body.items) ? body.items : [],
    continueToken: typeof body.metadata?.continue === "string" && body.metadata.continue ? body.metadata.continue : undefined,
    resourceVersion: typeof body.metadata?.resourceVersion === "string" && body.metadata.resourceVersion ? body.metadata.resourceVersion : undefined,
  };
}

const aadPodIdentity = { group: "aadpodidentity.k8s.io", version: "v1" } as const;

/** What Scopewise reads from each cluster (DESIGN.md: namespaces, pods, service accounts, controllers, aad-pod-identity; ConfigMaps for AZURE_CLIENT_ID). */
export const kubeListSpecs: readonly KubeListSpec[] = [
  { plural: "namespaces", apiVersion: "v1", kind: "Namespace", list: (a, p) => a.core.listNamespace(p).then(typed) },
  { plural: "serviceaccounts", apiVersion: "v1", kind: "ServiceAccount", list: (a, p) => a.core.listServiceAccountForAllNamespaces(p).then(typed) },
  // For the AZURE_CLIENT_ID pods take from a ConfigMap (configMapKeyRef, envFrom); Secrets are never read.
  { plural: "configmaps", apiVersion: "v1", kind: "ConfigMap", list: (a, p) => a.core.listConfigMapForAllNamespaces(p).then(typed), keep: keepShortValues },
  { plural: "pods", apiVersion: "v1", kind: "Pod", list: (a, p) => a.core.listPodForAllNamespaces(p).then(typed) },
  { plural: "deployments", apiVersion: "apps/v1", kind: "Deployment", list: (a, p) => a.apps.listDeploymentForAllNamespaces(p).then(typed) },
  { plural: "daemonsets", apiVersion: "apps/v1", kind: "DaemonSet", list: (a, p) => a.apps.listDaemonSetForAllNamespaces(p).then(typed) },
  { plural: "statefulsets", apiVersion: "apps/v1", kind: "StatefulSet", list: (a, p) => a.apps.listStatefulSetForAllNamespaces(p).then(typed) },
  {
    plural: "azureidentities",
    apiVersion: `${aadPodIdentity.group}/${aadPodIdentity.version}`,
    kind: "AzureIdentity",
    optional: true,
    list: (a, p) => a.custom.listClusterCustomObject({ ...aadPodIdentity, plural: "azureidentities", ...p }).then(custom),
  },
  {
    plural: "azureidentitybindings",
    apiVersion: `${aadPodIdentity.group}/${aadPodIdentity.version}`,
    kind: "AzureIdentityBinding",
    optional: true,
    list: (a, p) => a.custom.listClusterCustomObject({ ...aadPodIdentity, plural: "azureidentitybindings", ...p }).then(custom),
  },
];

export interface ClusterObjects {
  data: KubeWireObject[];
  errors: SourceError[];
  /**
   * The cluster's revision when the read began (the first list's resourceVersion): anything
   * written since moves it on, so a later read that finds the same revision finds the same objects.
   */
  resourceVersion?: string;
}

function makeApis(kubeConfig: KubeConfig): KubeApis {
  return {
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    apis: kubeConfig.makeApiClient(ApisApi),
  };
}

/**
 * The cluster's current revision, in one small request (the first namespace): Kubernetes has
 * one revision per cluster (etcd's), moved on by every write to any object, so it can only
 * equal an earlier read's when nothing changed. On a busy cluster (leases, events) it moves
 * all the time and the cluster is simply read again.
 */
export async function getClusterRevision(kubeConfig: KubeConfig): Promise<string | undefined> {
  const list = await makeApis(kubeConfig).core.listNamespace({ limit: 1 });
  return list.metadata?.resourceVersion || undefined;
}

/**
 * Reads every kind in `kubeListSpecs` from one cluster, following `continue` tokens.
 * A kind the caller may not list (403) fails on its own, with an error naming the verb and
 * resource refused, and the others are still read; an add-on's custom resource that is not
 * installed is skipped (404, or 403 where discovery shows its API group absent). Any other
 * failure stops the cluster. Each failure is a SourceError naming the cluster. Items come back
 * as plain JSON (the client's Date objects become RFC 3339 strings again) with apiVersion and
 * kind set, since list items omit them.
 */
export async function listClusterObjects(
  kubeConfig: KubeConfig,
  clusterId: string,
  pageSize = kubeListPageSize,
  hooks: { signal?: AbortSignal; onKind?: (plural: string, items: number) => void } = {},
): Promise<ClusterObjects> {
  const apis = makeApis(kubeConfig);
  const data: KubeWireObject[] = [];
  const errors: SourceError[] = [];
  let resourceVersion: string | undefined;
  let groups: Promise<Set<string> | undefined> | undefined;
  // Kinds are read one after another: one API server, modest request rate per cluster;
  // clusters themselves are read in parallel by the caller.
  for (const spec of kubeListSpecs) {
    try {
      const listed = await listAll(apis, spec, pageSize, hooks.signal);
      resourceVersion ??= listed.resourceVersion;
      data.push(...listed.items);
      hooks.onKind?.(spec.plural, listed.items.length);
    } catch (error) {
      // A cancelled read is no failure of the cluster: the caller stops the scan.
      if (hooks.signal?.aborted) throw error;
      const status = errorStatus(error);
      if (spec.optional && status === 404) continue;
      if (spec.optional && status === 403) {
        groups ??= servedGroups(apis);
        const served = await groups;
        if (served && !served.has(groupOf(spec))) continue;
      }
      const sourceError = toSourceError(error, { source: `kubernetes:${spec.plural}`, cluster: clusterId });
      if (status === 403) sourceError.message = `${sourceError.message} (refused: list ${qualifiedResource(spec)}; deploy/kubernetes/scopewise-reader.yaml grants what a scan reads)`;
      errors.push(sourceError);
      // RBAC can deny one kind (403) while others stay readable. Anything else (API
      // server down, 5xx, token refused, network) fails every kind alike: one error
      // for the cluster, not one per kind.
      if (status !== 403 && status !== 404) break;
    }
  }
  return { data, errors, ...(resourceVersion ? { resourceVersion } : {}) };
}

function groupOf(spec: KubeListSpec): string {
  const slash = spec.apiVersion.indexOf("/");
  return slash < 0 ? "" : spec.apiVersion.slice(0, slash);
}

/** `pods`, `deployments.apps`, `azureidentities.aadpodidentity.k8s.io`: how Kubernetes names a resource. */
function qualifiedResource(spec: KubeListSpec): string {
  const group = groupOf(spec);
  return group ? `${spec.plural}.${group}` : spec.plural;
}

/** API groups the cluster serves (`GET /apis`, readable by every authenticated user), or undefined when discovery fails. */
async function servedGroups(apis: KubeApis): Promise<Set<string> | undefined> {
  try {
    const list = await apis.apis.getAPIVersions();
    return Array.isArray(list.groups) ? new Set(list.groups.map((g) => g.name)) : undefined;
  } catch {
    return undefined;
  }
}

async function listAll(apis: KubeApis, spec: KubeListSpec, limit: number, signal: AbortSignal | undefined): Promise<{ items: KubeWireObject[]; resourceVersion?: string }> {
  const out: KubeWireObject[] = [];
  const seenTokens = new Set<string>();
  let continueToken: string | undefined;
  let resourceVersion: string | undefined;
  do {
    // Nothing more is asked of the API server once the scan is cancelled.
    signal?.throwIfAborted();
    const page = await spec.list(apis, continueToken ? { limit, _continue: continueToken } : { limit });
    resourceVersion ??= page.resourceVersion;
    for (const item of page.items) out.push(toWire(item, spec));
    continueToken = page.continueToken;
    if (continueToken) {
      if (seenTokens.has(continueToken)) throw new Error(`the API server repeated a continue token listing ${spec.plural}`);
      seenTokens.add(continueToken);
    }
  } while (continueToken);
  return { items: out, resourceVersion };
}

function toWire(item: unknown, spec: KubeListSpec): KubeWireObject {
  // JSON round trip: typed models hold Date objects for timestamps; JSON.stringify
  // renders them as ISO strings, which is what the API server sent.
  const plain = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
  return { ...(spec.keep ? spec.keep(plain) : plain), apiVersion: spec.apiVersion, kind: spec.kind } as KubeWireObject;
}
