import { readableSubscriptionIds } from "../access";
import { normalizeId, subscriptionOf } from "@/lib/model/scope";
import { builtinCatalog, catalogRoleToWire } from "@/lib/roles/builtin-catalog";
import type { ArmWireObject } from "@/lib/model/wire";
import { decodeToken, encodeToken, HttpError, sendJson, type RequestContext } from "../http";
import type { TenantStore } from "../store";
import { authorizationRowFilter, parseAuthorizationScopeFilter, type AuthorizationScopeFilter } from "./authorization-scope";
import type { ArmDeps } from "./common";
import { kqlError, runQuery, type Row } from "./kql";
import { isExtensionResource } from "./resources";

/**
 * Azure Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`) over the tenant: a
 * table (`resources`, `resourcecontainers`, `authorizationresources`) piped through the KQL subset
 * of kql.ts. The table is cut to the query's scope before the query runs (as ARG evaluates a
 * query only over the scopes it was given); authorization rows follow
 * `options.authorizationScopeFilter`. Paging follows ARG: `options.$top` / `$skip` / `$skipToken`,
 * `$skipToken` in the answer.
 */

function resourceGroupOf(id: string): string {
  return (/\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? "").toLowerCase();
}

/** ARG's row shape: lower-cased type and resource group, every standard column present. */
function argRow(o: ArmWireObject, tenantId: string): Row {
  return {
    id: o.id,
    name: o.name ?? o.id.split("/").pop(),
    type: String(o.type ?? "").toLowerCase(),
    tenantId,
    kind: o.kind ?? "",
    location: o.location ?? "",
    resourceGroup: resourceGroupOf(o.id),
    subscriptionId: subscriptionOf(o.id) ?? "",
    managedBy: o.managedBy ?? "",
    sku: o.sku ?? null,
    plan: o.plan ?? null,
    properties: o.properties ?? {},
    tags: o.tags ?? null,
    identity: o.identity ?? null,
    zones: o.zones ?? null,
    extendedLocation: o.extendedLocation ?? null,
  };
}

/** What a query may see: subscriptions (undefined = all) and the scopes authorization rows are judged against. */
interface QueryScope {
  subscriptions?: Set<string>;
  authorizationScopes: string[];
  authorizationFilter: AuthorizationScopeFilter;
}

function inSubscriptions(scope: QueryScope, id: string): boolean {
  const sub = subscriptionOf(id);
  return !scope.subscriptions || (sub !== undefined && scope.subscriptions.has(sub.toLowerCase()));
}

function tableRows(store: TenantStore, table: string, scope: QueryScope): Row[] {
  const t = store.tenant;
  switch (table) {
    case "resources":
      return t.resources.filter((r) => inSubscriptions(scope, r.id) && !isExtensionResource(r.id)).map((r) => argRow(r, t.tenantId));
    case "kubernetesconfigurationresources":
      // Cluster extensions (and Flux configurations) live in their own table, not in `resources`.
      return t.resources
        .filter((r) => inSubscriptions(scope, r.id) && String(r.type ?? "").toLowerCase().startsWith("microsoft.kubernetesconfiguration/"))
        .map((r) => argRow(r, t.tenantId));
    case "resourcecontainers":
      return [
        ...t.subscriptions
          .filter((s) => inSubscriptions(scope, s.id))
          .map((s) => ({ ...argRow({ ...s, name: s.displayName, type: "Microsoft.Resources/subscriptions", properties: { state: s.state ?? "Enabled" } } as ArmWireObject, t.tenantId) })),
        ...t.resourceGroups.filter((rg) => inSubscriptions(scope, rg.id)).map((rg) => argRow({ ...rg, type: "Microsoft.Resources/subscriptions/resourceGroups" }, t.tenantId)),
      ];
    case "authorizationresources": {
      const keep = authorizationRowFilter(store, scope.authorizationScopes, scope.authorizationFilter);
      return [...store.roleAssignments, ...(t.roleDefinitions ?? []), ...builtinCatalog.map((r) => catalogRoleToWire(r))].filter(keep).map((o) => argRow(o, t.tenantId));
    }
    case "resourcechanges":
    case "resourcecontainerchanges":
      // Change rows sit at their target's subscription (a subscription's own changes at it).
      return store.changes.rows(table, t.tenantId).filter((r) => inSubscriptions(scope, String((r.properties as { targetResourceId: string }).targetResourceId)));
    default:
      throw kqlError(`Table '${table}' is not supported. Supported tables: resources, resourcecontainers, authorizationresources, kubernetesconfigurationresources, resourcechanges, resourcecontainerchanges.`);
  }
}

interface QueryBody {
  query?: unknown;
  subscriptions?: unknown;
  managementGroups?: unknown;
  options?: { $top?: number; $skip?: number; $skipToken?: string; resultFormat?: string; authorizationScopeFilter?: unknown };
}

/**
 * The scope of a query: the listed subscriptions, or the listed management groups (and the
 * subscriptions under them), or the whole tenant. A signed-in user's query covers only the
 * subscriptions they can read.
 */
function queryScope(ctx: RequestContext, store: TenantStore, body: QueryBody): QueryScope {
  const authorizationFilter = parseAuthorizationScopeFilter(body.options?.authorizationScopeFilter);
  const readable = readableSubscriptionIds(ctx, store);
  const mine = (subs: Set<string> | undefined) => (readable ? new Set([...(subs ?? readable)].filter((s) => readable.has(s))) : subs);
  if (Array.isArray(body.subscriptions) && body.subscriptions.length) {
    const subscriptions = mine(new Set((body.subscriptions as unknown[]).map((s) => String(s).toLowerCase())))!;
    return { subscriptions, authorizationScopes: [...subscriptions].map((s) => `/subscriptions/${s}`), authorizationFilter };
  }
  if (Array.isArray(body.managementGroups) && body.managementGroups.length) {
    const mgs = (body.managementGroups as unknown[]).map((m) => normalizeId(`/providers/Microsoft.Management/managementGroups/${String(m)}`));
    const under = store.tenant.subscriptions.filter((s) => mgs.some((mg) => store.ancestors(s.id).has(mg))).map((s) => s.subscriptionId.toLowerCase());
    return { subscriptions: mine(new Set(under)), authorizationScopes: mgs, authorizationFilter };
  }
  // A tenant-wide query: an app sees the tenant from its root; a user, the subscriptions they can read.
  const subscriptions = mine(undefined);
  return { subscriptions, authorizationScopes: subscriptions ? [...subscriptions].map((s) => `/subscriptions/${s}`) : ["/"], authorizationFilter };
}

/**
 * Result snapshots by id: the first page runs the query, later pages ($skipToken) read the
 * same rows, as ARG pages one consistent result. Without this a 100-page listing would
 * re-run the query (over every row of the table) per page. The last few are kept.
 */
const snapshots = new Map<string, Row[]>();
const maxSnapshots = 16;
function keepSnapshot(rows: Row[]): string {
  const id = crypto.randomUUID();
  snapshots.set(id, rows);
  while (snapshots.size > maxSnapshots) snapshots.delete(snapshots.keys().next().value as string);
  return id;
}

export async function serveResourceGraph(ctx: RequestContext, deps: ArmDeps): Promise<void> {
  ctx.count("arm:resourceGraph");
  if (ctx.method !== "POST") throw new HttpError(405, { error: { code: "MethodNotAllowed", message: `The requested resource does not support http method '${ctx.method}'.` } });
  let body: QueryBody;
  try {
    body = JSON.parse(await ctx.readBody()) as QueryBody;
  } catch {
    throw new HttpError(400, { error: { code: "InvalidRequestContent", message: "The request content was invalid and could not be deserialized." } });
  }
  if (typeof body.query !== "string" || !body.query.trim()) throw kqlError("The query is empty.");
  const scope = queryScope(ctx, deps.store, body);
  const opts = body.options ?? {};
  let offset = opts.$skip ?? 0;
  let top = Math.min(opts.$top ?? deps.pageSize, 1000);
  let rows: Row[] | undefined;
  let snapshot: string | undefined;
  if (opts.$skipToken) {
    const t = decodeToken<{ o: number; n: number; s?: string }>(opts.$skipToken);
    if (!t) throw new HttpError(400, { error: { code: "InvalidSkipToken", message: "The $skipToken is not valid." } });
    offset = t.o;
    if (opts.$top === undefined) top = t.n;
    snapshot = t.s;
    rows = t.s ? snapshots.get(t.s) : undefined;
  }
  if (!rows) {
    rows = runQuery(body.query, (table) => tableRows(deps.store, table, scope));
    snapshot = undefined;
  }
  const page = rows.slice(offset, offset + top);
  if (offset + top < rows.length && !snapshot) snapshot = keepSnapshot(rows);
  const next = offset + top < rows.length ? encodeToken({ o: offset + top, n: top, s: snapshot }) : undefined;
  const data =
    opts.resultFormat === "table"
      ? (() => {
          const cols = [...new Set(page.flatMap((r) => Object.keys(r)))];
          return { columns: cols.map((name) => ({ name, type: "object" })), rows: page.map((r) => cols.map((c) => r[c] ?? null)) };
        })()
      : page;
  sendJson(ctx.res, 200, {
    totalRecords: rows.length,
    count: page.length,
    data,
    facets: [],
    resultTruncated: "false",
    ...(next ? { $skipToken: next } : {}),
  });
}
