import { z } from "zod";
import { isNodeKind } from "@/lib/model/graph-schema";
import { tryParseScope } from "@/lib/model/scope";
import { defaultGraphQuery, type GraphQuery } from "./links";

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
