import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import { toSourceError, WireListError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, type ArmWireObject } from "@/lib/model/wire";

/**
 * What one path (a subscription read over ARM, or all subscriptions through Resource Graph)
 * brought back, still in wire shapes.
 */
export interface SubscriptionRead {
  resourceGroups: ArmWireObject[];
  genericResources: ArmWireObject[];
  fullResources: ArmWireObject[];
  clusters: ArmWireObject[];
  identities: ArmWireObject[];
  federatedCredentials: ArmWireObject[];
  roleDefinitions: ArmWireObject[];
  roleAssignments: ArmWireObject[];
  /** Cluster extensions (extension resources of the clusters). */
  extensions: ArmWireObject[];
}

/**
 * Runs one list read; a failure is recorded in `errors` and the pages read before it
 * (WireListError.partial) are kept.
 */
export async function attempt<T>(errors: SourceError[], source: string, scope: string, read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    errors.push(toSourceError(error, { source, scope }));
    return error instanceof WireListError ? (error.partial as T[]) : [];
  }
}

/** Wire objects keyed by case-insensitive ARM id, in first-seen order. */
class WireIndex {
  private readonly map = new Map<string, ArmWireObject>();
  add(object: ArmWireObject, replace = false): void {
    if (typeof object.id !== "string") return;
    const key = normalizeId(object.id);
    if (replace || !this.map.has(key)) this.map.set(key, object);
  }
  values(): ArmWireObject[] {
    return [...this.map.values()];
  }
}

export interface MergedReads {
  resourceGroups: ArmWireObject[];
  resources: ArmWireObject[];
  clusters: ArmWireObject[];
  roleDefinitions: ArmWireObject[];
  roleAssignments: ArmWireObject[];
  federatedCredentials: ArmWireObject[];
}

/**
 * One copy of each object across the reads: a full GET body replaces a generic-list item of
 * the same resource; inherited management-group and root assignments, which appear in every
 * subscription's list, are kept once; a role definition is keyed by its GUID.
 */
export function mergeReads(reads: SubscriptionRead[]): MergedReads {
  const resources = new WireIndex();
  const roleDefinitions = new Map<string, ArmWireObject>();
  const roleAssignments = new WireIndex();
  const fics = new WireIndex();
  const resourceGroups = new WireIndex();
  const clusters = new WireIndex();
  for (const sub of reads) {
    for (const rg of sub.resourceGroups) resourceGroups.add(rg);
    for (const r of sub.genericResources) resources.add(r);
    for (const r of [...sub.clusters, ...sub.identities, ...sub.fullResources, ...sub.extensions]) resources.add(r, true);
    for (const c of sub.clusters) clusters.add(c);
    for (const d of sub.roleDefinitions) {
      const key = roleDefinitionGuid(String(d.name ?? d.id));
      if (!roleDefinitions.has(key)) roleDefinitions.set(key, d);
    }
    for (const a of sub.roleAssignments) roleAssignments.add(a);
    for (const f of sub.federatedCredentials) fics.add(f);
  }
  return {
    resourceGroups: resourceGroups.values(),
    resources: resources.values(),
    clusters: clusters.values(),
    roleDefinitions: [...roleDefinitions.values()],
    roleAssignments: roleAssignments.values(),
    federatedCredentials: fics.values(),
  };
}

/** A role definition as ARM lists it (`properties.type`): built-in roles come from Azure, not the tenant. */
export function isBuiltInRoleDefinition(definition: ArmWireObject): boolean {
  return at(definition, "properties.type") === "BuiltInRole";
}
