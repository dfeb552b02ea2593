import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";
import { armError, queryParam, sendJson, type RequestContext } from "../http";
import { readableScopes } from "../access";
import type { TenantStore } from "../store";
import { pageSizeFor, requireGet, resourceNotFound, sendArmList, type ArmDeps } from "./common";

/** Fields ARM's generic resource list returns; `properties` is left out, as real ARM does. */
const GENERIC_FIELDS = ["id", "name", "type", "kind", "location", "extendedLocation", "managedBy", "sku", "plan", "identity", "zones", "tags", "systemData"];

export function genericListItem(r: ArmWireObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of GENERIC_FIELDS) if (r[k] !== undefined) out[k] = r[k];
  return out;
}

function subscriptionBody(s: ArmWireObject & { subscriptionId: string }, tenantId: string): Record<string, unknown> {
  const { managementGroupId: _mg, ...rest } = s as Record<string, unknown>;
  return {
    authorizationSource: "RoleBased",
    state: "Enabled",
    tenantId,
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
    managedByTenants: [],
    ...rest,
  };
}

export function listSubscriptions(ctx: RequestContext, deps: ArmDeps): void {
  requireGet(ctx);
  ctx.count("arm:subscriptions");
  const t = deps.store.tenant;
  // ARM lists only the subscriptions the caller holds a role on (at or above them).
  const can = readableScopes(ctx, deps.store, "Microsoft.Resources/subscriptions/read");
  sendArmList(ctx, t.subscriptions.filter((s) => !can || can(s.id)).map((s) => subscriptionBody(s as ArmWireObject & { subscriptionId: string }, t.tenantId)), deps.pageSize);
}

export function getSubscription(ctx: RequestContext, deps: ArmDeps, s: ArmWireObject & { subscriptionId: string }): void {
  requireGet(ctx);
  ctx.count("arm:subscriptions");
  sendJson(ctx.res, 200, subscriptionBody(s, deps.store.tenant.tenantId));
}

export function listTenants(ctx: RequestContext, deps: ArmDeps): void {
  requireGet(ctx);
  ctx.count("arm:tenants");
  const t = deps.store.tenant.tenantId;
  sendArmList(ctx, [{ id: `/tenants/${t}`, tenantId: t, tenantCategory: "Home", displayName: "Scopewise emulator", defaultDomain: "scopewise.onmicrosoft.com" }], deps.pageSize);
}

export function listManagementGroups(ctx: RequestContext, deps: ArmDeps, name?: string): void {
  requireGet(ctx);
  ctx.count("arm:managementGroups");
  const mgs = deps.store.tenant.managementGroups ?? [];
  if (name === undefined) {
    const can = readableScopes(ctx, deps.store, "Microsoft.Management/managementGroups/read");
    sendArmList(
      ctx,
      mgs.filter((m) => !can || can(m.id)).map((m) => ({ id: m.id, type: m.type ?? "Microsoft.Management/managementGroups", name: m.name, properties: { tenantId: deps.store.tenant.tenantId, displayName: (m.properties as { displayName?: string } | undefined)?.displayName ?? m.name } })),
      deps.pageSize,
    );
    return;
  }
  const mg = deps.store.managementGroups.get(normalizeId(`/providers/Microsoft.Management/managementGroups/${name}`));
  if (!mg) throw armError(404, "NotFound", `'${name}' not found`);
  const expand = (queryParam(ctx.url, "$expand") ?? "").toLowerCase().split(",").map((s) => s.trim());
  if (!expand.includes("children")) {
    sendJson(ctx.res, 200, mg);
    return;
  }
  // `$expand=children` lists direct children as ARM does: child groups and subscriptions
  // (type "/subscriptions"), which is how a reader learns each subscription's parent.
  const self = normalizeId(mg.id);
  const childGroups = mgs
    .filter((m) => {
      const parent = (m.properties as { details?: { parent?: { id?: string | null } } } | undefined)?.details?.parent?.id;
      return !!parent && normalizeId(parent) === self;
    })
    .map((m) => ({
      type: "Microsoft.Management/managementGroups",
      id: m.id,
      name: m.name,
      displayName: (m.properties as { displayName?: string } | undefined)?.displayName ?? m.name,
    }));
  const childSubscriptions = deps.store.tenant.subscriptions
    .filter((sub) => typeof sub.managementGroupId === "string" && normalizeId(mgIdOf(sub.managementGroupId)) === self)
    .map((sub) => ({ type: "/subscriptions", id: `/subscriptions/${sub.subscriptionId}`, name: sub.subscriptionId, displayName: sub.displayName }));
  const properties = { ...((mg.properties as Record<string, unknown> | undefined) ?? {}), children: [...childGroups, ...childSubscriptions] };
  sendJson(ctx.res, 200, { ...mg, properties });
}

export function listResourceGroups(ctx: RequestContext, deps: ArmDeps, subscriptionId: string): void {
  requireGet(ctx);
  ctx.count("arm:resourceGroups");
  const prefix = normalizeId(`/subscriptions/${subscriptionId}`) + "/";
  const rgs = deps.store.tenant.resourceGroups.filter((rg) => normalizeId(rg.id).startsWith(prefix));
  sendArmList(ctx, applyFilter(ctx, rgs).map((rg) => rg), pageSizeFor(ctx, deps.pageSize));
}

export function getResourceGroup(ctx: RequestContext, rg: ArmWireObject): void {
  requireGet(ctx);
  ctx.count("arm:resourceGroups");
  sendJson(ctx.res, 200, rg);
}

type Clause = { field: string; value: string };

/**
 * The subset of ARM's resources `$filter` that inventory tools use: `resourceType eq`, `name eq`,
 * `location eq`, `tagName eq` / `tagValue eq`, combined with `and` / `or` (and binds tighter).
 */
function parseResourceFilter(filter: string): Clause[][] {
  const disjuncts = filter.split(/\s+or\s+/i).map((d) =>
    d.split(/\s+and\s+/i).map((c) => {
      const m = /^\s*\(?\s*(resourceType|name|location|tagName|tagValue|resourceGroup)\s+eq\s+'((?:[^']|'')*)'\s*\)?\s*$/i.exec(c);
      if (!m) throw armError(400, "InvalidFilterInQueryString", `Invalid $filter '${filter}' specified in the query string. Unsupported expression '${c.trim()}'.`);
      return { field: m[1]!.toLowerCase(), value: m[2]!.replace(/''/g, "'") };
    }),
  );
  return disjuncts;
}

function matches(r: ArmWireObject, c: Clause[]): boolean {
  const tags = (r.tags ?? {}) as Record<string, string>;
  const tagName = c.find((x) => x.field === "tagname")?.value;
  return c.every((x) => {
    switch (x.field) {
      case "resourcetype":
        return String(r.type ?? "").toLowerCase() === x.value.toLowerCase();
      case "name":
        return String(r.name ?? "").toLowerCase() === x.value.toLowerCase();
      case "location":
        return String(r.location ?? "").toLowerCase() === x.value.toLowerCase();
      case "resourcegroup":
        return (/\/resourceGroups\/([^/]+)/i.exec(r.id)?.[1] ?? "").toLowerCase() === x.value.toLowerCase();
      case "tagname":
        return Object.keys(tags).some((k) => k.toLowerCase() === x.value.toLowerCase());
      case "tagvalue":
        return tagName !== undefined && Object.entries(tags).some(([k, v]) => k.toLowerCase() === tagName.toLowerCase() && v === x.value);
      default:
        return false;
    }
  });
}

function applyFilter(ctx: RequestContext, items: ArmWireObject[]): ArmWireObject[] {
  const filter = queryParam(ctx.url, "$filter");
  if (!filter || !filter.trim()) return items;
  const clauses = parseResourceFilter(filter);
  return items.filter((r) => clauses.some((c) => matches(r, c)));
}

/**
 * True for an extension resource (`<resource id>/providers/<ns>/<type>/<name>`, such as a cluster
 * extension): ARM's resource lists and Resource Graph's `resources` table leave those out.
 */
export function isExtensionResource(id: string): boolean {
  return /\/providers\/.+\/providers\//i.test(id);
}

function resourcesUnder(store: TenantStore, prefixId: string): ArmWireObject[] {
  const prefix = normalizeId(prefixId) + "/";
  return store.tenant.resources.filter((r) => normalizeId(r.id).startsWith(prefix) && !isExtensionResource(r.id));
}

/** `GET /subscriptions/{s}[/resourceGroups/{rg}]/resources`: the generic list (no properties). */
export function listGenericResources(ctx: RequestContext, deps: ArmDeps, scopeId: string): void {
  requireGet(ctx);
  ctx.count("arm:resources");
  const items = applyFilter(ctx, resourcesUnder(deps.store, scopeId)).map(genericListItem);
  sendArmList(ctx, items, pageSizeFor(ctx, deps.pageSize));
}

/** A typed list (`.../providers/{namespace}/{type}`) returns full objects, properties included. */
export function listByType(ctx: RequestContext, deps: ArmDeps, scopeId: string, type: string): void {
  requireGet(ctx);
  ctx.count(familyForType(type));
  const t = type.toLowerCase();
  const items = resourcesUnder(deps.store, scopeId).filter((r) => String(r.type ?? "").toLowerCase() === t && r.id.split("/").length === 9);
  sendArmList(ctx, items, deps.pageSize);
}

export function familyForType(type: string): string {
  const t = type.toLowerCase();
  if (t === "microsoft.containerservice/managedclusters") return "arm:managedClusters";
  if (t === "microsoft.managedidentity/userassignedidentities") return "arm:userAssignedIdentities";
  if (t === "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials") return "arm:federatedIdentityCredentials";
  return "arm:resources";
}

/** Child resources held inline by their parent (a virtual network's `properties.subnets`). */
function inlineChildren(parent: ArmWireObject | undefined, childType: string): ArmWireObject[] | undefined {
  if (!parent?.properties) return undefined;
  const key = Object.keys(parent.properties).find((k) => k.toLowerCase() === childType.toLowerCase());
  const v = key ? parent.properties[key] : undefined;
  return Array.isArray(v) ? (v as ArmWireObject[]) : undefined;
}

/**
 * Everything at or below `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}`:
 * the resource itself, federated credentials of identities, inline child resources.
 */
export function serveResourcePath(ctx: RequestContext, deps: ArmDeps, rgName: string): void {
  requireGet(ctx);
  const segs = ctx.segments;
  const path = "/" + segs.join("/");
  const tail = segs.slice(6); // type/name pairs after providers/{ns}
  const ns = segs[5]!;
  const typePath = [ns, ...tail.filter((_, i) => i % 2 === 0)].join("/");
  ctx.count(familyForType(typePath));

  if (tail.length % 2 === 0) {
    const found = deps.store.resources.get(normalizeId(path));
    if (found) return sendJson(ctx.res, 200, found);
    if (tail.length >= 4) {
      const parentId = "/" + segs.slice(0, -2).join("/");
      const childType = segs[segs.length - 2]!;
      const name = segs[segs.length - 1]!;
      const fic = (deps.store.federatedCredentials.get(normalizeId(parentId)) ?? []).find((f) => normalizeId(f.id) === normalizeId(path));
      if (fic) return sendJson(ctx.res, 200, fic);
      const child = inlineChildren(deps.store.resources.get(normalizeId(parentId)), childType)?.find((c) => String(c.name ?? "").toLowerCase() === name.toLowerCase());
      if (child) return sendJson(ctx.res, 200, child);
      if (!deps.store.resources.has(normalizeId(parentId))) {
        throw resourceNotFound(`${ns}/${tail.slice(0, -2).filter((_, i) => i % 2 === 0).join("/")}`, tail[tail.length - 3]!, rgName);
      }
    }
    throw resourceNotFound(typePath, tail[tail.length - 1]!, rgName);
  }
  // A child collection: `{parent}/{childType}`.
  const parentId = "/" + segs.slice(0, -1).join("/");
  const parent = deps.store.resources.get(normalizeId(parentId));
  if (!parent) throw resourceNotFound(typePath.split("/").slice(0, -1).join("/"), tail[tail.length - 2]!, rgName);
  const childType = segs[segs.length - 1]!.toLowerCase();
  if (String(parent.type ?? "").toLowerCase() === "microsoft.managedidentity/userassignedidentities" && childType === "federatedidentitycredentials") {
    return sendArmList(ctx, deps.store.federatedCredentials.get(normalizeId(parentId)) ?? [], pageSizeFor(ctx, deps.pageSize));
  }
  const inline = inlineChildren(parent, childType);
  if (inline) return sendArmList(ctx, inline, deps.pageSize);
  throw armError(404, "NotFound", `The resource type '${typePath}' is not served for '${parentId}'.`);
}

/** The tenant format allows a management group's name or its full id. */
function mgIdOf(value: string): string {
  return value.startsWith("/") ? value : `/providers/Microsoft.Management/managementGroups/${value}`;
}
