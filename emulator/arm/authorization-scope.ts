import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";
import { HttpError } from "../http";
import type { TenantStore } from "../store";

/**
 * Resource Graph's `options.authorizationScopeFilter` (Microsoft.ResourceGraph 2021-03-01 and
 * later, QueryRequestOptions): which `authorizationresources` rows a query scoped by
 * subscriptions or management groups returns, relative to those scopes. The default,
 * AtScopeAndBelow, leaves out what is assigned (or defined) above the queried scopes: a query
 * scoped by subscriptions does not return the management-group and root role assignments those
 * subscriptions inherit, nor role definitions stored at a management group or the root
 * (built-in roles live at the root). Rows of the other tables are scoped by subscription only.
 */
export const AuthorizationScopeFilter = {
  AtScopeAndBelow: "AtScopeAndBelow",
  AtScopeAndAbove: "AtScopeAndAbove",
  AtScopeExact: "AtScopeExact",
  AtScopeAboveAndBelow: "AtScopeAboveAndBelow",
} as const;
export type AuthorizationScopeFilter = (typeof AuthorizationScopeFilter)[keyof typeof AuthorizationScopeFilter];

const ROOT = "/";
const AUTHORIZATION_SUFFIX = /\/providers\/Microsoft\.Authorization\/(roleAssignments|roleDefinitions)\/[^/]+$/i;

/** The filter a request asks for (the default when absent); ARG's 400 for a value it does not know. */
export function parseAuthorizationScopeFilter(value: unknown): AuthorizationScopeFilter {
  if (value === undefined || value === null) return AuthorizationScopeFilter.AtScopeAndBelow;
  const known = Object.values(AuthorizationScopeFilter) as string[];
  if (typeof value === "string" && known.includes(value)) return value as AuthorizationScopeFilter;
  throw new HttpError(400, {
    error: {
      code: "BadRequest",
      message: `The value '${String(value)}' of options.authorizationScopeFilter is not valid. Allowed values: ${known.join(", ")}.`,
    },
  });
}

/**
 * Where an authorization row sits: a role assignment at its `properties.scope`, a role
 * definition where it is stored (its id before `/providers/Microsoft.Authorization`; `/` for
 * built-in roles).
 */
export function authorizationScopeOf(o: ArmWireObject): string {
  const scope = (o.properties as { scope?: unknown } | undefined)?.scope;
  if (typeof scope === "string" && scope !== "") return normalizeId(scope);
  return normalizeId(o.id.replace(AUTHORIZATION_SUFFIX, "") || ROOT);
}

/**
 * A predicate over authorization rows for a query over `queryScopes` (subscription or
 * management-group ids; `/` for a tenant-wide query).
 */
export function authorizationRowFilter(store: TenantStore, queryScopes: readonly string[], filter: AuthorizationScopeFilter): (o: ArmWireObject) => boolean {
  const scopes = queryScopes.map(normalizeId);
  const below = filter === AuthorizationScopeFilter.AtScopeAndBelow || filter === AuthorizationScopeFilter.AtScopeAboveAndBelow;
  const above = filter === AuthorizationScopeFilter.AtScopeAndAbove || filter === AuthorizationScopeFilter.AtScopeAboveAndBelow;
  return (o) => {
    const at = authorizationScopeOf(o);
    return scopes.some((q) => at === q || (below && store.ancestors(at).has(q)) || (above && store.ancestors(q).has(at)));
  };
}
