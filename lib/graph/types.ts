import type { EdgeKind, NodeKind } from "@/lib/model/graph-schema";
import type { Severity } from "@/lib/model/findings";
import type { IdentityKind, LinkMechanism } from "@/lib/model/types";

/** One fact about a node for the side panel; values are untrusted text from Azure/Kubernetes. */
export interface GraphFact {
  label: string;
  value: string;
}

/** Pods and workloads folded into a node, so large clusters render as counts. */
export interface GraphCounts {
  pods?: number;
  workloads?: number;
  /** Nodes hidden inside a collapsed group. */
  hidden?: number;
}

/** A node of the identity graph. Plain JSON: built on the server, sent to the browser as is. */
export interface GraphNode {
  /** `<kind>:<entity id>`, unique in the graph. */
  id: string;
  kind: NodeKind;
  label: string;
  /** A second line: identity job, namespace, resource type... */
  sublabel?: string;
  /** The model id this node stands for: an ARM id, a Kubernetes-derived id or an identity key. */
  entityId: string;
  clusterId?: string;
  subscriptionId?: string;
  /** Containment parent (a workload's namespace, a resource group's subscription); collapsing it hides this node. */
  parentId?: string;
  identityKind?: IdentityKind;
  counts?: GraphCounts;
  facts: GraphFact[];
  /** Highest severity among `findingIds`. */
  severity?: Severity;
  findingIds: string[];
  /** True when this node is a collapsed group standing in for the nodes it holds. */
  collapsed?: boolean;
}

/** One role assignment folded into a "holds role at scope" edge. */
export interface GraphRole {
  assignmentId: string;
  roleName: string;
  roleDefinitionId: string;
  /** The scope the assignment is at (differs from the edge target once a scope subtree is collapsed). */
  scope: string;
  severity?: Severity;
  findingIds: string[];
}

export interface GraphEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  label?: string;
  /** Model ids this edge stands for (role assignment ids, link ids, binding and credential ids); findings attach through them. */
  refs: string[];
  /** For "holds role at scope": every role the identity holds there. */
  roles?: GraphRole[];
  mechanism?: LinkMechanism;
  /** The chain this edge belongs to is broken (missing pod label, no matching credential...). */
  broken?: boolean;
  problems?: string[];
  severity?: Severity;
  findingIds: string[];
  /** Edges merged into this one by collapsing. */
  count?: number;
}

/** What the graph keeps of a finding: enough to show and link it. */
export interface GraphFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  roleName?: string;
  scope?: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** By finding id: every finding referenced by a node or edge. */
  findings: Record<string, GraphFinding>;
}
