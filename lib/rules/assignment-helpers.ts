/**
 * Helpers shared by the "assignments" rule group (lib/rules/registry.assignments.ts):
 * naming scopes for messages, evidence for an assignment, fix-plan steps with real ids,
 * and inventory lookups the scope-narrowing rules share. Pure; memoised per RuleContext.
 */
import type { Evidence, FixPlan, FixStep } from "@/lib/model/findings";
import { lastSegment, normalizeId, resourceGroupIdOf, sameId, scopeContains, scopeLevelRank, subscriptionOf, tryParseScope } from "@/lib/model/scope";
import { IdentityKind, ScopeLevel, type Cluster, type Identity, type Resource, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { BuiltinRoleId, roleDefinitionIdOf } from "@/lib/roles/catalog";
import type { RuleContext } from "./context";
import { clusterNetworkScopes, isNetworkRole } from "./profiles";

/** The identity's jobs, as RULES.md "Terms" names them. */
export function hasUse(identity: Identity, kind: IdentityKind): boolean {
  return identity.uses.some((u) => u.kind === kind);
}

/**
 * App identity (RULES.md "App identities"): an identity whose most specific job is being used
 * by pods. A kubelet identity that an app also reaches (AZURE_CLIENT_ID) stays a kubelet
 * identity: app-only rules judge app identities, the kubelet rules judge the kubelet.
 */
export function isAppIdentity(identity: Identity): boolean {
  return identity.kind === IdentityKind.App;
}

/** AKS identities: control plane, kubelet, add-ons. */
export function isAksIdentity(identity: Identity): boolean {
  return identity.uses.some((u) => u.kind === IdentityKind.ControlPlane || u.kind === IdentityKind.Kubelet || u.kind === IdentityKind.Addon);
}

/** Clusters for which the identity does the given job. */
export function clustersWhere(ctx: RuleContext, identity: Identity, kind: IdentityKind): Cluster[] {
  const out = new Map<string, Cluster>();
  for (const u of identity.uses) {
    if (u.kind !== kind) continue;
    const c = ctx.cluster(u.clusterId);
    if (c) out.set(normalizeId(c.id), c);
  }
  return [...out.values()];
}

/** Every (workload identity, assignment, role) triple; assignments whose role cannot be resolved are skipped (nothing to judge). */
export function* workloadAssignments(
  ctx: RuleContext,
  filter: (identity: Identity) => boolean = () => true,
): Generator<{ identity: Identity; assignment: RoleAssignment; role: RoleDefinition }> {
  for (const identity of ctx.workloadIdentities) {
    if (!filter(identity)) continue;
    for (const assignment of ctx.assignmentsOf(identity)) {
      const role = ctx.roleOf(assignment);
      if (role) yield { identity, assignment, role };
    }
  }
}

export function isWiderThanResource(assignment: RoleAssignment): boolean {
  return scopeLevelRank(assignment.scopeLevel) < scopeLevelRank(ScopeLevel.Resource);
}

export function isSubscriptionOrWider(level: ScopeLevel): boolean {
  return scopeLevelRank(level) <= scopeLevelRank(ScopeLevel.Subscription);
}

/** "resource group rg-x", "subscription prod (<guid>)", "management group contoso", "the storage account st1". */
export function describeScope(ctx: RuleContext, scope: string): string {
  const p = tryParseScope(scope);
  if (!p) return scope;
  switch (p.level) {
    case ScopeLevel.Root:
      return "the tenant root";
    case ScopeLevel.ManagementGroup: {
      const mg = ctx.index.managementGroupById.get(normalizeId(scope));
      return `management group ${mg?.displayName ?? p.managementGroup}`;
    }
    case ScopeLevel.Subscription: {
      const sub = ctx.index.subscriptionById.get(normalizeId(scope));
      return sub ? `subscription ${sub.displayName} (${sub.subscriptionId})` : `subscription ${p.subscriptionId}`;
    }
    case ScopeLevel.ResourceGroup:
      return `resource group ${p.resourceGroup}`;
    default:
      return `${resourceKindLabel(p.resourceType ?? "")} ${p.resourceName}`;
  }
}

const KIND_LABELS: Record<string, string> = {
  "microsoft.containerregistry/registries": "registry",
  "microsoft.keyvault/vaults": "key vault",
  "microsoft.storage/storageaccounts": "storage account",
  "microsoft.servicebus/namespaces": "Service Bus namespace",
  "microsoft.eventhub/namespaces": "Event Hubs namespace",
  "microsoft.network/virtualnetworks": "virtual network",
  "microsoft.network/virtualnetworks/subnets": "subnet",
  "microsoft.network/routetables": "route table",
  "microsoft.network/dnszones": "DNS zone",
  "microsoft.network/privatednszones": "private DNS zone",
  "microsoft.compute/virtualmachinescalesets": "scale set",
  "microsoft.compute/virtualmachines": "virtual machine",
  "microsoft.managedidentity/userassignedidentities": "managed identity",
  "microsoft.containerservice/managedclusters": "AKS cluster",
  "microsoft.operationalinsights/workspaces": "Log Analytics workspace",
};

/** "storage account", "registry", ...; unknown types by their last segment. */
export function resourceKindLabel(type: string): string {
  return KIND_LABELS[type.toLowerCase()] ?? type.split("/").pop() ?? "resource";
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
}

export function roleLabel(role: RoleDefinition): string {
  return role.roleType === "CustomRole" ? `custom role "${role.roleName}"` : role.roleName;
}

export function identityLabel(identity: Identity): string {
  const job: Record<string, string> = {
    [IdentityKind.ControlPlane]: "control-plane identity",
    [IdentityKind.Kubelet]: "kubelet identity",
    [IdentityKind.Addon]: "add-on identity",
    [IdentityKind.App]: "app identity",
  };
  return `${job[identity.kind] ?? "identity"} ${identity.displayName}`;
}

/** Evidence naming the assignment, its role definition and the identity's jobs. */
export function assignmentEvidence(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): Evidence[] {
  const out: Evidence[] = [
    { source: assignment.id, fact: `${identity.displayName} holds ${role.roleName} at ${describeScope(ctx, assignment.scope)} (${assignment.scopeLevel} scope)` },
  ];
  for (const use of identity.uses) {
    const cluster = ctx.cluster(use.clusterId);
    if (!cluster) continue;
    const job =
      use.kind === IdentityKind.Addon
        ? `the ${use.addon} add-on identity`
        : use.kind === IdentityKind.App
          ? `used by pods through ${use.mechanism ?? "a workload link"}`
          : `the ${use.kind} identity`;
    out.push({ source: cluster.id, fact: `${identity.displayName} is ${job} of cluster ${cluster.name}` });
  }
  return out;
}

export function roleEvidence(role: RoleDefinition, fact: string): Evidence {
  return { source: role.id || roleDefinitionIdOf(role.name), fact: `${role.roleName} (${role.roleType === "CustomRole" ? "custom" : "built-in"}): ${fact}` };
}

export function deleteStep(assignment: RoleAssignment, role: RoleDefinition | undefined): FixStep {
  return {
    kind: "delete-role-assignment",
    roleAssignmentId: assignment.id,
    principalId: assignment.principalId,
    roleName: role?.roleName ?? assignment.roleName ?? assignment.roleDefinitionName,
    scope: assignment.scope,
  };
}

export function createStep(
  assignment: RoleAssignment,
  role: RoleDefinition,
  scope: string,
  alternatives?: { roleDefinitionIds?: string[]; scopes?: string[] },
): FixStep {
  const step: FixStep = {
    kind: "create-role-assignment",
    principalId: assignment.principalId,
    principalType: assignment.principalType || "ServicePrincipal",
    roleDefinitionId: role.id || roleDefinitionIdOf(role.name),
    roleName: role.roleName,
    scope,
  };
  if (alternatives && ((alternatives.roleDefinitionIds?.length ?? 0) > 0 || (alternatives.scopes?.length ?? 0) > 0)) step.alternatives = alternatives;
  return step;
}

export function removePlan(assignment: RoleAssignment, role: RoleDefinition, summary?: string): FixPlan {
  return { id: "remove", summary: summary ?? `Delete the ${role.roleName} assignment at ${assignment.scope}`, steps: [deleteStep(assignment, role)] };
}

/**
 * Re-create the same role at each narrower scope, then delete the wide assignment (create
 * first so the workload never loses access in between). `alternatives` lists every candidate
 * scope so the wizard can let the user keep only the ones the workload needs.
 */
export function rescopePlan(
  ctx: RuleContext,
  assignment: RoleAssignment,
  role: RoleDefinition,
  scopes: readonly string[],
  options: { id?: string; summary?: string; candidates?: readonly string[]; newRole?: RoleDefinition } = {},
): FixPlan {
  const target = options.newRole ?? role;
  const candidates = [...new Set((options.candidates ?? scopes).map((s) => s))];
  const names = scopes.map((s) => describeScope(ctx, s));
  return {
    id: options.id ?? "rescope",
    summary: options.summary ?? `Re-create ${target.roleName} on ${names.join(", ")} and delete the assignment at ${describeScope(ctx, assignment.scope)}`,
    steps: [...scopes.map((s) => createStep(assignment, target, s, candidates.length > 1 ? { scopes: candidates } : undefined)), deleteStep(assignment, role)],
  };
}

// ---- inventory lookups -------------------------------------------------------------

/** The management group ids a subscription sits under, nearest first (walking parentId). */
function managementGroupsOf(ctx: RuleContext, subscriptionId: string): string[] {
  const sub = ctx.index.subscriptionById.get(normalizeId(subscriptionId));
  const out: string[] = [];
  let mg = sub?.managementGroupId ? ctx.index.managementGroupById.get(normalizeId(sub.managementGroupId)) : undefined;
  const seen = new Set<string>();
  while (mg && !seen.has(normalizeId(mg.id))) {
    seen.add(normalizeId(mg.id));
    out.push(mg.id);
    mg = mg.parentId ? ctx.index.managementGroupById.get(normalizeId(mg.parentId)) : undefined;
  }
  return out;
}

/** True when an assignment at `scope` applies to `target`, management groups included. */
export function appliesTo(ctx: RuleContext, scope: string, target: string): boolean {
  if (scopeContains(scope, target)) return true;
  const p = tryParseScope(scope);
  if (p?.level !== ScopeLevel.ManagementGroup) return false;
  const sub = subscriptionOf(target);
  return !!sub && managementGroupsOf(ctx, sub).some((mg) => sameId(mg, scope));
}

/** Resources of the given types (case-insensitive) that an assignment at `scope` reaches, from the type index. */
export function resourcesUnder(ctx: RuleContext, scope: string, types: readonly string[]): Resource[] {
  const out: Resource[] = [];
  const seen = new Set<string>();
  const p = tryParseScope(scope);
  // Resource-group and resource scopes only look inside their group: O(group), not O(tenant).
  const group = p && (p.level === ScopeLevel.ResourceGroup || p.level === ScopeLevel.Resource) ? (ctx.index.resourcesByGroup.get(normalizeId(resourceGroupIdOf(scope)!)) ?? []) : undefined;
  for (const t of types) {
    const list = group ? group.filter((r) => r.type.toLowerCase() === t.toLowerCase()) : (ctx.index.resourcesByType.get(t.toLowerCase()) ?? []);
    for (const r of list) {
      const k = normalizeId(r.id);
      if (seen.has(k)) continue;
      const inside = p?.level === ScopeLevel.ResourceGroup ? sameId(resourceGroupIdOf(r.id), scope) : appliesTo(ctx, scope, r.id);
      if (inside) {
        seen.add(k);
        out.push(r);
      }
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export const RegistryType = "Microsoft.ContainerRegistry/registries";

const registryMemo = new WeakMap<RuleContext, Map<string, Resource[]>>();

/**
 * Registries a cluster pulls from: those whose login server (`<name>.azurecr.io`, or the
 * `loginServer` property) is the host of some pod or controller image on the cluster.
 */
export function registriesUsedBy(ctx: RuleContext, cluster: Cluster): Resource[] {
  let memo = registryMemo.get(ctx);
  if (!memo) {
    memo = new Map();
    registryMemo.set(ctx, memo);
  }
  const k = normalizeId(cluster.id);
  const hit = memo.get(k);
  if (hit) return hit;
  const hosts = new Set<string>();
  const addImage = (image: string) => {
    const host = image.split("/")[0]!.toLowerCase();
    if (host.includes(".")) hosts.add(host);
  };
  for (const p of ctx.inventory.kubernetes.pods) if (sameId(p.clusterId, cluster.id)) p.containers.forEach((c) => addImage(c.image));
  for (const c of ctx.inventory.kubernetes.controllers) if (sameId(c.clusterId, cluster.id)) c.containers.forEach((x) => addImage(x.image));
  const registries = (ctx.index.resourcesByType.get(RegistryType.toLowerCase()) ?? []).filter((r) => {
    const login = (typeof r.properties.loginServer === "string" ? r.properties.loginServer : `${r.name}.azurecr.io`).toLowerCase();
    return hosts.has(login);
  });
  memo.set(k, registries);
  return registries;
}

// ---- narrower scopes ---------------------------------------------------------------

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

/** A plan that tells the operator what to decide when no narrower scope can be computed. */
export function manualRescopePlan(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition, what: string): FixPlan {
  return {
    id: "rescope-manual",
    summary: `Re-create ${role.roleName} for ${identity.displayName} at ${what}, then delete the assignment at ${describeScope(ctx, assignment.scope)}`,
    steps: [
      { kind: "manual", description: `Create ${role.roleName} for ${identity.displayName} (principal ${assignment.principalId}) at ${what}; the inventory does not show which resources it uses.` },
      deleteStep(assignment, role),
    ],
  };
}

/**
 * "Move the right to a dedicated identity": create a user-assigned identity beside the
 * cluster, then (once Azure has issued its principal id) grant it the role and bind the
 * workload; then delete the grant from the shared identity.
 */
export function moveToDedicatedIdentityPlan(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): FixPlan | undefined {
  const cluster = ctx.cluster(identity.clusterIds[0]);
  if (!cluster) return undefined;
  const rgId = `/subscriptions/${cluster.subscriptionId}/resourceGroups/${cluster.resourceGroup}`;
  const slug = role.roleName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const name = `id-${cluster.name}-${slug}`.slice(0, 128);
  const workloads = [...new Set(ctx.linksOf(identity).map((l) => l.workloadId))];
  const who = workloads.length > 0 ? `the workload that needs it (${workloads.map(lastSegment).join(", ")})` : "the one workload that needs it";
  return {
    id: "move-to-dedicated-identity",
    summary: `Create identity ${name}, give it ${role.roleName} at ${describeScope(ctx, assignment.scope)}, bind it to ${who}, then delete the grant from ${identity.displayName}`,
    steps: [
      { kind: "create-managed-identity", resourceGroupId: rgId, name, location: cluster.location },
      {
        kind: "manual",
        description: `Grant ${role.roleName} at ${assignment.scope} to ${name} and bind it to ${who} with a federated credential for the cluster's OIDC issuer (Azure Workload Identity).`,
      },
      deleteStep(assignment, role),
    ],
  };
}
