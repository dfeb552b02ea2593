/**
 * Narrower scopes for a wide grant, from what the identity's jobs need, and the inventory
 * lookups behind them (what an assignment reaches, the registries a cluster pulls from, the
 * DNS zones its workloads manage). Pure; memoised per RuleContext.
 */
import { scopeTreeOf } from "@/lib/inventory/scope-tree";
import { normalizeId, sameId } from "@/lib/model/scope";
import { IdentityKind, type Cluster, type Identity, type Resource, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import type { RuleContext } from "@/lib/rules/rule-context";
import { isNetworkRole } from "../network-role";
import { clusterNetworkScopes } from "../profiles";
import { clustersWhere } from "./identity";

/** True when an assignment at `scope` applies to `target`, management groups included. */
export function appliesTo(ctx: RuleContext, scope: string, target: string): boolean {
  return scopeTreeOf(ctx.index).applies(scope, target);
}

/** Resources of the given types (case-insensitive) that an assignment at `scope` reaches, sorted by id. */
export function resourcesUnder(ctx: RuleContext, scope: string, types: readonly string[]): Resource[] {
  return [...scopeTreeOf(ctx.index).resourcesUnder(scope, types)];
}

export const RegistryType = "Microsoft.ContainerRegistry/registries";

const registryMemo = new WeakMap<RuleContext, { hostsByCluster: Map<string, Set<string>>; byCluster: Map<string, Resource[]> }>();

/** Registry hosts (`<name>.azurecr.io`) of every pod and controller image, per cluster: one pass over the workloads. */
function imageHostsByCluster(ctx: RuleContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const addImage = (clusterId: string, image: string) => {
    const host = image.split("/")[0]!.toLowerCase();
    if (!host.includes(".")) return;
    const k = normalizeId(clusterId);
    let hosts = out.get(k);
    if (!hosts) {
      hosts = new Set();
      out.set(k, hosts);
    }
    hosts.add(host);
  };
  for (const p of ctx.inventory.kubernetes.pods) p.containers.forEach((c) => addImage(p.clusterId, c.image));
  for (const c of ctx.inventory.kubernetes.controllers) c.containers.forEach((x) => addImage(c.clusterId, x.image));
  return out;
}

/**
 * Registries a cluster pulls from: those whose login server (`<name>.azurecr.io`, or the
 * `loginServer` property) is the host of some pod or controller image on the cluster.
 */
export function registriesUsedBy(ctx: RuleContext, cluster: Cluster): Resource[] {
  let memo = registryMemo.get(ctx);
  if (!memo) {
    memo = { hostsByCluster: imageHostsByCluster(ctx), byCluster: new Map() };
    registryMemo.set(ctx, memo);
  }
  const k = normalizeId(cluster.id);
  const hit = memo.byCluster.get(k);
  if (hit) return hit;
  const hosts = memo.hostsByCluster.get(k) ?? new Set<string>();
  const registries = (ctx.index.resourcesByType.get(RegistryType.toLowerCase()) ?? []).filter((r) => {
    const login = (typeof r.properties.loginServer === "string" ? r.properties.loginServer : `${r.name}.azurecr.io`).toLowerCase();
    return hosts.has(login);
  });
  memo.byCluster.set(k, registries);
  return registries;
}

export const DnsZoneType = "Microsoft.Network/dnszones";
export const PrivateDnsZoneType = "Microsoft.Network/privateDnsZones";

/** Container args of the pods that act as this identity (through any link). */
function argsOfLinkedPods(ctx: RuleContext, identity: Identity): string[] {
  const out: string[] = [];
  for (const link of ctx.linksOf(identity)) {
    for (const podId of link.podIds) {
      const pod = ctx.index.podsById.get(normalizeId(podId));
      pod?.containers.forEach((c) => out.push(...c.args));
    }
  }
  return out;
}

/**
 * DNS zones the identity's workloads manage: zones named by a `--domain-filter` argument
 * (external-dns) of a pod using the identity, and the private DNS zone of a private
 * cluster whose control plane it is.
 */
export function dnsZonesUsed(ctx: RuleContext, identity: Identity, zones: readonly Resource[]): Resource[] {
  const domains = new Set<string>();
  for (const arg of argsOfLinkedPods(ctx, identity)) {
    const m = /^--domain-filter[= ](.+)$/.exec(arg.trim());
    if (m) m[1]!.split(",").forEach((d) => domains.add(d.trim().toLowerCase().replace(/\.$/, "")));
  }
  const privateZones = clustersWhere(ctx, identity, IdentityKind.ControlPlane)
    .map((c) => c.privateDnsZone)
    .filter((z): z is string => !!z);
  // The application routing add-on manages records in the zones its profile names.
  for (const use of identity.uses) {
    if (use.kind !== IdentityKind.Addon) continue;
    const addon = ctx.cluster(use.clusterId)?.addons.find((a) => a.name === use.addon);
    privateZones.push(...(addon?.dnsZoneResourceIds ?? []));
  }
  // A domain's records live in the most specific zone that is the domain or one of its parents.
  const hosting = new Set<string>();
  for (const d of domains) {
    let best: Resource | undefined;
    for (const z of zones) {
      const name = z.name.toLowerCase();
      if ((d === name || d.endsWith(`.${name}`)) && (!best || name.length > best.name.length)) best = z;
    }
    if (best) hosting.add(normalizeId(best.id));
  }
  return zones.filter((z) => hosting.has(normalizeId(z.id)) || privateZones.some((p) => sameId(p, z.id)));
}

/** At most this many per-resource assignments are proposed in one plan; more is a wizard choice. */
export const MAX_PROPOSED_SCOPES = 10;

export interface NarrowerScopes {
  /** Scopes the primary plan re-creates the role on. */
  scopes: string[];
  /** Every sensible narrower scope (the wizard's choices). */
  candidates: string[];
  /** Plain words: why these scopes. */
  basis: string;
}

/**
 * Narrower scopes for the same role, from what the identity's jobs need: the node resource
 * group for the kubelet's pod-identity roles, the cluster's subnets and route tables for a
 * network role, the registries the cluster pulls from for registry roles, the zones it
 * manages for DNS roles, else the resources of the kinds the role governs under the scope.
 */
export function narrowerScopesFor(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): NarrowerScopes {
  const wide = assignment.scope;
  const inside = (ids: readonly string[]) => [...new Map(ids.filter((s) => appliesTo(ctx, wide, s) && !sameId(s, wide)).map((s) => [normalizeId(s), s])).values()];
  const guid = role.name.toLowerCase();
  const kubeletClusters = clustersWhere(ctx, identity, IdentityKind.Kubelet);
  const cpClusters = clustersWhere(ctx, identity, IdentityKind.ControlPlane);

  if ((guid === BuiltinRoleId.ManagedIdentityOperator || guid === BuiltinRoleId.VirtualMachineContributor) && kubeletClusters.length > 0) {
    const rgs = inside(kubeletClusters.map((c) => c.nodeResourceGroupId).filter((x): x is string => !!x));
    if (rgs.length > 0) return { scopes: rgs, candidates: rgs, basis: "the node resource group holding the cluster's scale sets (aad-pod-identity guidance)" };
  }
  if (isNetworkRole(role) && cpClusters.length > 0) {
    const ids = cpClusters.flatMap((c) => {
      const n = clusterNetworkScopes(ctx, c);
      return [...n.subnets, ...n.routeTables];
    });
    const scopes = inside(ids);
    if (scopes.length > 0) return { scopes, candidates: scopes, basis: "the cluster's agent-pool subnets and their route table" };
  }
  const types = ctx.roles.classify(role.name)?.governedResourceTypes ?? [];
  const lowerTypes = types.map((t) => t.toLowerCase());
  if (lowerTypes.length > 0 && lowerTypes.every((t) => t === RegistryType.toLowerCase())) {
    const all = resourcesUnder(ctx, wide, [RegistryType]).map((r) => r.id);
    const used = inside(kubeletClusters.concat(cpClusters).flatMap((c) => registriesUsedBy(ctx, c).map((r) => r.id)));
    if (used.length > 0) return { scopes: used, candidates: all, basis: "the registries the cluster pulls images from" };
    if (all.length > 0 && all.length <= MAX_PROPOSED_SCOPES) return { scopes: all, candidates: all, basis: "each registry in the scope" };
    return { scopes: [], candidates: all, basis: "the registries in the scope" };
  }
  if (guid === BuiltinRoleId.DnsZoneContributor || guid === BuiltinRoleId.PrivateDnsZoneContributor) {
    const zones = resourcesUnder(ctx, wide, [guid === BuiltinRoleId.DnsZoneContributor ? DnsZoneType : PrivateDnsZoneType]);
    const used = dnsZonesUsed(ctx, identity, zones).map((z) => z.id);
    const all = zones.map((z) => z.id);
    if (used.length > 0) return { scopes: used, candidates: all, basis: "the zones the cluster's workloads manage" };
    return { scopes: all.length <= MAX_PROPOSED_SCOPES ? all : [], candidates: all, basis: "each zone in the scope (which ones the workload manages is not known)" };
  }
  if (guid === BuiltinRoleId.MonitoringMetricsPublisher) {
    const clusters = inside(identity.uses.filter((u) => u.kind === IdentityKind.Addon).map((u) => u.clusterId).filter((x): x is string => !!x));
    if (clusters.length > 0) return { scopes: clusters, candidates: clusters, basis: "the cluster Container Insights publishes metrics for" };
  }
  if (types.length > 0) {
    const all = resourcesUnder(ctx, wide, types).map((r) => r.id);
    return {
      scopes: all.length <= MAX_PROPOSED_SCOPES ? all : [],
      candidates: all,
      basis: `each ${types.map((t) => t.split("/").pop()).join(" / ")} resource in the scope`,
    };
  }
  return { scopes: [], candidates: [], basis: "" };
}
