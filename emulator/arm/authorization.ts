import { normalizeId, subscriptionOf } from "@/lib/model/scope";
import { builtinCatalog, catalogRoleToWire } from "@/lib/roles/builtin-catalog";
import type { ArmWireObject } from "@/lib/model/wire";
import { armError, queryParam, sendJson, type RequestContext } from "../http";
import { requireGet, sendArmList, type ArmDeps } from "./common";

const builtinByGuid = new Map(builtinCatalog.map((r) => [r.name.toLowerCase(), r]));

interface AssignmentFilter {
  atScope: boolean;
  /** `principalId eq`: assignments of exactly this principal. */
  principalId?: string;
  /** `assignedTo()`: assignments of this user or service principal and of the groups it is in. */
  assignedTo?: string;
}

const AT_SCOPE = /^atScope\(\)$/i;
const PRINCIPAL_EQ = /^principalId\s+eq\s+'\{?([^'{}]+)\}?'$/i;
const ASSIGNED_TO = /^assignedTo\('\{?([^'{}]+)\}?'\)$/i;

/**
 * The role assignment `$filter`s ARM accepts (Microsoft.Authorization 2022-04-01, "List Azure
 * role assignments using the REST API"): `atScope()`, `principalId eq '{id}'`,
 * `assignedTo('{id}')` and `atScope() and assignedTo('{id}')`. Anything else is refused with
 * 400 UnsupportedQuery, `atScope() and principalId eq '{id}'` included: ARM does not combine
 * atScope() with principalId (Azure PowerShell works around it, Azure/azure-powershell#20433).
 */
function parseAssignmentFilter(filter: string | undefined): AssignmentFilter {
  if (!filter || !filter.trim()) return { atScope: false };
  const parts = filter.split(/\s+and\s+/i).map((p) => p.trim());
  let m: RegExpExecArray | null;
  if (parts.length === 1) {
    const [only] = parts as [string];
    if (AT_SCOPE.test(only)) return { atScope: true };
    if ((m = PRINCIPAL_EQ.exec(only))) return { atScope: false, principalId: m[1]!.toLowerCase() };
    if ((m = ASSIGNED_TO.exec(only))) return { atScope: false, assignedTo: m[1]!.toLowerCase() };
  }
  if (parts.length === 2 && AT_SCOPE.test(parts[0]!) && (m = ASSIGNED_TO.exec(parts[1]!))) return { atScope: true, assignedTo: m[1]!.toLowerCase() };
  throw unsupportedFilter(filter);
}

function unsupportedFilter(filter: string) {
  return armError(
    400,
    "UnsupportedQuery",
    `The filter '${filter}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}' or assignedTo('{value}')'.`,
  );
}

/** The principals `assignedTo(id)` covers: the principal and the groups the tenant file says it is in. */
function assignedToPrincipals(deps: ArmDeps, id: string): Set<string> {
  const user = (deps.store.tenant.users ?? []).find((u) => u.id.toLowerCase() === id);
  return new Set([id, ...(user?.memberOf ?? []).map((g) => g.toLowerCase())]);
}

/**
 * `GET {scope}/providers/Microsoft.Authorization/roleAssignments`: assignments at the scope, above it
 * (they apply to it) and, without atScope(), below it; as ARM documents for every scope level.
 */
export function listRoleAssignments(ctx: RequestContext, deps: ArmDeps, scope: string): void {
  requireGet(ctx);
  ctx.count("arm:roleAssignments");
  const filter = parseAssignmentFilter(queryParam(ctx.url, "$filter"));
  const store = deps.store;
  const target = normalizeId(scope);
  const above = store.ancestors(target);
  const principals = filter.assignedTo ? assignedToPrincipals(deps, filter.assignedTo) : filter.principalId ? new Set([filter.principalId]) : undefined;
  const items = store.roleAssignments.filter((a) => {
    const props = a.properties as { scope: string; principalId: string };
    if (principals && !principals.has(props.principalId.toLowerCase())) return false;
    const s = normalizeId(props.scope);
    if (s === target || above.has(s)) return true;
    return !filter.atScope && store.ancestors(s).has(target);
  });
  sendArmList(ctx, items, deps.pageSize);
}

export function getRoleAssignment(ctx: RequestContext, deps: ArmDeps, scope: string, name: string): void {
  requireGet(ctx);
  ctx.count("arm:roleAssignments");
  const a = findAssignment(deps, scope, name);
  if (!a) throw armError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`);
  sendJson(ctx.res, 200, a);
}

/** ARM shows role definition ids under the subscription they were listed from, or at the root. */
function prefixFor(scope: string): string {
  const sub = subscriptionOf(scope);
  return sub ? `/subscriptions/${sub}` : "";
}

function customToWire(d: ArmWireObject, prefix: string): ArmWireObject {
  return { ...d, id: `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${d.name}` };
}

/**
 * A custom role is assignable at a scope one of its assignableScopes covers (the scope or an
 * ancestor). ARM lists role definitions "applicable at scope and above", so a role assignable
 * only at resource groups is not listed at their subscription unless `atScopeAndBelow()` asks
 * for the scopes below too.
 */
function assignableAt(deps: ArmDeps, d: ArmWireObject, scope: string, orBelow = false): boolean {
  const scopes = ((d.properties as { assignableScopes?: string[] }).assignableScopes ?? []).map(normalizeId);
  const target = normalizeId(scope);
  const above = deps.store.ancestors(target);
  return scopes.some((s) => s === target || above.has(s) || (orBelow && deps.store.ancestors(s).has(target)));
}

interface DefinitionFilter {
  roleName?: string;
  type?: string;
  atScopeAndBelow?: boolean;
}

const definitionFilterHelp = "Supported filters are 'roleName eq '{value}'', 'type eq 'BuiltInRole|CustomRole'' and 'atScopeAndBelow()'.";

function parseDefinitionFilter(filter: string | undefined): DefinitionFilter {
  const out: DefinitionFilter = {};
  if (!filter || !filter.trim()) return out;
  // atScopeAndBelow() stands alone (as Azure PowerShell's -AtScopeAndBelow sends it).
  if (/^\s*atScopeAndBelow\(\)\s*$/i.test(filter)) return { atScopeAndBelow: true };
  for (const part of filter.split(/\s+and\s+/i)) {
    const m = /^\s*(roleName|type)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(part);
    if (!m) {
      throw armError(400, "UnsupportedQuery", `The filter '${filter}' is not supported. ${definitionFilterHelp}`);
    }
    const value = m[2]!.replace(/''/g, "'");
    if (m[1]!.toLowerCase() === "rolename") out.roleName = value;
    else out.type = value;
  }
  return out;
}

export function listRoleDefinitions(ctx: RequestContext, deps: ArmDeps, scope: string): void {
  requireGet(ctx);
  ctx.count("arm:roleDefinitions");
  const filter = parseDefinitionFilter(queryParam(ctx.url, "$filter"));
  const prefix = prefixFor(scope);
  const custom = (deps.store.tenant.roleDefinitions ?? []).filter((d) => assignableAt(deps, d, scope, filter.atScopeAndBelow)).map((d) => customToWire(d, prefix));
  const all = [...builtinCatalog.map((r) => catalogRoleToWire(r, prefix)), ...custom];
  const items = all.filter((d) => {
    const p = d.properties as { roleName?: string; type?: string };
    if (filter.roleName !== undefined && (p.roleName ?? "").toLowerCase() !== filter.roleName.toLowerCase()) return false;
    if (filter.type !== undefined && (p.type ?? "").toLowerCase() !== filter.type.toLowerCase()) return false;
    return true;
  });
  sendArmList(ctx, items, deps.pageSize);
}

export function getRoleDefinition(ctx: RequestContext, deps: ArmDeps, scope: string, guid: string): void {
  requireGet(ctx);
  ctx.count("arm:roleDefinitions");
  const key = guid.toLowerCase();
  const prefix = prefixFor(scope);
  const builtin = builtinByGuid.get(key);
  if (builtin) return sendJson(ctx.res, 200, catalogRoleToWire(builtin, prefix));
  const custom = deps.store.customRoles.get(key);
  if (custom) return sendJson(ctx.res, 200, customToWire(custom, prefix));
  throw armError(404, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${guid}' does not exist.`);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function findAssignment(deps: ArmDeps, scope: string, name: string): ArmWireObject | undefined {
  return deps.store.roleAssignments.find(
    (x) => String(x.name).toLowerCase() === name.toLowerCase() && normalizeId((x.properties as { scope: string }).scope) === normalizeId(scope),
  );
}

/**
 * `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}` (2022-04-01): creates the
 * assignment; an existing one cannot be changed, and the same role for the same principal at the
 * same scope under another name is a conflict, as in ARM.
 */
export async function putRoleAssignment(ctx: RequestContext, deps: ArmDeps, scope: string, name: string): Promise<void> {
  ctx.count("arm:roleAssignments");
  deps.writes.begin(ctx, { api: "arm", action: "Microsoft.Authorization/roleAssignments/write", scope });
  if (!GUID.test(name)) throw armError(400, "InvalidRoleAssignmentId", `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
  let body: { properties?: Record<string, unknown> };
  try {
    body = JSON.parse(await ctx.readBody()) as typeof body;
  } catch {
    throw armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
  const p = body.properties ?? {};
  const roleDefinitionId = p.roleDefinitionId;
  const principalId = p.principalId;
  if (typeof roleDefinitionId !== "string" || !roleDefinitionId.startsWith("/")) {
    throw armError(400, "InvalidRoleDefinitionId", "The role definition ID is missing or not valid: properties.roleDefinitionId must be a role definition resource id.");
  }
  if (typeof principalId !== "string" || !GUID.test(principalId)) {
    throw armError(400, "InvalidPrincipalId", "A valid principal ID must be provided in properties.principalId.");
  }
  const roleGuid = roleDefinitionId.split("/").pop()!.toLowerCase();
  const custom = deps.store.customRoles.get(roleGuid);
  if (!builtinByGuid.has(roleGuid) && !custom) {
    throw armError(400, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${roleGuid}' does not exist.`);
  }
  if (custom && !assignableAt(deps, custom, scope)) {
    throw armError(403, "AuthorizationFailed", `The role definition '${roleGuid}' is not assignable at scope '${scope}'.`);
  }
  // The tenant file's sign-in users are directory users too: they can be granted roles.
  const user = (deps.store.tenant.users ?? []).find((u) => u.id.toLowerCase() === principalId.toLowerCase());
  const principal = deps.store.principals.get(principalId.toLowerCase()) ?? (user ? { id: user.id, "@odata.type": "#microsoft.graph.user" } : undefined);
  if (!principal) {
    throw armError(400, "PrincipalNotFound", `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${deps.store.tenant.tenantId}. Check that you have the correct principal ID.`);
  }
  const existing = findAssignment(deps, scope, name);
  const same = (a: ArmWireObject) => {
    const ap = a.properties as { roleDefinitionId: string; principalId: string; scope: string };
    return ap.roleDefinitionId.split("/").pop()!.toLowerCase() === roleGuid && ap.principalId.toLowerCase() === principalId.toLowerCase() && normalizeId(ap.scope) === normalizeId(scope);
  };
  if (existing) {
    if (!same(existing)) throw armError(409, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
    return sendJson(ctx.res, 201, existing);
  }
  if (deps.store.roleAssignments.some(same)) throw armError(409, "RoleAssignmentExists", "The role assignment already exists.");
  const odataType = String(principal["@odata.type"] ?? "#microsoft.graph.servicePrincipal");
  const principalType = typeof p.principalType === "string" ? p.principalType : odataType.endsWith("group") ? "Group" : odataType.endsWith("user") ? "User" : "ServicePrincipal";
  const now = new Date().toISOString();
  const created: ArmWireObject = {
    id: `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: `${prefixFor(scope)}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType,
      scope,
      condition: p.condition ?? null,
      conditionVersion: p.conditionVersion ?? null,
      description: p.description ?? null,
      delegatedManagedIdentityResourceId: p.delegatedManagedIdentityResourceId ?? null,
      createdOn: now,
      updatedOn: now,
      createdBy: ctx.claims?.oid ?? null,
      updatedBy: ctx.claims?.oid ?? null,
    },
  };
  deps.store.roleAssignments.push(created);
  sendJson(ctx.res, 201, created);
}

/** `DELETE …/roleAssignments/{name}`: 200 with the deleted assignment, 204 when there was none. */
export function deleteRoleAssignment(ctx: RequestContext, deps: ArmDeps, scope: string, name: string): void {
  ctx.count("arm:roleAssignments");
  deps.writes.begin(ctx, { api: "arm", action: "Microsoft.Authorization/roleAssignments/delete", scope });
  const existing = findAssignment(deps, scope, name);
  if (!existing) {
    ctx.res.writeHead(204).end();
    return;
  }
  deps.store.roleAssignments.splice(deps.store.roleAssignments.indexOf(existing), 1);
  sendJson(ctx.res, 200, existing);
}
