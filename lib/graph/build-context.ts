import type { InventoryIndex } from "@/lib/inventory/indexes";
import { getIndex } from "@/lib/inventory/names";
import type { EdgeKind } from "@/lib/model/graph-schema";
import { normalizeId, subscriptionOf } from "@/lib/model/scope";
import { type Cluster, type Identity, type Inventory, type Workload } from "@/lib/model/types";
import { buildGraphLookups, type GraphLookups } from "./lookups";
import type { GraphEdge, GraphNode } from "./types";
import { kubeObjectId } from "@/lib/model/kubernetes";
import { nodeId } from "./node-id";
import { scopeParent } from "./scope-chain";
import { fact } from "./facts";
import { jobLabel } from "./labels";
import { scopeNode } from "./scope-node";


export const namespaceEntityId = (clusterId: string, namespace: string) => `${clusterId}/namespaces/${namespace}`;

/** An edge a relation proposes; the context merges proposals with the same kind and ends. */
export interface EdgeDraft {
  source: string;
  target: string;
  label?: string;
  refs?: string[];
  broken?: boolean;
  problems?: string[];
  mechanism?: GraphEdge["mechanism"];
}

/**
 * Mutable state of one build: the inventory, its index, and the nodes and edges so far.
 * Node factories are idempotent (the same entity always yields the same node), so relations
 * can name their endpoints without caring which relation created them first.
 */
export class GraphBuildContext {
  readonly index: InventoryIndex;
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** The edges in the order they were first proposed (the values of `edges`, kept as a list). */
  readonly edgeOrder: GraphEdge[] = [];
  /** Identity keys the findings name, so identities with findings appear even without a cluster job. */
  readonly extraIdentityKeys = new Set<string>();
  /** "Holder can take over target" pairs, from the identity-escalation-path findings. */
  readonly escalations: { holderKey: string; target: string; findingId: string }[] = [];

  constructor(
    readonly inventory: Inventory,
    index?: InventoryIndex,
  ) {
    this.index = index ?? getIndex(inventory);
  }

  private lookups?: GraphLookups & { scopeNodes: Map<string, string> };

  private lookup() {
    this.lookups ??= { ...buildGraphLookups(this.inventory), scopeNodes: new Map() };
    return this.lookups;
  }

  private put(node: GraphNode): string {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
    return node.id;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  cluster(c: Cluster): string {
    const id = nodeId("cluster", c.id);
    if (this.nodes.has(id)) return id;
    const workloads = this.index.workloadsByCluster.get(normalizeId(c.id)) ?? [];
    const pods = workloads.reduce((n, w) => n + w.podIds.length, 0);
    const namespaces = this.inventory.kubernetes.namespaces.filter((n) => normalizeId(n.clusterId) === normalizeId(c.id)).length;
    const read = this.inventory.kubernetes.readClusterIds.some((r) => normalizeId(r) === normalizeId(c.id));
    return this.put({
      id,
      kind: "cluster",
      label: c.name,
      sublabel: `AKS · ${c.location}`,
      entityId: c.id,
      clusterId: c.id,
      subscriptionId: c.subscriptionId,
      counts: { workloads: workloads.length, pods },
      facts: [
        ...fact("Resource id", c.id),
        ...fact("Kubernetes version", c.kubernetesVersion),
        ...fact("Location", c.location),
        ...fact("Namespaces", read ? namespaces : "not read"),
        ...fact("Workloads", read ? workloads.length : "not read"),
        ...fact("Pods", read ? pods : "not read"),
        ...fact("Workload identity", c.workloadIdentityEnabled ? "enabled" : "disabled"),
        ...fact("OIDC issuer", c.oidcIssuerEnabled ? (c.oidcIssuerUrl ?? "enabled") : "disabled"),
        ...fact("Pod identity add-on", c.podIdentityEnabled ? "enabled" : "disabled"),
      ],
      findingIds: [],
    });
  }

  clusterById(clusterId: string): string | undefined {
    const c = this.index.clusterById.get(normalizeId(clusterId));
    return c ? this.cluster(c) : undefined;
  }

  namespace(clusterId: string, namespace: string): string {
    const entityId = namespaceEntityId(clusterId, namespace);
    const id = nodeId("namespace", entityId);
    if (this.nodes.has(id)) return id;
    const all = (this.index.workloadsByCluster.get(normalizeId(clusterId)) ?? []).filter((w) => w.namespace === namespace);
    const pods = all.reduce((n, w) => n + w.podIds.length, 0);
    const clusterNode = this.clusterById(clusterId);
    return this.put({
      id,
      kind: "namespace",
      label: namespace,
      sublabel: `${all.length} workload${all.length === 1 ? "" : "s"} · ${pods} pod${pods === 1 ? "" : "s"}`,
      entityId,
      clusterId,
      parentId: clusterNode,
      counts: { workloads: all.length, pods },
      facts: [...fact("Cluster", this.nodes.get(clusterNode ?? "")?.label ?? clusterId), ...fact("Workloads", all.length), ...fact("Pods", pods)],
      findingIds: [],
    });
  }

  workload(w: Workload): string {
    const id = nodeId("workload", w.id);
    if (this.nodes.has(id)) return id;
    const parentId = this.namespace(w.clusterId, w.namespace);
    const pods = w.podIds.length;
    return this.put({
      id,
      kind: "workload",
      label: w.name,
      sublabel: `${w.kind} · ${pods} pod${pods === 1 ? "" : "s"}`,
      entityId: w.id,
      clusterId: w.clusterId,
      parentId,
      counts: { pods },
      facts: [
        ...fact("Kind", w.kind),
        ...fact("Namespace", w.namespace),
        ...fact("Pods", pods),
        ...fact("Service account", w.serviceAccountName),
        ...fact("App", w.app),
      ],
      findingIds: [],
    });
  }

  workloadById(workloadId: string): string | undefined {
    const w = this.index.workloadById.get(normalizeId(workloadId));
    return w ? this.workload(w) : undefined;
  }

  serviceAccount(clusterId: string, namespace: string, name: string): string {
    const entityId = kubeObjectId(clusterId, namespace, "serviceaccounts", name);
    const id = nodeId("service-account", entityId);
    if (this.nodes.has(id)) return id;
    const sa = this.lookup().serviceAccounts.get(`${normalizeId(clusterId)}|${namespace}|${name}`);
    return this.put({
      id,
      kind: "service-account",
      label: name,
      sublabel: `ServiceAccount · ${namespace}`,
      entityId,
      clusterId,
      parentId: this.namespace(clusterId, namespace),
      facts: [
        ...fact("Namespace", namespace),
        ...fact("azure.workload.identity/client-id", sa?.workloadIdentityClientId),
        ...(sa ? [] : fact("State", "not found in the cluster")),
      ],
      findingIds: [],
    });
  }

  binding(clusterId: string, b: { namespace: string; name: string; selector: string }): string {
    const entityId = kubeObjectId(clusterId, b.namespace, "azureidentitybindings", b.name);
    const id = nodeId("pod-identity-binding", entityId);
    if (this.nodes.has(id)) return id;
    return this.put({
      id,
      kind: "pod-identity-binding",
      label: b.name,
      sublabel: `AzureIdentityBinding · ${b.namespace}`,
      entityId,
      clusterId,
      parentId: this.namespace(clusterId, b.namespace),
      facts: [...fact("Namespace", b.namespace), ...fact("Selector (aadpodidbinding label)", b.selector)],
      findingIds: [],
    });
  }

  azureIdentity(clusterId: string, ref: { namespace: string; name: string }): string {
    const entityId = kubeObjectId(clusterId, ref.namespace, "azureidentities", ref.name);
    const id = nodeId("azure-identity", entityId);
    if (this.nodes.has(id)) return id;
    const ai = this.lookup().azureIdentities.get(`${normalizeId(clusterId)}|${ref.namespace}|${ref.name}`);
    const typeName = ai ? (["user-assigned managed identity", "service principal (secret)", "service principal (certificate)"][ai.type] ?? `type ${ai.type}`) : undefined;
    return this.put({
      id,
      kind: "azure-identity",
      label: ref.name,
      sublabel: `AzureIdentity · ${ref.namespace}`,
      entityId,
      clusterId,
      parentId: this.namespace(clusterId, ref.namespace),
      facts: [
        ...fact("Namespace", ref.namespace),
        ...fact("Type", typeName),
        ...fact("Resource id", ai?.resourceId),
        ...fact("Client id", ai?.clientId),
        ...fact("Behavior", ai?.annotations["aadpodidentity.k8s.io/Behavior"]),
      ],
      findingIds: [],
    });
  }

  federatedCredential(ficId: string): string {
    const id = nodeId("federated-credential", ficId);
    if (this.nodes.has(id)) return id;
    const fic = this.lookup().federatedCredentials.get(normalizeId(ficId));
    return this.put({
      id,
      kind: "federated-credential",
      label: fic?.name ?? ficId.split("/").pop() ?? ficId,
      sublabel: fic ? `FIC · ${fic.subject}` : "Federated credential",
      entityId: ficId,
      facts: [...fact("Issuer", fic?.issuer), ...fact("Subject", fic?.subject), ...fact("Audiences", fic?.audiences.join(", ")), ...fact("Resource id", ficId)],
      findingIds: [],
    });
  }

  identity(identity: Identity): string {
    const id = nodeId("identity", identity.key);
    if (this.nodes.has(id)) return id;
    const jobs = identity.uses.map((u) => {
      const c = u.clusterId ? this.index.clusterById.get(normalizeId(u.clusterId)) : undefined;
      return `${jobLabel(u.kind, u.addon)}${u.mechanism ? ` (${u.mechanism})` : ""}${c ? ` · ${c.name}` : ""}`;
    });
    const firstCluster = identity.clusterIds[0] ? this.index.clusterById.get(normalizeId(identity.clusterIds[0])) : undefined;
    const use = identity.uses.find((u) => u.kind === identity.kind);
    return this.put({
      id,
      kind: "identity",
      label: identity.displayName,
      sublabel: `${jobLabel(identity.kind, use?.addon)}${firstCluster ? ` · ${firstCluster.name}` : ""}`,
      entityId: identity.key,
      identityKind: identity.kind,
      clusterId: identity.clusterIds[0],
      subscriptionId: identity.resourceId ? subscriptionOf(identity.resourceId) : undefined,
      facts: [
        ...fact("Job", jobLabel(identity.kind, use?.addon)),
        ...(jobs.length > 1 || (jobs.length === 1 && jobs[0] !== jobLabel(identity.kind, use?.addon)) ? fact("All jobs", jobs.join("; ")) : []),
        ...fact("Principal (object) id", identity.principalId),
        ...fact("Client id", identity.clientId),
        ...fact("Resource id", identity.resourceId),
        ...fact("System-assigned to", identity.systemAssignedTo),
        ...fact("Principal type", identity.principalType),
        ...fact(
          "In the directory",
          identity.existsInDirectory === undefined ? "unknown" : identity.existsInDirectory ? "yes" : "no (deleted or never existed)",
        ),
      ],
      findingIds: [],
    });
  }

  identityByKey(key: string): string | undefined {
    const i = this.index.identityByKey.get(normalizeId(key));
    return i ? this.identity(i) : undefined;
  }

  /** A scope node; its kind follows the scope level (scope-node.ts). */
  scope(scopeId: string): string {
    // Thousands of assignments share a scope: parse and name each scope once.
    const scopeNodes = this.lookup().scopeNodes;
    const known = scopeNodes.get(scopeId);
    if (known !== undefined) return known;
    const node = scopeNode(scopeId, this.index);
    const id = this.nodes.has(node.id) ? node.id : this.put(node);
    scopeNodes.set(scopeId, id);
    return id;
  }

  /** The scope's parent under ARM inheritance (scope-chain.ts). */
  scopeParent(scopeId: string): string | undefined {
    return scopeParent(scopeId, this.index);
  }

  edge(kind: EdgeKind, draft: EdgeDraft): GraphEdge {
    const id = `${kind}:${draft.source}->${draft.target}`;
    const existing = this.edges.get(id);
    if (existing) {
      for (const r of draft.refs ?? []) if (!existing.refs.includes(r)) existing.refs.push(r);
      if (draft.broken) existing.broken = true;
      for (const p of draft.problems ?? []) if (!existing.problems?.includes(p)) (existing.problems ??= []).push(p);
      if (draft.label && existing.label && !existing.label.split(" + ").includes(draft.label)) existing.label = `${existing.label} + ${draft.label}`;
      return existing;
    }
    const e: GraphEdge = { id, kind, source: draft.source, target: draft.target, refs: [...(draft.refs ?? [])], findingIds: [] };
    if (draft.label) e.label = draft.label;
    if (draft.mechanism) e.mechanism = draft.mechanism;
    if (draft.broken) e.broken = true;
    if (draft.problems?.length) e.problems = [...draft.problems];
    this.edges.set(id, e);
    this.edgeOrder.push(e);
    return e;
  }
}
