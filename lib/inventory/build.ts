import type {
  AzureIdentity,
  AzureIdentityBinding,
  Cluster,
  ClusterExtension,
  ConfigMap,
  Controller,
  FederatedCredential,
  Identity,
  Inventory,
  KubeNamespace,
  KubernetesData,
  ManagementGroup,
  Pod,
  Principal,
  Resource,
  ResourceGroup,
  RoleAssignment,
  RoleDefinition,
  ServiceAccount,
  SourceError,
  Subscription,
  UserAssignedIdentity,
} from "@/lib/model/types";
import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject, KubeWireObject } from "@/lib/model/wire";
import { AdapterError, isRecord } from "@/lib/model/wire";
import { adaptManagementGroup, adaptResourceGroup, adaptSubscription } from "@/lib/azure/hierarchy.adapter";
import { adaptResource } from "@/lib/azure/resource.adapter";
import { adaptManagedCluster, isManagedClusterType } from "@/lib/azure/managed-cluster.adapter";
import { adaptFederatedCredential, adaptUserAssignedIdentity, isUserAssignedIdentityType } from "@/lib/azure/managed-identity.adapter";
import { adaptRoleAssignment, adaptRoleDefinition } from "@/lib/azure/authorization.adapter";
import { adaptPrincipal } from "@/lib/azure/principal.adapter";
import { adaptConfigMap, adaptNamespace, adaptPod, adaptServiceAccount } from "@/lib/kubernetes/core.adapter";
import { adaptClusterExtension, isClusterExtensionType } from "@/lib/azure/cluster-extension.adapter";
import { adaptController, isControllerKind } from "@/lib/kubernetes/controller.adapter";
import { adaptAzureIdentity, adaptAzureIdentityBinding } from "@/lib/kubernetes/aad-pod-identity.adapter";
import type { RawCollection } from "@/lib/model/wire";
import { classifyIdentities } from "./classify";
import { buildWorkloads } from "./workloads";
import { resolveLinks } from "./bindings";

/** SourceError code for a payload an adapter rejected; the rest of the scan still builds. */
export const INVALID_PAYLOAD = "invalid-payload";

/**
 * Turns everything one scan read (wire shapes) into an Inventory. Pure and deterministic
 * for a given input and `scannedAt`. A malformed object becomes a SourceError naming it
 * and is skipped; it never fails the whole build.
 */
export function buildInventory(raw: RawCollection, options: { scannedAt?: string } = {}): Inventory {
  const errors: SourceError[] = [...raw.errors];
  const adapt = <T>(items: readonly unknown[], source: string, fn: (w: unknown) => T, extra?: (w: unknown) => Partial<SourceError>): T[] => {
    const out: T[] = [];
    for (const item of items) {
      try {
        out.push(fn(item));
      } catch (e) {
        errors.push(toSourceError(e, source, item, extra?.(item)));
      }
    }
    return out;
  };

  const managementGroups = dedupeById(adapt<ManagementGroup>(raw.managementGroups, "arm:managementGroups", adaptManagementGroup));
  const subscriptions = dedupeById(adapt<Subscription>(raw.subscriptions, "arm:subscriptions", adaptSubscription));
  const resourceGroups = dedupeById(adapt<ResourceGroup>(raw.resourceGroups, "arm:resourceGroups", adaptResourceGroup));

  const resourceWires = preferDetailed(raw.resources);
  const resources = adapt<Resource>(resourceWires, "arm:resources", adaptResource);
  const clusterWires = resourceWires.filter((w) => isManagedClusterType(typeOf(w)));
  const clusters = adapt<Cluster>(clusterWires, "arm:managedClusters", adaptManagedCluster, (w) => ({ cluster: idOf(w) }));
  // A node resource group id is built from the cluster's name for it; use the listed group's own spelling when we have it.
  const rgById = new Map(resourceGroups.map((g) => [normalizeId(g.id), g]));
  for (const c of clusters) {
    const rg = c.nodeResourceGroupId ? rgById.get(normalizeId(c.nodeResourceGroupId)) : undefined;
    if (rg) c.nodeResourceGroupId = rg.id;
  }
  attachExtensions(clusters, adapt(resourceWires.filter((w) => isClusterExtensionType(typeOf(w))), "arm:clusterExtensions", adaptClusterExtension));
  const userAssignedIdentities = adapt<UserAssignedIdentity>(
    resourceWires.filter((w) => isUserAssignedIdentityType(typeOf(w))),
    "arm:userAssignedIdentities",
    adaptUserAssignedIdentity,
  );
  const federatedCredentials = dedupeById(adapt<FederatedCredential>(raw.federatedIdentityCredentials, "arm:federatedIdentityCredentials", adaptFederatedCredential));

  // The same role definition is listed once per subscription (and tenant-wide for built-ins): one per GUID.
  const roleDefinitions = dedupeBy(adapt<RoleDefinition>(raw.roleDefinitions, "arm:roleDefinitions", adaptRoleDefinition), (d) => d.name);
  const roleByGuid = new Map(roleDefinitions.map((d) => [d.name, d]));
  // Listing at a resource group also returns the inherited subscription assignments: keep each once.
  const roleAssignments = dedupeById(adapt<RoleAssignment>(raw.roleAssignments, "arm:roleAssignments", adaptRoleAssignment));
  for (const a of roleAssignments) {
    const def = roleByGuid.get(a.roleDefinitionName);
    if (def) a.roleName = def.roleName;
  }

  const principalsResolved = raw.principals !== null;
  const principals = dedupeById(adapt<Principal>(raw.principals ?? [], "graph:principals", adaptPrincipal));

  const kubernetes = adaptKubernetes(raw, clusters, errors);
  const workloadGroups = buildWorkloads(kubernetes);

  const registry = classifyIdentities({ userAssignedIdentities, resources, clusters, principals, principalsResolved, roleAssignments });
  const { links: linkDrafts, notes: linkNotes } = resolveLinks({ clusters, kubernetes, workloads: workloadGroups, federatedCredentials, registry });
  const identities = registry.finalize();
  const links = linkDrafts.map(({ identity, ...l }) => ({ ...l, identityKey: registry.keyOf(identity) }));
  if (!principalsResolved) explainUnresolved(errors, identities);

  return {
    scannedAt: options.scannedAt ?? new Date().toISOString(),
    tenantId: raw.tenantId,
    managementGroups,
    subscriptions,
    resourceGroups,
    resources,
    clusters,
    roleDefinitions,
    roleAssignments,
    principals,
    principalsResolved,
    userAssignedIdentities,
    federatedCredentials,
    identities,
    kubernetes,
    workloads: workloadGroups.map((g) => g.workload),
    links,
    errors,
    ...(raw.notes?.length || linkNotes.length ? { notes: [...(raw.notes ?? []), ...linkNotes] } : {}),
    ...(raw.partialScope ? { partialScope: raw.partialScope } : {}),
  };
}

const KUBE_SOURCES: Record<string, string> = {
  Namespace: "kubernetes:namespaces",
  ConfigMap: "kubernetes:configMaps",
  ServiceAccount: "kubernetes:serviceAccounts",
  Pod: "kubernetes:pods",
  Deployment: "kubernetes:deployments",
  DaemonSet: "kubernetes:daemonSets",
  StatefulSet: "kubernetes:statefulSets",
  AzureIdentity: "kubernetes:azureIdentities",
  AzureIdentityBinding: "kubernetes:azureIdentityBindings",
};

/** Kubernetes objects per cluster, keyed by the cluster's ARM id as ARM spells it (the raw keys may differ in case). */
function adaptKubernetes(raw: RawCollection, clusters: Cluster[], errors: SourceError[]): KubernetesData {
  const canonical = new Map(clusters.map((c) => [normalizeId(c.id), c.id]));
  const clusterIdOf = (id: string) => canonical.get(normalizeId(id)) ?? id;
  const data: KubernetesData = {
    namespaces: [] as KubeNamespace[],
    serviceAccounts: [] as ServiceAccount[],
    pods: [] as Pod[],
    controllers: [] as Controller[],
    azureIdentities: [] as AzureIdentity[],
    azureIdentityBindings: [] as AzureIdentityBinding[],
    configMaps: [] as ConfigMap[],
    readClusterIds: [...new Set(raw.kubernetesRead.map(clusterIdOf))],
  };
  for (const [rawClusterId, objects] of Object.entries(raw.kubernetes)) {
    const clusterId = clusterIdOf(rawClusterId);
    for (const obj of objects as KubeWireObject[]) {
      const kind = isRecord(obj) && typeof obj.kind === "string" ? obj.kind : "";
      try {
        switch (kind) {
          case "Namespace":
            data.namespaces.push(adaptNamespace(obj, clusterId));
            break;
          case "ServiceAccount":
            data.serviceAccounts.push(adaptServiceAccount(obj, clusterId));
            break;
          case "Pod":
            data.pods.push(adaptPod(obj, clusterId));
            break;
          case "AzureIdentity":
            data.azureIdentities.push(adaptAzureIdentity(obj, clusterId));
            break;
          case "AzureIdentityBinding":
            data.azureIdentityBindings.push(adaptAzureIdentityBinding(obj, clusterId));
            break;
          case "ConfigMap":
            data.configMaps!.push(adaptConfigMap(obj, clusterId));
            break;
          default:
            // ReplicaSets, Jobs and other kinds the readers may pass along are not modelled.
            if (isControllerKind(kind)) data.controllers.push(adaptController(obj, clusterId));
            else if (kind === "") throw new AdapterError("kubernetes object", "(unknown)", "kind", "is missing");
        }
      } catch (e) {
        errors.push(toSourceError(e, KUBE_SOURCES[kind] ?? "kubernetes:objects", obj, { cluster: clusterId }));
      }
    }
  }
  return data;
}

/** Each extension goes to the cluster it extends; one of a cluster the scan did not read is dropped with it. */
function attachExtensions(clusters: Cluster[], extensions: (ClusterExtension & { clusterId: string })[]): void {
  const byId = new Map(clusters.map((c) => [normalizeId(c.id), c]));
  for (const { clusterId, ...extension } of extensions) {
    const cluster = byId.get(normalizeId(clusterId));
    if (cluster) (cluster.extensions ??= []).push(extension);
  }
}

/**
 * The Graph coverage error says what Graph would have added: the object ids of the identities
 * ARM names only by client id (app registrations), whose role assignments stay unmatched.
 */
function explainUnresolved(errors: SourceError[], identities: Identity[]): void {
  const byClientOnly = identities.filter((i) => !i.principalId && i.clientId && i.uses.length > 0);
  const at = errors.findIndex((e) => e.source === "graph:principals");
  if (at < 0 || byClientOnly.length === 0) return;
  const names = byClientOnly.slice(0, 5).map((i) => i.displayName).join(", ");
  const more = byClientOnly.length > 5 ? ` and ${byClientOnly.length - 5} more` : "";
  const error = errors[at]!;
  errors[at] = {
    ...error,
    message: `${error.message}. Without Graph, ${byClientOnly.length} identit${byClientOnly.length === 1 ? "y is" : "ies are"} known only by client id (${names}${more}): Graph would give their object ids, so their role assignments cannot be matched to them and are not judged`,
  };
}

function toSourceError(e: unknown, source: string, item: unknown, extra?: Partial<SourceError>): SourceError {
  const id = idOf(item);
  // AdapterErrors name the object and field; anything else still names the object so one bad payload never sinks the scan.
  const message = e instanceof AdapterError ? e.message : `${id ?? "an object"} could not be read: ${e instanceof Error ? e.message : String(e)}`;
  return { source, message, code: INVALID_PAYLOAD, ...(id && id.startsWith("/") && !extra?.cluster ? { scope: id } : {}), ...extra };
}

function idOf(w: unknown): string | undefined {
  return isRecord(w) && typeof w.id === "string" ? w.id : undefined;
}

function typeOf(w: unknown): string | undefined {
  if (!isRecord(w)) return undefined;
  if (typeof w.type === "string") return w.type;
  // Resource type from the id when a row omits `type`.
  const m = typeof w.id === "string" ? /\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(w.id) : null;
  return m?.[1];
}

/**
 * One wire object per resource id: a full GET body (with `properties`) wins over a
 * generic-list row for the same resource, since readers may report both.
 */
function preferDetailed(items: readonly unknown[]): unknown[] {
  const byId = new Map<string, unknown>();
  const order: ({ key: string } | { item: unknown })[] = [];
  for (const w of items) {
    const id = idOf(w);
    if (!id) {
      order.push({ item: w }); // let the adapter report it
      continue;
    }
    const key = normalizeId(id);
    const prev = byId.get(key);
    if (prev === undefined) {
      byId.set(key, w);
      order.push({ key });
    } else if (!isRecord((prev as ArmWireObject).properties) && isRecord((w as ArmWireObject).properties)) {
      byId.set(key, w);
    }
  }
  return order.map((o) => ("key" in o ? byId.get(o.key) : o.item));
}

function dedupeById<T extends { id: string }>(items: T[]): T[] {
  return dedupeBy(items, (x) => normalizeId(x.id));
}

function dedupeBy<T>(items: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const x of items) {
    const kx = key(x);
    if (seen.has(kx)) continue;
    seen.add(kx);
    out.push(x);
  }
  return out;
}
