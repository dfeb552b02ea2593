import { z } from "zod";
import { isNodeKind } from "@/lib/model/graph-schema";
import { tryParseScope } from "@/lib/model/scope";
import type { GraphView } from "@/lib/graph/view";

/** The graph page's URL state: which view, for what, and the filters. */
export interface GraphQuery {
  view: GraphView;
  /** Cluster ARM id (cluster view). Empty: the first cluster. */
  cluster: string;
  /** Identity key (identity view). */
  identity: string;
  /** Subscription GUID: only scopes in it. */
  subscription: string;
  overBroad: boolean;
  /**
   * `expand=all`: open with no group collapsed, even when the view is large or the tenant
   * view. Aggregation stays the default; this is for people who want every node, and for
   * the graph benchmark (bench/graph.ts), which must draw N real nodes.
   */
  expandAll: boolean;
  /** "Who can reach this?": an ARM scope (management group, subscription, resource group or resource). */
  to: string;
  /** With `to`: "how does this node reach it?" A graph node id (`<kind>:<entity id>`). */
  from: string;
  /** The node whose details are open. */
  select: string;
}

export const defaultGraphQuery: GraphQuery = { view: "cluster", cluster: "", identity: "", subscription: "", overBroad: false, expandAll: false, to: "", from: "", select: "" };

/** `<kind>:<entity id>` with a known node kind. */
const nodeRef = z
  .string()
  .max(2000)
  .refine((v) => {
    const i = v.indexOf(":");
    return i > 0 && i < v.length - 1 && isNodeKind(v.slice(0, i));
  }, "must be a graph node id (<kind>:<id>)");

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const schema = z.object({
  view: z.enum(["cluster", "identity", "tenant"]),
  cluster: z.string().max(1000).regex(/^\/subscriptions\//i, "must be a managedCluster resource id"),
  identity: z.string().max(200).regex(/^[A-Za-z0-9-]+$/, "must be an identity key (object or client id)"),
  subscription: z.string().regex(/^[0-9a-fA-F-]{36}$/, "must be a subscription GUID"),
  overbroad: z.enum(["1", "0", "true", "false", "on"]),
  expand: z.enum(["all"]),
  to: z
    .string()
    .max(2000)
    .refine((v) => v.startsWith("/") && tryParseScope(v) !== undefined, "must be an ARM scope (/subscriptions/…, /providers/Microsoft.Management/managementGroups/…)"),
  from: nodeRef,
  select: nodeRef,
});

/** Parses the search params; a bad value is dropped (default used) and reported, never fatal. */
export function parseGraphQuery(params: Record<string, string | string[] | undefined>): { data: GraphQuery; errors: string[] } {
  const data: GraphQuery = { ...defaultGraphQuery };
  const errors: string[] = [];
  const take = <K extends keyof typeof schema.shape>(key: K, apply: (v: z.infer<(typeof schema.shape)[K]>) => void) => {
    const raw = one(params[key]);
    if (raw === undefined || raw === "") return;
    const r = schema.shape[key].safeParse(raw);
    if (r.success) apply(r.data as z.infer<(typeof schema.shape)[K]>);
    else errors.push(`"${key}" ${r.error.issues[0]?.message ?? "is not valid"}; ignored.`);
  };
  take("view", (v) => (data.view = v));
  take("cluster", (v) => (data.cluster = v));
  take("identity", (v) => (data.identity = v));
  take("subscription", (v) => (data.subscription = v.toLowerCase()));
  take("overbroad", (v) => (data.overBroad = v === "1" || v === "true" || v === "on"));
  take("expand", () => (data.expandAll = true));
  take("to", (v) => (data.to = v));
  take("from", (v) => (data.from = v));
  take("select", (v) => (data.select = v));
  if (data.from && !data.to) {
    errors.push('"from" asks for paths to a scope and needs "to"; ignored.');
    data.from = "";
  }
  // An identity picked while another view was chosen: the identity is what the person asked to see.
  if (data.view !== "identity" && data.identity) data.view = "identity";
  if (data.view === "identity" && !data.identity) {
    errors.push('The identity view needs an "identity"; showing the cluster view.');
    data.view = "cluster";
  }
  return { data, errors };
}

export function graphHref(query: GraphQuery, changes: Partial<GraphQuery> = {}): string {
  const q = { ...query, ...changes };
  const p = new URLSearchParams();
  if (q.view !== "cluster") p.set("view", q.view);
  if (q.view === "cluster" && q.cluster) p.set("cluster", q.cluster);
  if (q.view === "identity" && q.identity) p.set("identity", q.identity);
  if (q.subscription) p.set("subscription", q.subscription);
  if (q.overBroad) p.set("overbroad", "1");
  if (q.expandAll) p.set("expand", "all");
  if (q.to) p.set("to", q.to);
  if (q.to && q.from) p.set("from", q.from);
  if (q.select) p.set("select", q.select);
  const s = p.toString();
  return s ? `/graph?${s}` : "/graph";
}

/** "Open in graph" for a scope: who can reach it. */
export const reachHref = (scopeId: string) => graphHref(defaultGraphQuery, { to: scopeId });
/** "Open in graph" for an identity: its chain both ways. */
export const identityGraphHref = (identityKey: string) => graphHref(defaultGraphQuery, { view: "identity", identity: identityKey });
/** "Open in graph" for a grant: how a node (an identity's `identity:<key>`) reaches a scope. */
export const pathHref = (fromNodeId: string, scopeId: string) => graphHref(defaultGraphQuery, { to: scopeId, from: fromNodeId });
