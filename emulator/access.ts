import { normalizeId } from "@/lib/model/scope";
import { builtinCatalog } from "@/lib/roles/builtin-catalog";
import { actionMatches } from "@/lib/roles/match";
import type { TenantUser } from "@/lib/tenant/types";
import { armError, type RequestContext } from "./http";
import type { TenantStore } from "./store";

/**
 * Per-user read rights for ARM, as Azure RBAC decides them. A delegated (user) token acts with
 * the user's role assignments, and those of the groups the tenant file says they belong to
 * (`users[].memberOf`, emulator-only); the emulator's client-credentials apps keep full read
 * access (they stand in for an operator's automation account). Writes are decided by
 * `authorizeWrite` in writes.ts.
 */

interface PermissionBlock {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

const builtinPermissions = new Map(builtinCatalog.map((r) => [r.name.toLowerCase(), r.permissions as PermissionBlock[]]));

/** True for a token issued to a person (authorization code, refresh or password grant). */
export function isDelegated(claims: RequestContext["claims"]): boolean {
  if (!claims) return false;
  return typeof claims.scp === "string" || claims.idtyp === "user";
}

/** The object ids whose role assignments act for the token: the user and their groups. */
export function principalIdsFor(store: TenantStore, claims: RequestContext["claims"]): Set<string> {
  const oid = String(claims?.oid ?? "").toLowerCase();
  const ids = new Set([oid]);
  const user = (store.tenant.users ?? []).find((u) => u.id.toLowerCase() === oid);
  for (const g of memberOf(user)) ids.add(g.toLowerCase());
  return ids;
}

function memberOf(user: TenantUser | undefined): string[] {
  const groups = user?.memberOf;
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [];
}

function permissionsOf(store: TenantStore, roleDefinitionId: string): PermissionBlock[] {
  const guid = roleDefinitionId.split("/").pop()?.toLowerCase() ?? "";
  const builtin = builtinPermissions.get(guid);
  if (builtin) return builtin;
  const custom = store.customRoles.get(guid)?.properties as { permissions?: PermissionBlock[] } | undefined;
  return custom?.permissions ?? [];
}

/** Control-plane actions come from actions/notActions, data actions (Kubernetes, storage data) from dataActions/notDataActions. */
function blockGrants(block: PermissionBlock, action: string, data: boolean): boolean {
  const allow = (data ? block.dataActions : block.actions) ?? [];
  const deny = (data ? block.notDataActions : block.notActions) ?? [];
  return allow.some((p) => actionMatches(p, action)) && !deny.some((p) => actionMatches(p, action));
}

/** Whether any role assignment of `principals` at or above `scope` grants `action` (a data action with `data`) there. */
export function holdsAction(store: TenantStore, principals: Set<string>, scope: string, action: string, data = false): boolean {
  const target = normalizeId(scope);
  const above = store.ancestors(target);
  for (const a of store.roleAssignments) {
    const p = a.properties as { principalId?: string; scope?: string; roleDefinitionId?: string };
    if (!principals.has(String(p.principalId ?? "").toLowerCase())) continue;
    const s = normalizeId(p.scope ?? "");
    if (s !== target && !above.has(s)) continue;
    if (permissionsOf(store, String(p.roleDefinitionId ?? "")).some((b) => blockGrants(b, action, data))) return true;
  }
  return false;
}

/** ARM's refusal, word for word as Azure phrases it. */
export function authorizationFailed(claims: RequestContext["claims"], action: string, scope: string) {
  const oid = String(claims?.oid ?? "");
  const who = typeof claims?.upn === "string" ? claims.upn : typeof claims?.preferred_username === "string" ? claims.preferred_username : oid;
  return armError(
    403,
    "AuthorizationFailed",
    `The client '${who}' with object id '${oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/**
 * Throws ARM's 403 AuthorizationFailed unless the token may perform the read `action` at
 * `scope`. App (client-credentials) tokens always may.
 */
export function authorizeRead(ctx: RequestContext, store: TenantStore, scope: string, action: string): void {
  if (!isDelegated(ctx.claims)) return;
  if (holdsAction(store, principalIdsFor(store, ctx.claims), scope, action)) return;
  ctx.count("arm:forbidden");
  throw authorizationFailed(ctx.claims, action, scope);
}

/**
 * A predicate for list filtering: which scopes the token may read (`action` there). ARM lists
 * (subscriptions, management groups) and Resource Graph only show what the caller can read.
 * undefined = no filtering (app tokens).
 */
export function readableScopes(ctx: RequestContext, store: TenantStore, action: string): ((scope: string) => boolean) | undefined {
  if (!isDelegated(ctx.claims)) return undefined;
  const principals = principalIdsFor(store, ctx.claims);
  const memo = new Map<string, boolean>();
  return (scope) => {
    const key = normalizeId(scope);
    let ok = memo.get(key);
    if (ok === undefined) {
      ok = holdsAction(store, principals, key, action);
      memo.set(key, ok);
    }
    return ok;
  };
}

const SUBSCRIPTION_READ = "Microsoft.Resources/subscriptions/read";

/** Subscription ids (lower-case) the token can read, or undefined for app tokens (all). */
export function readableSubscriptionIds(ctx: RequestContext, store: TenantStore): Set<string> | undefined {
  const can = readableScopes(ctx, store, SUBSCRIPTION_READ);
  if (!can) return undefined;
  return new Set(store.tenant.subscriptions.filter((s) => can(s.id)).map((s) => s.subscriptionId.toLowerCase()));
}

/**
 * The scope and read action an ARM GET (or read-only POST action) addresses, following ARM's
 * path grammar; undefined for tenant-level lists that are filtered instead (subscriptions,
 * tenants, management groups) and for Resource Graph (rows are filtered).
 */
export function armReadTarget(ctx: RequestContext): { scope: string; action: string } | undefined {
  const { lower, segments } = ctx;
  const path = (n: number) => "/" + segments.slice(0, n).join("/");
  for (let i = 0; i + 2 < lower.length; i++) {
    if (lower[i] === "providers" && lower[i + 1] === "microsoft.authorization" && (lower[i + 2] === "roleassignments" || lower[i + 2] === "roledefinitions")) {
      const kind = lower[i + 2] === "roleassignments" ? "roleAssignments" : "roleDefinitions";
      return { scope: i === 0 ? "/" : path(i), action: `Microsoft.Authorization/${kind}/read` };
    }
  }
  if (lower[0] === "providers" && lower[1] === "microsoft.management" && lower[2] === "managementgroups" && lower.length === 4) {
    return { scope: path(4), action: "Microsoft.Management/managementGroups/read" };
  }
  if (lower[0] !== "subscriptions" || lower.length < 2) return undefined;
  if (lower.length === 2) return { scope: path(2), action: SUBSCRIPTION_READ };
  if (lower.length === 3 && lower[2] === "resources") return { scope: path(2), action: "Microsoft.Resources/subscriptions/resources/read" };
  if (lower.length === 3 && lower[2] === "resourcegroups") return { scope: path(2), action: "Microsoft.Resources/subscriptions/resourceGroups/read" };
  if (lower[2] === "providers" && lower.length === 5) return { scope: path(2), action: `${segments[3]}/${segments[4]}/read` };
  if (lower[2] !== "resourcegroups") return undefined;
  if (lower.length === 4) return { scope: path(4), action: "Microsoft.Resources/subscriptions/resourceGroups/read" };
  if (lower.length === 5 && lower[4] === "resources") return { scope: path(4), action: "Microsoft.Resources/subscriptions/resourceGroups/resources/read" };
  if (lower[4] !== "providers" || lower.length < 7) return undefined;
  if (lower.length === 7) return { scope: path(4), action: `${segments[5]}/${segments[6]}/read` };
  // A resource, a child collection or a POST action: the type path is the namespace and every other segment after it.
  const tail = segments.slice(6);
  const types = tail.filter((_, i) => i % 2 === 0);
  if (ctx.method === "POST" && tail.length % 2 === 1) {
    // `.../managedClusters/{name}/listClusterUserCredential`: the action is the last segment, at the resource.
    return { scope: path(segments.length - 1), action: `${segments[5]}/${types.slice(0, -1).join("/")}/${segments[segments.length - 1]}/action` };
  }
  const scope = tail.length % 2 === 0 ? path(segments.length) : path(segments.length - 1);
  return { scope, action: `${segments[5]}/${types.join("/")}/read` };
}

/** The read check for one ARM request (GETs and read-only POST actions); writes go through the write gate. */
export function authorizeArmRead(ctx: RequestContext, store: TenantStore): void {
  if (!isDelegated(ctx.claims) || ctx.method === "PUT" || ctx.method === "DELETE" || ctx.method === "PATCH") return;
  const target = armReadTarget(ctx);
  if (target) authorizeRead(ctx, store, target.scope, target.action);
}
