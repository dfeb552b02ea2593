import { normalizeId, subscriptionOf } from "@/lib/model/scope";
import { builtinCatalog, catalogRoleToWire } from "@/lib/roles/builtin-catalog";
import type { ArmWireObject } from "@/lib/tenant/types";
import { armError, queryParam, sendJson, type RequestContext } from "../http";
import { requireGet, sendArmList, type ArmDeps } from "./common";

const builtinByGuid = new Map(builtinCatalog.map((r) => [r.name.toLowerCase(), r]));

interface AssignmentFilter {
  atScope: boolean;
  principalId?: string;
}

/**
 * The role assignment `$filter`s ARM supports: `atScope()`, `principalId eq '{id}'`,
 * `assignedTo('{id}')` (group membership is not expanded here) and `atScope() and ...`.
 */
function parseAssignmentFilter(filter: string | undefined): AssignmentFilter {
  const out: AssignmentFilter = { atScope: false };
  if (!filter || !filter.trim()) return out;
  for (const part of filter.split(/\s+and\s+/i)) {
    const p = part.trim();
    let m: RegExpExecArray | null;
    if (/^atScope\(\)$/i.test(p)) out.atScope = true;
    else if ((m = /^principalId\s+eq\s+'\{?([^'{}]+)\}?'$/i.exec(p)) || (m = /^assignedTo\('\{?([^'{}]+)\}?'\)$/i.exec(p))) {
      if (out.principalId !== undefined) throw unsupportedFilter(filter);
      out.principalId = m[1]!.toLowerCase();
    } else throw unsupportedFilter(filter);
  }
  return out;
}

function unsupportedFilter(filter: string) {
  return armError(
    400,
    "UnsupportedQuery",
    `The filter '${filter}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}' or assignedTo('{value}')'.`,
  );
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
  const items = store.roleAssignments.filter((a) => {
    const props = a.properties as { scope: string; principalId: string };
    if (filter.principalId && props.principalId.toLowerCase() !== filter.principalId) return false;
    const s = normalizeId(props.scope);
    if (s === target || above.has(s)) return true;
    return !filter.atScope && store.ancestors(s).has(target);
  });
  sendArmList(ctx, items, deps.pageSize);
}

export function getRoleAssignment(ctx: RequestContext, deps: ArmDeps, scope: string, name: string): void {
  requireGet(ctx);
  ctx.count("arm:roleAssignments");
  const a = deps.store.roleAssignments.find(
    (x) => String(x.name).toLowerCase() === name.toLowerCase() && normalizeId((x.properties as { scope: string }).scope) === normalizeId(scope),
  );
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

/** A custom role is listed at a scope one of its assignableScopes covers (the scope or an ancestor). */
function assignableAt(deps: ArmDeps, d: ArmWireObject, scope: string): boolean {
  const scopes = ((d.properties as { assignableScopes?: string[] }).assignableScopes ?? []).map(normalizeId);
  const target = normalizeId(scope);
  const above = deps.store.ancestors(target);
  return scopes.some((s) => s === target || above.has(s));
}

interface DefinitionFilter {
  roleName?: string;
  type?: string;
}

function parseDefinitionFilter(filter: string | undefined): DefinitionFilter {
  const out: DefinitionFilter = {};
  if (!filter || !filter.trim()) return out;
  for (const part of filter.split(/\s+and\s+/i)) {
    const m = /^\s*(roleName|type)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(part);
    if (!m) {
      throw armError(400, "UnsupportedQuery", `The filter '${filter}' is not supported. Supported filters are 'roleName eq '{value}'' and 'type eq 'BuiltInRole|CustomRole''.`);
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
  const custom = (deps.store.tenant.roleDefinitions ?? []).filter((d) => assignableAt(deps, d, scope)).map((d) => customToWire(d, prefix));
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
