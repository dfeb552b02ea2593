/**
 * What a renderer needs beyond the ids a fix step carries: names for kubectl contexts and
 * `az` flags, the names the step describer uses in comments, and the current state of objects
 * a plan deletes (Terraform can only destroy what it has adopted, and adopting needs the
 * object's attributes). Plain JSON so a server component can hand it to the client with the plan.
 */
import { buildNameLookups } from "@/lib/inventory/names";
import type { FixPlan, FixStep } from "@/lib/model/findings";
import { buildNameTable, emptyNameTable, lookupsFromTable, type NameLookups, type NameTable } from "@/lib/model/names";
import { normalizeId, parseScope, resourceGroupIdOf, roleDefinitionGuid, tryParseScope } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { describeStep } from "../describe";

export interface RenderCluster {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location?: string;
}

export interface RenderIdentity {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location?: string;
  clientId?: string;
  principalId?: string;
}

export interface RenderFederatedCredential {
  id: string;
  name: string;
  identityId: string;
  issuer: string;
  /** Absent on a flexible credential (claimsMatchingExpression). */
  subject?: string;
  audiences: string[];
}

export interface RenderRoleAssignment {
  id: string;
  scope: string;
  principalId: string;
  principalType: string;
  /** Role definition GUID. */
  roleDefinitionGuid: string;
  roleName?: string;
}

/** Everything keyed by `normalizeId` of the object's id (role names by role definition GUID). */
export interface RenderContext {
  clusters: Record<string, RenderCluster>;
  identities: Record<string, RenderIdentity>;
  federatedCredentials: Record<string, RenderFederatedCredential>;
  roleAssignments: Record<string, RenderRoleAssignment>;
  roleNames: Record<string, string>;
  /** Resource group locations; a subscription-scope deployment needs a location for its metadata. */
  resourceGroupLocations: Record<string, string>;
  /** Names of the principals, identities, clusters, roles and scopes the plan's steps mention, for the step descriptions. */
  names: NameTable;
}

export function emptyRenderContext(): RenderContext {
  return { clusters: {}, identities: {}, federatedCredentials: {}, roleAssignments: {}, roleNames: {}, resourceGroupLocations: {}, names: emptyNameTable() };
}

/** The step describer's name lookups over a render context. */
export function namesOf(ctx: RenderContext): NameLookups {
  return lookupsFromTable(ctx.names);
}

/** The step's sentence (lib/remediation/describe.ts), as every format's comment above its commands. */
export function stepSentence(step: FixStep, ctx: RenderContext): string {
  return describeStep(step, namesOf(ctx)).text;
}

/**
 * Builds the render context from a scan. With `plan`, only the objects the plan names are
 * kept, so the context stays small enough to ship to the browser with the plan.
 */
export function renderContextFor(inventory: Inventory, plan?: FixPlan): RenderContext {
  const ids = plan ? planIds(plan) : undefined;
  const wanted = ids ? idsNamedBy(ids) : undefined;
  const keep = (id: string) => !wanted || wanted.has(normalizeId(id));
  const ctx = emptyRenderContext();
  for (const c of inventory.clusters) {
    if (!keep(c.id)) continue;
    ctx.clusters[normalizeId(c.id)] = { id: c.id, name: c.name, resourceGroup: c.resourceGroup, subscriptionId: c.subscriptionId, location: c.location };
  }
  for (const u of inventory.userAssignedIdentities) {
    if (!keep(u.id)) continue;
    ctx.identities[normalizeId(u.id)] = {
      id: u.id,
      name: u.name,
      resourceGroup: u.resourceGroup,
      subscriptionId: u.subscriptionId,
      location: u.location,
      clientId: u.clientId,
      principalId: u.principalId,
    };
  }
  for (const f of inventory.federatedCredentials) {
    if (!keep(f.id)) continue;
    ctx.federatedCredentials[normalizeId(f.id)] = { id: f.id, name: f.name, identityId: f.identityId, issuer: f.issuer, subject: f.subject, audiences: [...f.audiences] };
  }
  for (const a of inventory.roleAssignments) {
    if (!keep(a.id)) continue;
    ctx.roleAssignments[normalizeId(a.id)] = {
      id: a.id,
      scope: a.scope,
      principalId: a.principalId,
      principalType: a.principalType,
      roleDefinitionGuid: roleDefinitionGuid(a.roleDefinitionName || a.roleDefinitionId),
      roleName: a.roleName,
    };
  }
  for (const r of inventory.roleDefinitions) {
    const guid = roleDefinitionGuid(r.name || r.id);
    if (wanted && !wanted.has(guid)) continue;
    ctx.roleNames[guid] = r.roleName;
  }
  for (const g of inventory.resourceGroups) {
    if (wanted && !wanted.has(normalizeId(g.id))) continue;
    ctx.resourceGroupLocations[normalizeId(g.id)] = g.location;
  }
  if (ids) ctx.names = buildNameTable(buildNameLookups(inventory), ids);
  return ctx;
}

interface PlanIds {
  principals: string[];
  identities: string[];
  clusters: string[];
  roles: string[];
  scopes: string[];
  /** Objects a step deletes: role assignments and federated credentials. */
  deleted: string[];
}

/** The ids a plan's steps mention, by what they are. */
function planIds(plan: FixPlan): PlanIds {
  const ids: PlanIds = { principals: [], identities: [], clusters: [], roles: [], scopes: [], deleted: [] };
  for (const s of plan.steps) {
    switch (s.kind) {
      case "create-role-assignment":
        ids.principals.push(s.principalId);
        ids.roles.push(s.roleDefinitionId, ...(s.alternatives?.roleDefinitionIds ?? []));
        ids.scopes.push(s.scope, ...(s.alternatives?.scopes ?? []));
        break;
      case "delete-role-assignment":
        ids.principals.push(s.principalId);
        ids.scopes.push(s.scope);
        ids.deleted.push(s.roleAssignmentId);
        break;
      case "create-federated-credential":
        ids.identities.push(s.identityId);
        break;
      case "delete-federated-credential":
        ids.identities.push(federatedCredentialParent(s.federatedCredentialId) ?? s.federatedCredentialId);
        ids.deleted.push(s.federatedCredentialId);
        break;
      case "delete-managed-identity":
        ids.identities.push(s.identityId);
        break;
      case "create-managed-identity":
        ids.scopes.push(s.resourceGroupId);
        break;
      case "kubernetes-apply":
      case "kubernetes-delete":
        ids.clusters.push(s.clusterId);
        break;
      case "create-app-federated-credential":
      case "delete-app-federated-credential":
      case "az-command":
      case "manual":
        break;
    }
  }
  return ids;
}

/** Every id a renderer looks up for the plan, normalised, with the resource group of each (role names by GUID). */
function idsNamedBy(ids: PlanIds): Set<string> {
  const out = new Set<string>(ids.roles.map(roleDefinitionGuid));
  for (const id of [...ids.identities, ...ids.clusters, ...ids.scopes, ...ids.deleted]) {
    out.add(normalizeId(id));
    const rg = resourceGroupIdOf(id);
    if (rg) out.add(normalizeId(rg));
  }
  return out;
}

/** `<identity id>/federatedIdentityCredentials/<name>` → the identity id. */
export function federatedCredentialParent(federatedCredentialId: string): string | undefined {
  const m = /^(.*\/userAssignedIdentities\/[^/]+)\/federatedIdentityCredentials\/[^/]+$/is.exec(federatedCredentialId);
  return m?.[1];
}

export function clusterOf(ctx: RenderContext, clusterId: string): RenderCluster {
  const known = ctx.clusters[normalizeId(clusterId)];
  if (known) return known;
  const p = parseScope(clusterId);
  return { id: clusterId, name: p.resourceName ?? clusterId, resourceGroup: p.resourceGroup ?? "", subscriptionId: p.subscriptionId ?? "" };
}

/** An identity by resource id: from the scan when it exists, else its parts from the id (a new identity). */
export function identityOf(ctx: RenderContext, identityId: string): RenderIdentity {
  const known = ctx.identities[normalizeId(identityId)];
  if (known) return known;
  const p = parseScope(identityId);
  return { id: identityId, name: p.resourceName ?? identityId, resourceGroup: p.resourceGroup ?? "", subscriptionId: p.subscriptionId ?? "" };
}

/** Location of the resource group an id lives in, when the scan saw it. */
export function locationOf(ctx: RenderContext, id: string): string | undefined {
  const rg = resourceGroupIdOf(id);
  return rg ? ctx.resourceGroupLocations[normalizeId(rg)] : undefined;
}

export function scopeSubscription(scope: string): string | undefined {
  return tryParseScope(scope)?.subscriptionId;
}
