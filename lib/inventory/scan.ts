import type { TokenCredential } from "@azure/core-auth";
import { listRoleAssignments, listRoleDefinitions } from "@/lib/azure/authorization";
import { createAzureClients, type AzureClients } from "@/lib/azure/clients";
import { getClusterUserKubeconfig, listManagedClusters } from "@/lib/azure/clusters";
import { mapBounded } from "@/lib/azure/concurrency";
import { errorStatus, toSourceError } from "@/lib/model/source-error";
import { listFederatedCredentials, listUserAssignedIdentities } from "@/lib/azure/identities";
import { listManagementGroups } from "@/lib/azure/management-groups";
import { listPrincipalsByIds } from "@/lib/azure/principals";
import { listGraphResourceGroups, listGraphResources, listGraphRoleAssignments, listGraphRoleDefinitions } from "@/lib/azure/resource-graph";
import { DeadlineExceededError, withDeadline, type RequestStats, type RetrySettings } from "@/lib/azure/throttle";
import { fullResourceApiVersions, getResource, listResources } from "@/lib/azure/resources";
import { listResourceGroups, listSubscriptions } from "@/lib/azure/subscriptions";
import { WireListError } from "@/lib/model/source-error";
import { ConfigurationError } from "@/lib/env";
import { buildKubeConfig } from "@/lib/kubernetes/kubeconfig";
import { listClusterObjects } from "@/lib/kubernetes/objects";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { Inventory, SourceError } from "@/lib/model/types";
import type { ArmWireObject, KubeWireObject, WireObject } from "@/lib/model/wire";
import { buildInventory } from "./build";
import type { RawCollection } from "@/lib/model/wire";

/** How to reach and read a tenant: real Azure or the emulator, through the same code. */
export interface ScanConfig {
  credential: TokenCredential;
  /** Home tenant id; taken from the subscriptions when absent. */
  tenantId?: string;
  armEndpoint: string;
  armAudience?: string;
  graphEndpoint: string;
  graphAudience?: string;
  /** PEM of a CA to trust for ARM, Graph and token requests (the emulator's). */
  caPem?: string;
  /** Only these subscription ids (case-insensitive); all visible ones when absent. */
  subscriptions?: string[];
  /** Subscriptions, and separately clusters, read in parallel at most this many at a time (default 4). */
  concurrency?: number;
  /** Items per Kubernetes list page (`limit`; default 500). */
  kubernetesPageSize?: number;
  /**
   * Read role assignments, role definitions, resources and resource groups through Azure
   * Resource Graph ("auto": when more than `resourceGraphThreshold` subscriptions are
   * scanned), or always / never. Federated credentials, management groups, principals and
   * Kubernetes are read the same way on both paths.
   */
  resourceGraph?: "auto" | "always" | "never";
  /** "auto" uses Resource Graph above this many subscriptions (default 3). */
  resourceGraphThreshold?: number;
  /** Retries of throttled, failed and reset Azure requests (the SDK's retry policy). */
  retry?: RetrySettings;
  /** Azure requests in flight per host at most (default 16). */
  maxInFlightPerHost?: number;
  /** Deadlines: all Azure reads together (default 15 min), and each cluster's Kubernetes reads (default 3 min). */
  deadlines?: { azureMs?: number; clusterMs?: number };
  /** Filled at the end of the scan with what it took (requests, retries, the path used). */
  stats?: ScanStats;
}

/** What one scan cost: Azure request counters plus how the ARM side was read. */
export interface ScanStats extends RequestStats {
  path: "resource-graph" | "arm";
  /** Why Resource Graph was abandoned for per-subscription reads, when it was. */
  resourceGraphFallback?: string;
  /** Clusters whose Kubernetes reads hit their deadline. */
  clusterDeadlinesHit: number;
}

/** Nothing could be read because the credential was refused; a partial scan would only show errors. */
export class ScanAuthenticationError extends Error {
  readonly status?: number;
  readonly code?: string;
  constructor(error: SourceError) {
    super(`Scan could not authenticate: ${error.message}`);
    this.name = "ScanAuthenticationError";
    this.status = error.status;
    this.code = error.code;
  }
}

const defaultConcurrency = 4;
const defaultResourceGraphThreshold = 3;
const defaultAzureDeadlineMs = 15 * 60_000;
const defaultClusterDeadlineMs = 3 * 60_000;

/** Reads a tenant into wire shapes. Partial failures are in `errors`; only configuration and authentication problems throw. */
export async function collectTenant(config: ScanConfig): Promise<RawCollection> {
  const concurrency = validateConfig(config);
  let clients: AzureClients;
  try {
    clients = createAzureClients({ ...config, deadlineMs: config.deadlines?.azureMs ?? defaultAzureDeadlineMs });
  } catch (error) {
    throw new ConfigurationError(error instanceof Error ? error.message : String(error));
  }
  const errors: SourceError[] = [];
  const raw: RawCollection = {
    tenantId: config.tenantId,
    managementGroups: [],
    subscriptions: [],
    resourceGroups: [],
    resources: [],
    roleDefinitions: [],
    roleAssignments: [],
    federatedIdentityCredentials: [],
    principals: null,
    kubernetes: {},
    kubernetesRead: [],
    errors,
  };

  let visible: WireObject[];
  try {
    visible = await listSubscriptions(clients);
  } catch (error) {
    const sourceError = toSourceError(error, { source: "arm:subscriptions", scope: "/subscriptions" });
    if (sourceError.status === 401) throw new ScanAuthenticationError(sourceError);
    errors.push(sourceError);
    if (config.stats) Object.assign(config.stats, { ...clients.stats, path: "arm", clusterDeadlinesHit: 0 } satisfies ScanStats);
    return raw;
  }
  raw.subscriptions = selectSubscriptions(visible, config.subscriptions, errors);
  raw.tenantId ??= firstString(raw.subscriptions.map((s) => s.tenantId));

  const subscriptionIds = raw.subscriptions.map((s) => String(s.subscriptionId));
  const managementGroupsPromise = readManagementGroups(clients, concurrency, errors);
  const notes: string[] = [];
  let path: ScanStats["path"] = "arm";
  let resourceGraphFallback: string | undefined;
  let perSubscription: SubscriptionRead[] | undefined;
  if (useResourceGraph(config, subscriptionIds.length)) {
    const graph = await readThroughResourceGraph(clients, subscriptionIds, concurrency, errors);
    if ("failure" in graph) {
      // Nothing ARG returned is kept: the per-subscription reads below cover the same data.
      resourceGraphFallback = graph.failure;
    } else {
      path = "resource-graph";
      perSubscription = [graph.read];
      if (graph.truncated) notes.push("Resource Graph truncated some results (resultTruncated); resources or role assignments may be missing. Scan with resourceGraph: \"never\" for complete per-subscription reads.");
    }
  }
  if (!perSubscription) {
    // Built-in roles come with the first subscription's list; the rest list custom roles only.
    perSubscription = await mapBounded(subscriptionIds, concurrency, (id, index) =>
      readSubscription(clients, id, { concurrency, customRolesOnly: index > 0 }, errors),
    );
    await ensureBuiltInRoles(clients, subscriptionIds, perSubscription, errors);
  }
  raw.managementGroups = await managementGroupsPromise;
  assignSubscriptionParents(raw.subscriptions, raw.managementGroups);
  if (path === "resource-graph") {
    (perSubscription[0] as SubscriptionRead).roleAssignments = inheritedOnly((perSubscription[0] as SubscriptionRead).roleAssignments, raw.subscriptions, raw.managementGroups);
  }

  const resources = new WireIndex();
  const roleDefinitions = new Map<string, ArmWireObject>();
  const roleAssignments = new WireIndex();
  const fics = new WireIndex();
  const resourceGroups = new WireIndex();
  const clusters = new WireIndex();
  for (const sub of perSubscription) {
    for (const rg of sub.resourceGroups) resourceGroups.add(rg);
    // Generic-list items first, then full GET shapes over them.
    for (const r of sub.genericResources) resources.add(r);
    for (const r of [...sub.clusters, ...sub.identities, ...sub.fullResources]) resources.add(r, true);
    for (const c of sub.clusters) clusters.add(c);
    for (const d of sub.roleDefinitions) {
      const key = roleDefinitionGuid(String(d.name ?? d.id));
      if (!roleDefinitions.has(key)) roleDefinitions.set(key, d);
    }
    // Inherited management-group and root assignments appear in every subscription's list.
    for (const a of sub.roleAssignments) roleAssignments.add(a);
    for (const f of sub.federatedCredentials) fics.add(f);
  }
  raw.resourceGroups = resourceGroups.values();
  raw.resources = resources.values();
  raw.roleDefinitions = [...roleDefinitions.values()];
  raw.roleAssignments = roleAssignments.values();
  raw.federatedIdentityCredentials = fics.values();

  const [principals, clusterDeadlinesHit] = await Promise.all([
    readPrincipals(clients, principalIdsOf(raw), errors),
    readKubernetes(clients, config, clusters.values(), concurrency, raw, errors),
  ]);
  raw.principals = principals;
  if (notes.length > 0) raw.notes = notes;
  if (config.stats) Object.assign(config.stats, { ...clients.stats, path, resourceGraphFallback, clusterDeadlinesHit } satisfies ScanStats);
  // Parallel reads finish in any order; a stable order keeps scan output diffable.
  errors.sort((a, b) => errorKey(a).localeCompare(errorKey(b)));
  return raw;
}

function errorKey(e: SourceError): string {
  return `${e.source}\u0000${e.scope ?? ""}\u0000${e.cluster ?? ""}\u0000${e.message}`;
}

/** Reads a tenant and builds its Inventory: the live counterpart of `buildInventory(rawFromTenant(file))`. */
export async function scanTenant(config: ScanConfig): Promise<Inventory> {
  return buildInventory(await collectTenant(config));
}

function validateConfig(config: ScanConfig): number {
  if (!config || typeof config !== "object") throw new ConfigurationError("scan configuration is missing");
  if (!config.credential || typeof config.credential.getToken !== "function") {
    throw new ConfigurationError("scan configuration: credential must be a TokenCredential (an object with getToken)");
  }
  for (const key of ["armEndpoint", "graphEndpoint"] as const) {
    if (typeof config[key] !== "string" || config[key] === "") throw new ConfigurationError(`scan configuration: ${key} is required`);
  }
  const concurrency = config.concurrency ?? defaultConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new ConfigurationError(`scan configuration: concurrency must be an integer from 1 to 64, got ${String(config.concurrency)}`);
  }
  const pageSize = config.kubernetesPageSize;
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) {
    throw new ConfigurationError(`scan configuration: kubernetesPageSize must be a positive integer, got ${String(pageSize)}`);
  }
  if (config.subscriptions !== undefined) {
    if (!Array.isArray(config.subscriptions) || config.subscriptions.some((s) => typeof s !== "string" || s.trim() === "")) {
      throw new ConfigurationError("scan configuration: subscriptions must be a list of subscription ids");
    }
  }
  return concurrency;
}

function selectSubscriptions(visible: WireObject[], wanted: string[] | undefined, errors: SourceError[]): WireObject[] {
  const usable = visible.filter((s) => typeof s.subscriptionId === "string");
  if (usable.length === 0) {
    // Not "no clusters": the credential holds no role on any subscription (or above one).
    errors.push({
      source: "arm:subscriptions",
      message: "the credential can see no subscriptions: it holds no Azure role on any subscription, or on a management group above one",
      scope: "/subscriptions",
    });
    return [];
  }
  if (!wanted || wanted.length === 0) return usable;
  const byId = new Map(usable.map((s) => [String(s.subscriptionId).toLowerCase(), s]));
  const out: WireObject[] = [];
  for (const id of wanted) {
    const sub = byId.get(id.trim().toLowerCase());
    if (sub) {
      if (!out.includes(sub)) out.push(sub);
    } else {
      errors.push({
        source: "arm:subscriptions",
        message: `subscription ${id} is not visible to the credential (no role at or above it, or it does not exist)`,
        status: 404,
        scope: `/subscriptions/${id}`,
      });
    }
  }
  return out;
}

interface SubscriptionRead {
  resourceGroups: ArmWireObject[];
  genericResources: ArmWireObject[];
  fullResources: ArmWireObject[];
  clusters: ArmWireObject[];
  identities: ArmWireObject[];
  federatedCredentials: ArmWireObject[];
  roleDefinitions: ArmWireObject[];
  roleAssignments: ArmWireObject[];
}

async function readSubscription(
  clients: AzureClients,
  subscriptionId: string,
  options: { concurrency: number; customRolesOnly: boolean },
  errors: SourceError[],
): Promise<SubscriptionRead> {
  const { concurrency } = options;
  const scope = `/subscriptions/${subscriptionId}`;
  // A failed list keeps the pages it read (WireListError.partial) and reports the failure.
  const attempt = async <T>(source: string, read: () => Promise<T[]>, at = scope): Promise<T[]> => {
    try {
      return await read();
    } catch (error) {
      errors.push(toSourceError(error, { source, scope: at }));
      return error instanceof WireListError ? (error.partial as T[]) : [];
    }
  };
  const [resourceGroups, genericResources, clusters, identities, roleDefinitions, roleAssignments] = await Promise.all([
    attempt("arm:resourceGroups", () => listResourceGroups(clients, subscriptionId)),
    attempt("arm:resources", () => listResources(clients, subscriptionId)),
    attempt("arm:managedClusters", () => listManagedClusters(clients, subscriptionId)),
    attempt("arm:userAssignedIdentities", () => listUserAssignedIdentities(clients, subscriptionId)),
    attempt("arm:roleDefinitions", () => listRoleDefinitions(clients, subscriptionId, { customOnly: options.customRolesOnly })),
    attempt("arm:roleAssignments", () => listRoleAssignments(clients, subscriptionId)),
  ]);

  const needFull = genericResources.filter((r) => fullResourceApiVersions[String(r.type ?? "").toLowerCase()] !== undefined);
  const [federated, fullResources] = await Promise.all([
    mapBounded(identities, concurrency, (identity) =>
      attempt("arm:federatedIdentityCredentials", () => listFederatedCredentials(clients, identity.id), identity.id),
    ),
    mapBounded(needFull, concurrency, async (resource) => {
      const apiVersion = fullResourceApiVersions[String(resource.type).toLowerCase()] as string;
      const got = await attempt("arm:resources", async () => [await getResource(clients, subscriptionId, resource.id, apiVersion)], resource.id);
      return got[0];
    }),
  ]);
  return {
    resourceGroups,
    genericResources,
    fullResources: fullResources.filter((r): r is ArmWireObject => r !== undefined),
    clusters,
    identities,
    federatedCredentials: federated.flat(),
    roleDefinitions,
    roleAssignments,
  };
}

/**
 * When the subscription that was to bring the built-in roles could not list them (no
 * read access there), the next subscriptions are asked in turn, so that assignments of
 * built-in roles still resolve to their permissions.
 */
async function ensureBuiltInRoles(clients: AzureClients, subscriptionIds: string[], reads: SubscriptionRead[], errors: SourceError[]): Promise<void> {
  const hasBuiltIn = () =>
    reads.some((r) => r.roleDefinitions.some((d) => (d.properties as { type?: unknown } | undefined)?.type === "BuiltInRole"));
  for (let i = 1; i < subscriptionIds.length && !hasBuiltIn(); i++) {
    const id = subscriptionIds[i] as string;
    try {
      (reads[i] as SubscriptionRead).roleDefinitions = await listRoleDefinitions(clients, id);
    } catch (error) {
      errors.push(toSourceError(error, { source: "arm:roleDefinitions", scope: `/subscriptions/${id}` }));
    }
  }
}

async function readManagementGroups(clients: AzureClients, concurrency: number, errors: SourceError[]): Promise<ArmWireObject[]> {
  try {
    return await listManagementGroups(clients, concurrency);
  } catch (error) {
    // Management groups are best effort: inherited assignments still arrive through each
    // subscription's role assignment list. An ARM endpoint that does not serve
    // Microsoft.Management at all (404) simply has none to show.
    if (errorStatus(error) !== 404) {
      errors.push(toSourceError(error, { source: "arm:managementGroups", scope: "/providers/Microsoft.Management/managementGroups" }));
    }
    return [];
  }
}

/** Fills the tenant format's `managementGroupId` from the groups' `children` (GET with $expand=children). */
function assignSubscriptionParents(subscriptions: WireObject[], groups: ArmWireObject[]): void {
  const parentOf = new Map<string, string>();
  for (const group of groups) {
    const children = (group.properties as { children?: unknown } | undefined)?.children;
    if (!Array.isArray(children)) continue;
    for (const child of children as { id?: unknown; type?: unknown }[]) {
      if (typeof child.id === "string" && String(child.type ?? "").toLowerCase() === "/subscriptions") {
        parentOf.set(normalizeId(child.id), group.id);
      }
    }
  }
  for (const sub of subscriptions) {
    if (sub.managementGroupId) continue;
    const parent = parentOf.get(normalizeId(`/subscriptions/${String(sub.subscriptionId)}`));
    if (parent) sub.managementGroupId = parent;
  }
}

/**
 * Every principal object id the inventory refers to: role assignment principals, managed
 * identity principals, cluster control-plane / kubelet / add-on identities and any
 * resource's system-assigned identity.
 */
export function principalIdsOf(raw: Pick<RawCollection, "roleAssignments" | "resources">): string[] {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string" && value !== "") ids.add(value.toLowerCase());
  };
  for (const a of raw.roleAssignments) add(a.properties?.principalId);
  for (const r of raw.resources) {
    const identity = r.identity as { principalId?: unknown; userAssignedIdentities?: Record<string, { principalId?: unknown }> } | undefined;
    add(identity?.principalId);
    for (const uai of Object.values(identity?.userAssignedIdentities ?? {})) add(uai?.principalId);
    const props = r.properties as Record<string, unknown> | undefined;
    if (!props) continue;
    add(props.principalId);
    const identityProfile = props.identityProfile as Record<string, { objectId?: unknown }> | undefined;
    for (const p of Object.values(identityProfile ?? {})) add(p?.objectId);
    const addons = props.addonProfiles as Record<string, { identity?: { objectId?: unknown } }> | undefined;
    for (const a of Object.values(addons ?? {})) add(a?.identity?.objectId);
    const ingress = (props.ingressProfile as { webAppRouting?: { identity?: { objectId?: unknown } } } | undefined)?.webAppRouting;
    add(ingress?.identity?.objectId);
  }
  return [...ids].sort();
}

async function readPrincipals(clients: AzureClients, ids: string[], errors: SourceError[]): Promise<WireObject[] | null> {
  if (ids.length === 0) return [];
  try {
    return await listPrincipalsByIds(clients, ids);
  } catch (error) {
    // Unknown is not deleted: null tells the builder not to call these principals orphaned.
    errors.push(toSourceError(error, { source: "graph:principals", scope: "directoryObjects/getByIds" }));
    return null;
  }
}

async function readKubernetes(
  clients: AzureClients,
  config: ScanConfig,
  clusters: ArmWireObject[],
  concurrency: number,
  raw: RawCollection,
  errors: SourceError[],
): Promise<number> {
  const deadlineMs = config.deadlines?.clusterMs ?? defaultClusterDeadlineMs;
  let deadlinesHit = 0;
  const results = await mapBounded(clusters, concurrency, async (cluster) => {
    try {
      return await withDeadline(`the Kubernetes API of ${cluster.id}`, deadlineMs, () => readCluster(cluster));
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      deadlinesHit++;
      // Whatever the cluster answered before the deadline is dropped: a partial read
      // would look complete for the kinds that did arrive.
      const clusterErrors: SourceError[] = [{ source: "kubernetes:cluster", message: `${error.message}; its workloads were not read`, code: error.code, cluster: cluster.id }];
      return { cluster, objects: [] as KubeWireObject[], clusterErrors };
    }
  });
  async function readCluster(cluster: ArmWireObject): Promise<{ cluster: ArmWireObject; objects: KubeWireObject[]; clusterErrors: SourceError[] }> {
    const clusterErrors: SourceError[] = [];
    let objects: KubeWireObject[] = [];
    let kubeconfig: string | undefined;
    if (isStopped(cluster)) {
      // A stopped cluster has no running API server; asking would only time out.
      clusterErrors.push({
        source: "kubernetes:cluster",
        message: "the cluster is stopped (powerState Stopped): its Kubernetes API is not running, so its workloads were not read",
        code: "ClusterStopped",
        cluster: cluster.id,
      });
      return { cluster, objects, clusterErrors };
    }
    try {
      kubeconfig = await getClusterUserKubeconfig(clients, cluster.id);
    } catch (error) {
      clusterErrors.push(toSourceError(error, { source: "arm:listClusterUserCredential", cluster: cluster.id }));
    }
    if (kubeconfig !== undefined) {
      try {
        const kubeConfig = await buildKubeConfig(kubeconfig, config.credential);
        const read = await listClusterObjects(kubeConfig, cluster.id, config.kubernetesPageSize);
        objects = read.data;
        clusterErrors.push(...read.errors);
      } catch (error) {
        clusterErrors.push(toSourceError(error, { source: "kubernetes:credentials", cluster: cluster.id }));
      }
    }
    if (isPrivateCluster(cluster)) {
      // A private cluster's API server has only a private endpoint: unreachable from outside
      // its virtual network, which is the likely reason for a network failure.
      for (const e of clusterErrors) {
        if (e.source.startsWith("kubernetes:") && e.status === undefined) e.message += " (private cluster: the API server is reachable only from its virtual network)";
      }
    }
    return { cluster, objects, clusterErrors };
  }
  for (const { cluster, objects, clusterErrors } of results) {
    // Objects read before a failure are kept; only clusters read without any error count as read.
    if (objects.length > 0 || clusterErrors.length === 0) raw.kubernetes[cluster.id] = objects;
    if (clusterErrors.length === 0) raw.kubernetesRead.push(cluster.id);
    errors.push(...clusterErrors);
  }
  return deadlinesHit;
}

function useResourceGraph(config: ScanConfig, subscriptionCount: number): boolean {
  const mode = config.resourceGraph ?? "auto";
  if (mode === "never" || subscriptionCount === 0) return false;
  if (mode === "always") return true;
  return subscriptionCount > (config.resourceGraphThreshold ?? defaultResourceGraphThreshold);
}

/**
 * Resources (full properties), resource groups, role assignments and role definitions for
 * all subscriptions through Resource Graph, then federated credentials per identity through
 * ARM (ARG's `resources` table has no userAssignedIdentities child resources). Any ARG
 * failure (403 without ARG access, 400, unavailable after retries) returns `failure`, and
 * the caller reads per subscription instead.
 */
async function readThroughResourceGraph(
  clients: AzureClients,
  subscriptionIds: string[],
  concurrency: number,
  errors: SourceError[],
): Promise<{ read: SubscriptionRead; truncated: boolean } | { failure: string }> {
  let results;
  try {
    results = await Promise.all([
      listGraphResourceGroups(clients, subscriptionIds),
      listGraphResources(clients, subscriptionIds),
      listGraphRoleDefinitions(clients, subscriptionIds),
      listGraphRoleAssignments(clients, subscriptionIds),
    ]);
  } catch (error) {
    if (error instanceof DeadlineExceededError) throw error;
    const e = toSourceError(error, { source: "arm:resourceGraph", scope: "/providers/Microsoft.ResourceGraph/resources" });
    return { failure: `${e.status !== undefined ? `HTTP ${e.status}: ` : ""}${e.message}` };
  }
  const [resourceGroups, resources, roleDefinitions, roleAssignments] = results;
  const byType = (t: string) => resources.data.filter((r) => String(r.type ?? "").toLowerCase() === t);
  const identities = byType("microsoft.managedidentity/userassignedidentities");
  const definitions = [...roleDefinitions.data];
  if (!definitions.some((d) => (d.properties as { type?: unknown } | undefined)?.type === "BuiltInRole")) {
    // Without built-in definitions no assignment of a built-in role resolves: list them from
    // ARM, asking the next subscription when one refuses.
    for (const id of subscriptionIds) {
      try {
        definitions.push(...(await listRoleDefinitions(clients, id)));
        break;
      } catch (error) {
        errors.push(toSourceError(error, { source: "arm:roleDefinitions", scope: `/subscriptions/${id}` }));
      }
    }
  }
  const federated = await mapBounded(identities, concurrency, async (identity) => {
    try {
      return await listFederatedCredentials(clients, identity.id);
    } catch (error) {
      errors.push(toSourceError(error, { source: "arm:federatedIdentityCredentials", scope: identity.id }));
      return error instanceof WireListError ? (error.partial as ArmWireObject[]) : [];
    }
  });
  return {
    read: {
      resourceGroups: resourceGroups.data,
      genericResources: [],
      fullResources: resources.data,
      clusters: byType("microsoft.containerservice/managedclusters"),
      identities,
      federatedCredentials: federated.flat(),
      roleDefinitions: definitions,
      roleAssignments: roleAssignments.data,
    },
    truncated: resourceGroups.truncated || resources.truncated || roleDefinitions.truncated || roleAssignments.truncated,
  };
}

/**
 * ARG returns management-group and root assignments with the subscriptions' rows; ARM's
 * per-subscription list returns only those inherited by the subscription. Keep the ones on
 * an ancestor of a scanned subscription, as the ARM path does. Without the management
 * group tree (not readable) they are all kept: dropping one could hide a grant.
 */
function inheritedOnly(assignments: ArmWireObject[], subscriptions: WireObject[], groups: ArmWireObject[]): ArmWireObject[] {
  if (groups.length === 0) return assignments;
  const parent = new Map<string, string | undefined>();
  for (const g of groups) {
    const p = (g.properties as { details?: { parent?: { id?: unknown } | null } } | undefined)?.details?.parent?.id;
    parent.set(normalizeId(g.id), typeof p === "string" ? normalizeId(p) : undefined);
  }
  const ancestors = new Set<string>();
  for (const sub of subscriptions) {
    let at = typeof sub.managementGroupId === "string" ? normalizeId(sub.managementGroupId) : undefined;
    while (at && !ancestors.has(at)) {
      ancestors.add(at);
      at = parent.get(at);
    }
  }
  return assignments.filter((a) => {
    const scope = String((a.properties as { scope?: unknown } | undefined)?.scope ?? "");
    if (!/^\/providers\/Microsoft\.Management\/managementGroups\//i.test(scope)) return true;
    return ancestors.has(normalizeId(scope));
  });
}

function isStopped(cluster: ArmWireObject): boolean {
  const powerState = (cluster.properties as { powerState?: { code?: unknown } } | undefined)?.powerState;
  return typeof powerState?.code === "string" && powerState.code.toLowerCase() === "stopped";
}

function isPrivateCluster(cluster: ArmWireObject): boolean {
  const profile = (cluster.properties as { apiServerAccessProfile?: { enablePrivateCluster?: unknown } } | undefined)?.apiServerAccessProfile;
  return profile?.enablePrivateCluster === true;
}

/** Wire objects keyed by case-insensitive ARM id, in first-seen order. */
class WireIndex {
  private readonly map = new Map<string, ArmWireObject>();
  add(object: ArmWireObject, replace = false): void {
    if (typeof object.id !== "string") return;
    const key = normalizeId(object.id);
    if (replace || !this.map.has(key)) this.map.set(key, object);
  }
  values(): ArmWireObject[] {
    return [...this.map.values()];
  }
}

function firstString(values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v !== "");
}
