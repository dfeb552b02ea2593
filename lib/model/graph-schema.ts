/**
 * The identity graph's vocabulary, declared once (BloodHound-style): every node kind and
 * edge kind with the facts the rest of the app derives from them (layout column, whether an
 * edge lets its source act with the target's rights, whether a node groups others). Sets
 * such as "edges that grant control" are computed from these tables, never listed twice.
 */
import type { Severity } from "./findings";

export interface NodeKindSpec {
  label: string;
  /** Plural, for counts and the legend. */
  plural: string;
  /**
   * Left-to-right column for the layered layout: workloads → bindings/credentials →
   * identities → scopes. Clusters and namespaces sit left of the workloads they hold.
   */
  column: number;
  /** Collapsing it hides the nodes it holds (namespace → workloads, scope → child scopes). */
  groups: boolean;
  /** A place where rights apply (the target of "holds role at scope"). */
  scope: boolean;
}

export const NodeKind = {
  Cluster: "cluster",
  Namespace: "namespace",
  Workload: "workload",
  ServiceAccount: "service-account",
  PodIdentityBinding: "pod-identity-binding",
  AzureIdentity: "azure-identity",
  FederatedCredential: "federated-credential",
  Identity: "identity",
  ManagementGroup: "management-group",
  Subscription: "subscription",
  ResourceGroup: "resource-group",
  Resource: "resource",
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

export const NODE_KINDS: Readonly<Record<NodeKind, NodeKindSpec>> = {
  cluster: { label: "Cluster", plural: "clusters", column: 0, groups: true, scope: false },
  namespace: { label: "Namespace", plural: "namespaces", column: 1, groups: true, scope: false },
  workload: { label: "Workload", plural: "workloads", column: 2, groups: false, scope: false },
  "service-account": { label: "Service account", plural: "service accounts", column: 3, groups: false, scope: false },
  "pod-identity-binding": { label: "AzureIdentityBinding", plural: "AzureIdentityBindings", column: 3, groups: false, scope: false },
  "azure-identity": { label: "AzureIdentity", plural: "AzureIdentities", column: 4, groups: false, scope: false },
  "federated-credential": { label: "Federated credential", plural: "federated credentials", column: 4, groups: false, scope: false },
  identity: { label: "Identity", plural: "identities", column: 5, groups: false, scope: false },
  "management-group": { label: "Management group", plural: "management groups", column: 6, groups: true, scope: true },
  subscription: { label: "Subscription", plural: "subscriptions", column: 7, groups: true, scope: true },
  "resource-group": { label: "Resource group", plural: "resource groups", column: 8, groups: true, scope: true },
  resource: { label: "Resource", plural: "resources", column: 9, groups: true, scope: true },
};

export interface EdgeKindSpec {
  label: string;
  from: readonly NodeKind[];
  to: readonly NodeKind[];
  /**
   * The source can act with (part of) the target's rights, or the edge is the grant itself.
   * Paths along these edges answer "which pods can act as which identity, and where".
   */
  grantsControl: boolean;
  /** Structural containment (namespace holds workload, scope holds scope); used for collapsing. */
  contains: boolean;
  /** What the edge means, for the legend and the side panel. */
  meaning: string;
  /** One identity gets another's rights: followed by "who can reach" and "path A → B", not by the views' binding chains. */
  escalates?: true;
}

export const EdgeKind = {
  HasNamespace: "has-namespace",
  RunsWorkload: "runs-workload",
  UsesIdentity: "uses-identity",
  RunsAs: "runs-as",
  BoundVia: "bound-via",
  BindsAzureIdentity: "binds-azure-identity",
  AzureIdentityFor: "azure-identity-for",
  TrustedVia: "trusted-via",
  FederatesTo: "federates-to",
  ClientIdEnv: "client-id-env",
  EscalatesTo: "escalates-to",
  HoldsRole: "holds-role",
  ScopeContains: "scope-contains",
} as const;
export type EdgeKind = (typeof EdgeKind)[keyof typeof EdgeKind];

const SCOPE_KINDS_LIST = ["management-group", "subscription", "resource-group", "resource"] as const satisfies readonly NodeKind[];

export const EDGE_KINDS: Readonly<Record<EdgeKind, EdgeKindSpec>> = {
  "has-namespace": {
    label: "has namespace",
    from: ["cluster"],
    to: ["namespace"],
    grantsControl: false,
    contains: true,
    meaning: "The cluster holds this namespace.",
  },
  "runs-workload": {
    label: "runs",
    from: ["namespace"],
    to: ["workload"],
    grantsControl: false,
    contains: true,
    meaning: "The namespace holds this workload (its pods grouped by owner).",
  },
  "uses-identity": {
    label: "uses identity",
    from: ["cluster"],
    to: ["identity"],
    grantsControl: true,
    contains: false,
    meaning: "AKS acts as this identity for the job named on the edge (control plane, kubelet or an add-on).",
  },
  "runs-as": {
    label: "runs as",
    from: ["workload"],
    to: ["service-account"],
    grantsControl: true,
    contains: false,
    meaning: "The workload's pods run with this Kubernetes service account and can present its token.",
  },
  "bound-via": {
    label: "bound via",
    from: ["workload"],
    to: ["pod-identity-binding"],
    grantsControl: true,
    contains: false,
    meaning: "aad-pod-identity: the pods carry the aadpodidbinding label this AzureIdentityBinding selects.",
  },
  "binds-azure-identity": {
    label: "binds",
    from: ["pod-identity-binding"],
    to: ["azure-identity"],
    grantsControl: true,
    contains: false,
    meaning: "The AzureIdentityBinding hands its pods the tokens of this AzureIdentity (via NMI).",
  },
  "azure-identity-for": {
    label: "is",
    from: ["azure-identity"],
    to: ["identity"],
    grantsControl: true,
    contains: false,
    meaning: "The AzureIdentity names this managed identity (resource id / client id); NMI fetches its tokens from IMDS.",
  },
  "trusted-via": {
    label: "trusted via",
    from: ["service-account"],
    // Straight to the identity only when the chain is broken: the service account names the
    // identity's client id but no federated credential trusts it (the edge is marked broken).
    to: ["federated-credential", "identity"],
    grantsControl: true,
    contains: false,
    meaning: "Workload identity: the federated credential trusts tokens of this service account (issuer + subject).",
  },
  "federates-to": {
    label: "federates to",
    from: ["federated-credential"],
    to: ["identity"],
    grantsControl: true,
    contains: false,
    meaning: "Entra exchanges a matching service-account token for this identity's access token.",
  },
  "client-id-env": {
    label: "AZURE_CLIENT_ID",
    from: ["workload"],
    to: ["identity"],
    grantsControl: true,
    contains: false,
    meaning: "The pods name this identity's client id in AZURE_CLIENT_ID; any identity on the node's VM (such as the kubelet's) is reachable through IMDS.",
  },
  "escalates-to": {
    label: "can take over",
    from: ["identity"],
    to: ["identity"],
    grantsControl: true,
    contains: false,
    escalates: true,
    meaning:
      "The source holds a role that lets it attach the target identity, or run code where it is attached, and so get the target's tokens and act with its rights (the identity-escalation-path rule).",
  },
  "holds-role": {
    label: "holds role at",
    from: ["identity"],
    to: SCOPE_KINDS_LIST,
    grantsControl: true,
    contains: false,
    meaning: "A role assignment: the identity may do what the role allows at this scope and everything under it.",
  },
  "scope-contains": {
    label: "contains",
    from: SCOPE_KINDS_LIST,
    to: SCOPE_KINDS_LIST,
    grantsControl: true,
    contains: true,
    meaning: "A role at the outer scope applies to everything under it (ARM scope inheritance).",
  },
};

const kindsWhere = <K extends string, S>(table: Readonly<Record<K, S>>, pred: (s: S) => boolean): ReadonlySet<K> =>
  new Set((Object.keys(table) as K[]).filter((k) => pred(table[k])));

export const ALL_NODE_KINDS = Object.keys(NODE_KINDS) as NodeKind[];
export const ALL_EDGE_KINDS = Object.keys(EDGE_KINDS) as EdgeKind[];
/** Edges along which control flows: a path of these from a workload to a scope means "this workload can act there". */
export const CONTROL_EDGE_KINDS = kindsWhere(EDGE_KINDS, (e) => e.grantsControl);
/**
 * Edges that hand one identity another's rights. The views and the per-node paths follow the
 * binding chain only; "who can reach" and "path A → B" follow these too.
 */
export const ESCALATION_EDGE_KINDS = kindsWhere(EDGE_KINDS, (e) => e.escalates === true);
/** Containment edges, followed when collapsing a group. */
export const CONTAINMENT_EDGE_KINDS = kindsWhere(EDGE_KINDS, (e) => e.contains);
export const SCOPE_NODE_KINDS = kindsWhere(NODE_KINDS, (n) => n.scope);
export const GROUPING_NODE_KINDS = kindsWhere(NODE_KINDS, (n) => n.groups);
/** Nodes that stand for Kubernetes-side actors: the sources of "who can act as what". */
export const ACTOR_NODE_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(["workload", "namespace", "cluster"]);

export function isNodeKind(v: string): v is NodeKind {
  return Object.hasOwn(NODE_KINDS, v);
}
export function isEdgeKind(v: string): v is EdgeKind {
  return Object.hasOwn(EDGE_KINDS, v);
}

/** Severity shown without colour: a distinct glyph per level plus the word. */
export const SEVERITY_GLYPH: Readonly<Record<Severity, string>> = {
  critical: "◆",
  high: "▲",
  medium: "●",
  low: "○",
};
