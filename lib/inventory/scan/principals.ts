import type { AzureClients } from "@/lib/azure/clients";
import { listPrincipalsByIds } from "@/lib/azure/principals";
import { toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, isRecord, type RawCollection, type WireObject } from "@/lib/model/wire";
import type { ScanProgressSink } from "./progress";

/**
 * Every principal object id the inventory refers to: role assignment principals, managed
 * identity principals, cluster control-plane / kubelet / add-on identities and any
 * resource's system-assigned identity.
 */
export function principalIdsOf(raw: Pick<RawCollection, "roleAssignments" | "resources">): string[] {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string" && value !== "") ids.add(value.toLowerCase());
  };
  const eachValue = (value: unknown, path: string) => {
    if (isRecord(value)) for (const v of Object.values(value)) add(at(v, path));
  };
  for (const a of raw.roleAssignments) add(at(a, "properties.principalId"));
  for (const r of raw.resources) {
    add(at(r, "identity.principalId"));
    eachValue(at(r, "identity.userAssignedIdentities"), "principalId");
    add(at(r, "properties.principalId"));
    eachValue(at(r, "properties.identityProfile"), "objectId");
    eachValue(at(r, "properties.addonProfiles"), "identity.objectId");
    add(at(r, "properties.ingressProfile.webAppRouting.identity.objectId"));
    // A cluster extension's identity (AKS creates it for the extension).
    add(at(r, "properties.aksAssignedIdentity.principalId"));
  }
  return [...ids].sort();
}

export async function readPrincipals(clients: AzureClients, ids: string[], errors: SourceError[], report: ScanProgressSink = () => undefined): Promise<WireObject[] | null> {
  if (ids.length === 0) return [];
  try {
    return await listPrincipalsByIds(clients, ids, (b) => report({ kind: "graph-batch", ...b }));
  } catch (error) {
    // Unknown is not deleted: null tells the builder not to call these principals orphaned.
    errors.push(toSourceError(error, { source: "graph:principals", scope: "directoryObjects/getByIds" }));
    return null;
  }
}
