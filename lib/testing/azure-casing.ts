import type { TenantFile } from "@/lib/tenant/types";

/**
 * A tenant file rewritten with the id casing real ARM answers carry: upper-case subscription
 * GUIDs and `resourcegroups` in role assignments' ids, scopes and role definition ids, and in
 * the ids one resource holds of another (AKS identity references, scale-set identities,
 * subnets); lower-cased provider namespaces in those references. Objects' own ids (what the
 * emulator serves them at) keep their spelling, as ARM keeps a resource's canonical id.
 */
export function withRealAzureCasing(tenant: TenantFile): TenantFile {
  const t = structuredClone(tenant);
  t.roleAssignments = t.roleAssignments.map((a) => {
    const p = a.properties as Record<string, unknown>;
    return { ...a, id: recase(a.id), properties: { ...p, scope: recase(String(p.scope)), roleDefinitionId: recase(String(p.roleDefinitionId)) } };
  });
  t.resources = t.resources.map((r) => ({
    ...r,
    ...(r.identity ? { identity: recaseDeep(r.identity) as Record<string, unknown> } : {}),
    ...(r.properties ? { properties: recaseDeep(r.properties) as Record<string, unknown> } : {}),
  }));
  return t;
}

const NAMESPACE = /\/providers\/(Microsoft\.[A-Za-z]+)\//g;

function recase(id: string): string {
  if (!/^\/subscriptions\//i.test(id)) return id;
  return id
    .replace(/^\/subscriptions\/([0-9a-f-]{36})/i, (_, guid: string) => `/subscriptions/${guid.toUpperCase()}`)
    .replace(/\/resourceGroups\//g, "/resourcegroups/")
    .replace(NAMESPACE, (whole, ns: string) => (ns === "Microsoft.Authorization" ? whole : `/providers/${ns.toLowerCase()}/`));
}

function recaseDeep(value: unknown): unknown {
  if (typeof value === "string") return recase(value);
  if (Array.isArray(value)) return value.map(recaseDeep);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [recase(k), recaseDeep(v)]));
  return value;
}
