import { EDGE_KINDS, EdgeKind, type NodeKind } from "@/lib/model/graph-schema";
import { normalizeId } from "@/lib/model/scope";
import { IdentityKind, LinkMechanism } from "@/lib/model/types";
import type { GraphBuildContext } from "@/lib/graph/build-context";
import type { GraphEdge } from "./types";
import { jobLabel, roleLabel } from "./labels";

/**
 * One relation of the graph (Headlamp-style `relation(id, from, to, match)`): which edge
 * kind it produces, between which node kinds, and how its pairs are found in the inventory.
 * `match` creates its endpoints through the context's node factories and proposes edges.
 */
export interface Relation {
  id: EdgeKind;
  from: readonly NodeKind[];
  to: readonly NodeKind[];
  match: (ctx: GraphBuildContext) => void;
}

export function relation(id: EdgeKind, from: readonly NodeKind[], to: readonly NodeKind[], match: (ctx: GraphBuildContext) => void): Relation {
  return { id, from, to, match };
}

const CLUSTER_JOBS: ReadonlySet<string> = new Set([IdentityKind.ControlPlane, IdentityKind.Kubelet, IdentityKind.Addon]);

/**
 * The relations, in build order: the links (Inventory.links, already resolved by the
 * inventory) bring in workloads and app identities, containment then adds their namespaces,
 * roles bring in scopes, and scope inheritance connects the scopes last.
 */
export const RELATIONS: readonly Relation[] = [
  relation(EdgeKind.UsesIdentity, ["cluster"], ["identity"], (ctx) => {
    for (const identity of ctx.inventory.identities) {
      for (const use of identity.uses) {
        if (!use.clusterId || !CLUSTER_JOBS.has(use.kind)) continue;
        const cluster = ctx.clusterById(use.clusterId);
        if (!cluster) continue;
        ctx.edge(EdgeKind.UsesIdentity, { source: cluster, target: ctx.identity(identity), label: jobLabel(use.kind, use.addon) });
      }
    }
  }),

  relation(EdgeKind.BoundVia, ["workload"], ["pod-identity-binding"], (ctx) => {
    for (const link of ctx.inventory.links) {
      if (link.mechanism !== LinkMechanism.PodIdentity || !link.binding) continue;
      const workload = ctx.workloadById(link.workloadId);
      if (!workload) continue;
      ctx.edge(EdgeKind.BoundVia, {
        source: workload,
        target: ctx.binding(link.clusterId, link.binding),
        label: `aadpodidbinding=${link.binding.selector}`,
        refs: [link.id, ...link.podIds],
        mechanism: link.mechanism,
        broken: !link.complete,
        problems: link.problems,
      });
    }
  }),

  relation(EdgeKind.BindsAzureIdentity, ["pod-identity-binding"], ["azure-identity"], (ctx) => {
    for (const link of ctx.inventory.links) {
      if (link.mechanism !== LinkMechanism.PodIdentity || !link.binding || !link.azureIdentity) continue;
      ctx.edge(EdgeKind.BindsAzureIdentity, {
        source: ctx.binding(link.clusterId, link.binding),
        target: ctx.azureIdentity(link.clusterId, link.azureIdentity),
        refs: [link.id],
        mechanism: link.mechanism,
      });
    }
  }),

  relation(EdgeKind.AzureIdentityFor, ["azure-identity"], ["identity"], (ctx) => {
    for (const link of ctx.inventory.links) {
      if (link.mechanism !== LinkMechanism.PodIdentity || !link.azureIdentity) continue;
      const identity = ctx.identityByKey(link.identityKey);
      if (!identity) continue;
      ctx.edge(EdgeKind.AzureIdentityFor, {
        source: ctx.azureIdentity(link.clusterId, link.azureIdentity),
        target: identity,
        refs: [link.id],
        mechanism: link.mechanism,
      });
    }
  }),

  relation(EdgeKind.RunsAs, ["workload"], ["service-account"], (ctx) => {
    for (const link of ctx.inventory.links) {
      if (link.mechanism !== LinkMechanism.WorkloadIdentity || !link.serviceAccount) continue;
      const workload = ctx.workloadById(link.workloadId);
      if (!workload) continue;
      ctx.edge(EdgeKind.RunsAs, {
        source: workload,
        target: ctx.serviceAccount(link.clusterId, link.serviceAccount.namespace, link.serviceAccount.name),
        refs: [link.id, ...link.podIds],
        mechanism: link.mechanism,
      });
    }
  }),

  relation(EdgeKind.TrustedVia, ["service-account"], ["federated-credential", "identity"], (ctx) => {
    for (const link of ctx.inventory.links) {
      if (link.mechanism !== LinkMechanism.WorkloadIdentity || !link.serviceAccount) continue;
      const sa = ctx.serviceAccount(link.clusterId, link.serviceAccount.namespace, link.serviceAccount.name);
      if (link.federatedCredentialId) {
        ctx.edge(EdgeKind.TrustedVia, {
          source: sa,
          target: ctx.federatedCredential(link.federatedCredentialId),
          refs: [link.id, link.federatedCredentialId],
          mechanism: link.mechanism,
          broken: !link.complete,
          problems: link.problems,
        });
      } else {
        const identity = ctx.identityByKey(link.identityKey);
        if (!identity) continue;
        ctx.edge(EdgeKind.TrustedVia, {
          source: sa,
          target: identity,
          label: "no federated credential",
          refs: [link.id],
          mechanism: link.mechanism,
          broken: true,
          problems: link.problems.length ? link.problems : ["No federated credential trusts this service account."],
        });
      }
    }
  }),

  relation(EdgeKind.FederatesTo, ["federated-credential"], ["identity"], (ctx) => {
    for (const link of ctx.inventory.links) {
      if (link.mechanism !== LinkMechanism.WorkloadIdentity || !link.federatedCredentialId) continue;
      const identity = ctx.identityByKey(link.identityKey);
      if (!identity) continue;
      ctx.edge(EdgeKind.FederatesTo, {
        source: ctx.federatedCredential(link.federatedCredentialId),
        target: identity,
        refs: [link.id, link.federatedCredentialId],
        mechanism: link.mechanism,
      });
    }
  }),

  relation(EdgeKind.ClientIdEnv, ["workload"], ["identity"], (ctx) => {
    for (const link of ctx.inventory.links) {
      if (link.mechanism !== LinkMechanism.EnvClientId) continue;
      const workload = ctx.workloadById(link.workloadId);
      const identity = ctx.identityByKey(link.identityKey);
      if (!workload || !identity) continue;
      ctx.edge(EdgeKind.ClientIdEnv, {
        source: workload,
        target: identity,
        refs: [link.id, ...link.podIds],
        mechanism: link.mechanism,
        broken: !link.complete,
        problems: link.problems,
      });
    }
  }),

  relation(EdgeKind.RunsWorkload, ["namespace"], ["workload"], (ctx) => {
    for (const node of [...ctx.nodes.values()]) {
      if (node.kind !== "workload" || !node.parentId) continue;
      ctx.edge(EdgeKind.RunsWorkload, { source: node.parentId, target: node.id });
    }
  }),

  relation(EdgeKind.HasNamespace, ["cluster"], ["namespace"], (ctx) => {
    for (const node of [...ctx.nodes.values()]) {
      if (node.kind !== "namespace" || !node.parentId) continue;
      ctx.edge(EdgeKind.HasNamespace, { source: node.parentId, target: node.id });
    }
  }),

  // Before the roles, so an identity that can be taken over brings in its own grants.
  relation(EdgeKind.EscalatesTo, ["identity"], ["identity"], (ctx) => {
    for (const x of ctx.escalations) {
      const holder = ctx.identityByKey(x.holderKey);
      const k = normalizeId(x.target);
      const target = ctx.index.identityByResourceId.get(k) ?? ctx.index.identityByPrincipalId.get(k) ?? ctx.index.identityByKey.get(k);
      if (!holder || !target) continue;
      ctx.edge(EdgeKind.EscalatesTo, { source: holder, target: ctx.identity(target), label: EDGE_KINDS[EdgeKind.EscalatesTo].label, refs: [x.findingId] });
    }
  }),

  relation(EdgeKind.HoldsRole, ["identity"], ["management-group", "subscription", "resource-group", "resource"], (ctx) => {
    for (const key of ctx.extraIdentityKeys) ctx.identityByKey(key);
    const held = new Set<GraphEdge>();
    for (const node of [...ctx.nodes.values()]) {
      if (node.kind !== "identity") continue;
      const identity = ctx.index.identityByKey.get(normalizeId(node.entityId));
      if (!identity?.principalId) continue;
      for (const a of ctx.index.assignmentsByPrincipal.get(normalizeId(identity.principalId)) ?? []) {
        const roleName = a.roleName ?? a.roleDefinitionName;
        const e = ctx.edge(EdgeKind.HoldsRole, { source: node.id, target: ctx.scope(a.scope), refs: [a.id] });
        (e.roles ??= []).push({ assignmentId: a.id, roleName, roleDefinitionId: a.roleDefinitionId, scope: a.scope, findingIds: [] });
        held.add(e);
      }
    }
    // Labelled once every role between the two ends is known.
    for (const e of held) e.label = roleLabel(e.roles!);
  }),

  relation(EdgeKind.ScopeContains, ["management-group", "subscription", "resource-group", "resource"], ["management-group", "subscription", "resource-group", "resource"], (ctx) => {
    const pending = [...ctx.nodes.values()].filter((n) => n.kind === "management-group" || n.kind === "subscription" || n.kind === "resource-group" || n.kind === "resource");
    const seen = new Set<string>();
    while (pending.length > 0) {
      const node = pending.pop()!;
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      const parentScope = ctx.scopeParent(node.entityId);
      if (!parentScope) continue;
      const parent = ctx.scope(parentScope);
      if (parent === node.id) continue;
      node.parentId = parent;
      ctx.edge(EdgeKind.ScopeContains, { source: parent, target: node.id });
      pending.push(ctx.nodes.get(parent)!);
    }
  }),
];
