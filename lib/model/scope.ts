import { ScopeLevel, type ParsedScope } from "./types";

/** ARM ids compare case-insensitively; this is the one key used for every map lookup. */
export function normalizeId(id: string): string {
  let s = id.trim().toLowerCase();
  while (s.length > 1 && s.endsWith("/")) s = s.slice(0, -1);
  return s;
}

export function sameId(a: string | undefined | null, b: string | undefined | null): boolean {
  if (a == null || b == null) return false;
  return normalizeId(a) === normalizeId(b);
}

const LEVEL_RANK: Record<ScopeLevel, number> = {
  root: 0,
  managementGroup: 1,
  subscription: 2,
  resourceGroup: 3,
  resource: 4,
};

/** Lower is wider: root < management group < subscription < resource group < resource. */
export function scopeLevelRank(level: ScopeLevel): number {
  return LEVEL_RANK[level];
}

export class ScopeParseError extends Error {
  constructor(
    readonly scope: string,
    reason: string,
  ) {
    super(`Cannot parse ARM scope "${scope}": ${reason}`);
    this.name = "ScopeParseError";
  }
}

/**
 * Parses an ARM scope: `/`, `/providers/Microsoft.Management/managementGroups/<mg>`,
 * `/subscriptions/<s>`, `/subscriptions/<s>/resourceGroups/<rg>`, or a resource id
 * `/subscriptions/<s>/resourceGroups/<rg>/providers/<ns>/<type>/<name>[/<type>/<name>...]`.
 */
export function parseScope(scope: string): ParsedScope {
  const id = scope.trim();
  if (id === "" || id === "/") return { id: "/", level: ScopeLevel.Root };
  if (!id.startsWith("/")) throw new ScopeParseError(scope, "a scope starts with '/'");
  const parts = id.split("/").filter((p) => p !== "");
  const lower = parts.map((p) => p.toLowerCase());

  if (lower[0] === "providers" && lower[1] === "microsoft.management" && lower[2] === "managementgroups") {
    if (!parts[3]) throw new ScopeParseError(scope, "management group name missing");
    if (parts.length > 4) throw new ScopeParseError(scope, "unexpected segments after the management group");
    return { id, level: ScopeLevel.ManagementGroup, managementGroup: parts[3] };
  }
  if (lower[0] !== "subscriptions" || !parts[1]) {
    throw new ScopeParseError(scope, "expected /subscriptions/<id> or a management group");
  }
  const subscriptionId = parts[1];
  if (parts.length === 2) return { id, level: ScopeLevel.Subscription, subscriptionId };
  if (lower[2] !== "resourcegroups" || !parts[3]) {
    throw new ScopeParseError(scope, "expected /resourceGroups/<name> after the subscription");
  }
  const resourceGroup = parts[3];
  if (parts.length === 4) return { id, level: ScopeLevel.ResourceGroup, subscriptionId, resourceGroup };
  if (lower[4] !== "providers" || !parts[5]) {
    throw new ScopeParseError(scope, "expected /providers/<namespace> after the resource group");
  }
  // An extension resource lives on another resource: `<resource id>/providers/<ns>/<type>/<name>`
  // (cluster extensions, diagnostic settings). Its type is the one after the last `providers`.
  let start = 4;
  for (let i = 8; i + 1 < parts.length; i += 2) if (lower[i] === "providers") start = i;
  const provider = parts[start + 1];
  const rest = parts.slice(start + 2);
  if (!provider || rest.length < 2 || rest.length % 2 !== 0) {
    throw new ScopeParseError(scope, "a resource id needs type/name pairs after the provider namespace");
  }
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(rest[i]!);
    names.push(rest[i + 1]!);
  }
  return {
    id,
    level: ScopeLevel.Resource,
    subscriptionId,
    resourceGroup,
    provider,
    resourceType: `${provider}/${types.join("/")}`,
    resourceName: names[names.length - 1],
    isChildResource: types.length > 1,
    ...(start > 4 ? { extendsResource: `/${parts.slice(0, start).join("/")}` } : {}),
  };
}

/** Like parseScope but never throws: an unparseable scope is reported as a resource-level scope with no parts. */
export function tryParseScope(scope: string): ParsedScope | undefined {
  try {
    return parseScope(scope);
  } catch {
    return undefined;
  }
}

/** The subscription id of any id under a subscription, else undefined. */
export function subscriptionOf(id: string): string | undefined {
  const m = /^\/subscriptions\/([^/]+)/i.exec(id);
  return m?.[1];
}

/** The resource group id (`/subscriptions/<s>/resourceGroups/<rg>`) of any id at or under one. */
export function resourceGroupIdOf(id: string): string | undefined {
  const m = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(id);
  return m?.[1];
}

/** True when `scope` is `target` or one of its ancestors (an assignment at `scope` applies to `target`). */
export function scopeContains(scope: string, target: string): boolean {
  const s = normalizeId(scope);
  const t = normalizeId(target);
  if (s === "/" || s === "") return true;
  return t === s || t.startsWith(s + "/");
}

/**
 * The chain of ancestor scopes from widest to `id` itself (management groups excluded: they
 * are not part of an ARM id; callers add them from the subscription's managementGroupId).
 */
export function scopeAncestors(id: string): string[] {
  const parsed = tryParseScope(id);
  if (!parsed || parsed.level === ScopeLevel.Root) return ["/"];
  if (parsed.level === ScopeLevel.ManagementGroup) return ["/", parsed.id];
  const out = ["/"];
  const parts = parsed.id.split("/").filter(Boolean);
  out.push(`/${parts.slice(0, 2).join("/")}`);
  if (parts.length >= 4) out.push(`/${parts.slice(0, 4).join("/")}`);
  // resource and its parents: /providers/<ns>/<type>/<name>[/<type>/<name>]
  for (let i = 8; i <= parts.length; i += 2) out.push(`/${parts.slice(0, i).join("/")}`);
  return out;
}

/** The ARM id of a management group by name. */
export function managementGroupId(name: string): string {
  return `/providers/Microsoft.Management/managementGroups/${name}`;
}

/** The role definition GUID from any form of role definition id. */
export function roleDefinitionGuid(roleDefinitionId: string): string {
  return lastSegment(roleDefinitionId).toLowerCase();
}

/** The last segment of an ARM id: a resource's name, a role assignment's GUID; an id with no segment is returned as is. */
export function lastSegment(id: string): string {
  // Without splitting: rules ask this of every assignment's role definition id, many times per scan.
  let end = id.length;
  while (end > 0 && id.charCodeAt(end - 1) === 47 /* "/" */) end--;
  if (end === 0) return id;
  return id.slice(id.lastIndexOf("/", end - 1) + 1, end);
}
