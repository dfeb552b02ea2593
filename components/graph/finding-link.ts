import { nodeId } from "@/lib/graph/node-id";
import { defaultGraphQuery, graphHref, identityGraphHref, pathHref } from "./links";

/** "Open in graph" for a finding: how its identity reaches its scope, else the identity's or the cluster's view. */
export function findingGraphHref(f: { identityKey?: string; scope?: string; clusterId?: string }): string {
  if (f.identityKey && f.scope) return pathHref(nodeId("identity", f.identityKey), f.scope);
  if (f.identityKey) return identityGraphHref(f.identityKey);
  return f.clusterId ? graphHref(defaultGraphQuery, { cluster: f.clusterId }) : "/graph";
}
