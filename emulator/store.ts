import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject, KubeWireObject, WireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";
import { createHash } from "node:crypto";
import { stableGuid } from "./tokens";
import { ChangeLog } from "./changes";

const ROOT = "/";

export interface ClusterEntry {
  id: string;
  /** URL-safe, unique key: the cluster's Kubernetes API lives at `${url}/k8s/<key>`. */
  key: string;
  name: string;
  resource: ArmWireObject;
  /** AKS-managed Entra integration: users sign in with kubelogin instead of a static credential. */
  aad: boolean;
  /** `aadProfile.enableAzureRBAC`: Azure role assignments (data actions) authorize Kubernetes requests too. */
  azureRbac: boolean;
  /** `aadProfile.adminGroupObjectIDs`: AKS binds these Entra groups to cluster-admin. */
  adminGroups: string[];
  /**
   * API groups of the custom resources installed in the cluster: a group counts as installed when
   * the tenant file holds its CustomResourceDefinitions or objects of it, or (aad-pod-identity)
   * the managed pod-identity add-on is enabled. Fixed at start: deleting every object of a kind
   * does not uninstall its CRD.
   */
  crdGroups: Set<string>;
  objects: KubeWireObject[];
  /**
   * The API server's current resourceVersion (etcd's revision): every write and delete moves
   * it on, and a list answers with it, so an unchanged revision means nothing changed.
   */
  revision: number;
}

const AAD_POD_IDENTITY_GROUP = "aadpodidentity.k8s.io";
const BUILTIN_GROUPS = new Set(["", "apps", "batch", "rbac.authorization.k8s.io", "apiextensions.k8s.io"]);

function installedCrdGroups(resource: ArmWireObject, objects: readonly KubeWireObject[]): Set<string> {
  const groups = new Set<string>();
  for (const o of objects) {
    if (o.kind === "CustomResourceDefinition") {
      const group = (o.spec as { group?: unknown } | undefined)?.group;
      if (typeof group === "string") groups.add(group);
      continue;
    }
    const slash = o.apiVersion.indexOf("/");
    const group = slash < 0 ? "" : o.apiVersion.slice(0, slash);
    if (!BUILTIN_GROUPS.has(group)) groups.add(group);
  }
  const podIdentity = (resource.properties?.podIdentityProfile as { enabled?: unknown } | undefined)?.enabled;
  if (podIdentity === true) groups.add(AAD_POD_IDENTITY_GROUP);
  return groups;
}

/** How a cluster's API admits people, from its managedCluster body (`aadProfile`). */
function clusterAccess(r: ArmWireObject): Pick<ClusterEntry, "aad" | "azureRbac" | "adminGroups"> {
  const aadProfile = r.properties?.aadProfile as { enableAzureRBAC?: unknown; adminGroupObjectIDs?: unknown } | null | undefined;
  return {
    aad: aadProfile != null && typeof aadProfile === "object",
    azureRbac: aadProfile?.enableAzureRBAC === true,
    adminGroups: Array.isArray(aadProfile?.adminGroupObjectIDs) ? aadProfile.adminGroupObjectIDs.filter((g): g is string => typeof g === "string") : [],
  };
}

export function clusterKey(id: string, name: string): string {
  const hash = createHash("sha256").update(normalizeId(id)).digest("hex").slice(0, 10);
  const safe = name.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 40);
  return `${safe}-${hash}`;
}

function typeOf(o: ArmWireObject): string {
  return String(o.type ?? "").toLowerCase();
}

/** The tenant file, indexed by normalized (lower-case) ARM id for the route handlers. */
export class TenantStore {
  readonly subscriptions = new Map<string, TenantFile["subscriptions"][number]>();
  readonly resourceGroups = new Map<string, ArmWireObject>();
  readonly resources = new Map<string, ArmWireObject>();
  readonly managementGroups = new Map<string, ArmWireObject>();
  readonly federatedCredentials = new Map<string, ArmWireObject[]>();
  readonly customRoles = new Map<string, ArmWireObject>();
  readonly principals = new Map<string, WireObject>();
  /**
   * Principals of other tenants that role assignments here name (`principalType: ForeignGroup`):
   * this tenant's Graph cannot return them, whatever the tenant file lists.
   */
  readonly foreignPrincipals = new Set<string>();
  readonly clusters: ClusterEntry[] = [];
  readonly clustersByKey = new Map<string, ClusterEntry>();
  readonly clustersById = new Map<string, ClusterEntry>();
  readonly roleAssignments: ArmWireObject[];
  /** Resource Graph's `resourcechanges` / `resourcecontainerchanges`: what changed since the emulator started. */
  readonly changes = new ChangeLog();
  private readonly ancestorCache = new Map<string, Set<string>>();

  constructor(readonly tenant: TenantFile) {
    for (const mg of tenant.managementGroups ?? []) this.managementGroups.set(normalizeId(mg.id), mg);
    for (const s of tenant.subscriptions) this.subscriptions.set(normalizeId(s.id), s);
    for (const rg of tenant.resourceGroups) this.resourceGroups.set(normalizeId(rg.id), rg);
    for (const r of tenant.resources) this.resources.set(normalizeId(r.id), r);
    for (const f of tenant.federatedIdentityCredentials ?? []) {
      const parent = normalizeId(f.id.replace(/\/federatedIdentityCredentials\/[^/]+$/i, ""));
      const list = this.federatedCredentials.get(parent) ?? [];
      list.push(f);
      this.federatedCredentials.set(parent, list);
    }
    for (const d of tenant.roleDefinitions ?? []) this.customRoles.set(String(d.name).toLowerCase(), d);
    for (const p of tenant.principals) this.principals.set(String(p.id).toLowerCase(), p);
    // A copy: role assignments can be created and deleted while the emulator runs.
    this.roleAssignments = [...tenant.roleAssignments];
    for (const a of this.roleAssignments) {
      const p = a.properties as { principalId?: unknown; principalType?: unknown } | undefined;
      if (p?.principalType === "ForeignGroup" && typeof p.principalId === "string") this.foreignPrincipals.add(p.principalId.toLowerCase());
    }

    const kube = new Map(Object.entries(tenant.kubernetes ?? {}).map(([k, v]) => [normalizeId(k), v]));
    for (const r of tenant.resources) {
      if (typeOf(r) !== "microsoft.containerservice/managedclusters") continue;
      const name = String(r.name ?? r.id.split("/").pop());
      const objects = (kube.get(normalizeId(r.id)) ?? []).map((o, i) => completeKubeObject(o, r.id, i));
      const entry: ClusterEntry = {
        id: r.id,
        key: clusterKey(r.id, name),
        name,
        resource: r,
        ...clusterAccess(r),
        crdGroups: installedCrdGroups(r, objects),
        objects,
        revision: objects.reduce((max, o) => Math.max(max, Number(o.metadata.resourceVersion) || 0), 1000),
      };
      this.clusters.push(entry);
      this.clustersByKey.set(entry.key, entry);
      this.clustersById.set(normalizeId(r.id), entry);
    }
  }

  /**
   * Creates or replaces a resource or resource group as a deployment outside the emulator's
   * write APIs would (a test's change to the tenant), and records it in the change tables.
   * A cluster's new body takes effect for its credentials and Kubernetes API at once.
   */
  putResource(wire: ArmWireObject, operation = `${wire.type ?? "resource"}/write`): void {
    const key = normalizeId(wire.id);
    const isGroup = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(key);
    const map = isGroup ? this.resourceGroups : this.resources;
    const list = isGroup ? this.tenant.resourceGroups : this.tenant.resources;
    const before = map.get(key);
    const cluster = this.clustersById.get(key);
    if (!before && typeOf(wire) === "microsoft.containerservice/managedclusters") throw new Error(`putResource: new clusters are not supported (${wire.id})`);
    map.set(key, wire);
    if (before) list[list.indexOf(before)] = wire;
    else list.push(wire);
    if (cluster) Object.assign(cluster, clusterAccess(wire), { resource: wire });
    this.changes.record({ targetResourceId: wire.id, before, after: wire, operation });
  }

  /** Deletes a resource or resource group (and the resources in it) and records each deletion. */
  deleteResource(id: string, operation = "delete"): void {
    const key = normalizeId(id);
    const group = this.resourceGroups.get(key);
    const doomed = group ? [...this.resources.values()].filter((r) => normalizeId(r.id).startsWith(`${key}/`)) : [this.resources.get(key)].filter((r): r is ArmWireObject => !!r);
    if (!group && doomed.length === 0) throw new Error(`deleteResource: ${id} is not in the tenant`);
    for (const r of doomed) {
      this.resources.delete(normalizeId(r.id));
      this.tenant.resources.splice(this.tenant.resources.indexOf(r), 1);
      const cluster = this.clustersById.get(normalizeId(r.id));
      if (cluster) {
        this.clusters.splice(this.clusters.indexOf(cluster), 1);
        this.clustersById.delete(normalizeId(r.id));
        this.clustersByKey.delete(cluster.key);
      }
      this.changes.record({ targetResourceId: r.id, before: r, operation });
    }
    if (group) {
      this.resourceGroups.delete(key);
      this.tenant.resourceGroups.splice(this.tenant.resourceGroups.indexOf(group), 1);
      this.changes.record({ targetResourceId: group.id, before: group, operation });
    }
  }

  subscription(id: string) {
    return this.subscriptions.get(normalizeId(`/subscriptions/${id}`));
  }

  resourceGroup(subscriptionId: string, name: string) {
    return this.resourceGroups.get(normalizeId(`/subscriptions/${subscriptionId}/resourceGroups/${name}`));
  }

  /** Management group chain of a management group id, nearest first (excluding itself). */
  private mgParents(mgId: string): string[] {
    const out: string[] = [];
    let cur: string | null = normalizeId(mgId);
    const seen = new Set<string>();
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      const mg = this.managementGroups.get(cur);
      const parent = (mg?.properties?.details as { parent?: { id?: string | null } } | undefined)?.parent?.id;
      if (!parent || parent === ROOT) break;
      cur = normalizeId(parent);
      out.push(cur);
    }
    return out;
  }

  /**
   * Every scope strictly above `scope` whose role assignments apply to it: `/`, the management
   * groups the subscription sits under, the subscription, the resource group, parent resources.
   */
  ancestors(scope: string): Set<string> {
    const key = normalizeId(scope);
    const cached = this.ancestorCache.get(key);
    if (cached) return cached;
    const out = new Set<string>();
    if (key !== ROOT) out.add(ROOT);
    const mg = /^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.exec(key);
    if (mg) {
      for (const p of this.mgParents(key)) out.add(p);
    } else {
      const parts = key.split("/").filter(Boolean);
      if (parts[0] === "subscriptions" && parts[1]) {
        const sub = this.subscriptions.get(`/subscriptions/${parts[1]}`);
        if (sub?.managementGroupId) {
          const mgKey = normalizeId(sub.managementGroupId);
          out.add(mgKey);
          for (const p of this.mgParents(mgKey)) out.add(p);
        }
        // Prefixes: subscription, resource group, then each parent resource (type/name pairs after the provider).
        const prefixes = [2, 4];
        for (let i = 8; i < parts.length; i += 2) prefixes.push(i);
        for (const n of prefixes) if (n < parts.length) out.add(`/${parts.slice(0, n).join("/")}`);
      }
    }
    this.ancestorCache.set(key, out);
    return out;
  }
}

const EPOCH = Date.UTC(2024, 0, 1);

/**
 * Fills what an API server always sets (uid, creationTimestamp, resourceVersion) when the tenant
 * file leaves it out, deterministically so repeated scans see the same objects.
 */
function completeKubeObject(o: KubeWireObject, clusterId: string, index: number): KubeWireObject {
  const meta = { ...o.metadata };
  const identity = `${normalizeId(clusterId)}|${o.apiVersion}|${o.kind}|${meta.namespace ?? ""}|${meta.name}`;
  if (meta.uid == null) meta.uid = stableGuid(identity);
  if (meta.creationTimestamp == null) meta.creationTimestamp = new Date(EPOCH + index * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (meta.resourceVersion == null) meta.resourceVersion = String(1000 + index);
  return { ...o, metadata: meta };
}
