import { normalizeId } from "@/lib/model/scope";
import type { TenantFile } from "@/lib/tenant/types";
import { fail } from "./format-error";

/**
 * Checks the tenant-wide facts no per-object schema can see: ids unique, every ARM id under a
 * declared subscription and resource group, `kubernetes` keyed by managedCluster resource ids.
 */
export function crossCheck(t: TenantFile, source: string | undefined): void {
  const subs = new Set<string>();
  const rgs = new Set<string>();
  const seen = new Map<string, string>();
  const unique = (id: string, path: string) => {
    const key = normalizeId(id);
    const prior = seen.get(key);
    if (prior) fail(source, path, `duplicate id "${id}" (also at ${prior})`);
    seen.set(key, path);
  };
  const underSub = (id: string, path: string) => {
    const m = /^\/subscriptions\/([^/]+)/i.exec(id);
    if (!m) fail(source, path, `"${id}" is not under a subscription (expected /subscriptions/<id>/...)`);
    if (!subs.has(normalizeId(`/subscriptions/${m[1]}`))) {
      fail(source, path, `"${id}" is under subscription ${m[1]}, which is not declared in $.subscriptions`);
    }
  };
  const underRg = (id: string, path: string) => {
    underSub(id, path);
    const m = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)(\/|$)/i.exec(id);
    if (!m) fail(source, path, `"${id}" is not under a resource group (expected /subscriptions/<s>/resourceGroups/<rg>/...)`);
    if (!rgs.has(normalizeId(m[1]!))) fail(source, path, `"${id}" is under resource group ${m[1]}, which is not declared in $.resourceGroups`);
  };
  const mgs = new Set<string>();

  t.managementGroups?.forEach((mg, i) => {
    const p = `$.managementGroups[${i}].id`;
    if (!/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(mg.id)) {
      fail(source, p, `"${mg.id}" is not a management group id (/providers/Microsoft.Management/managementGroups/<name>)`);
    }
    unique(mg.id, p);
    mgs.add(normalizeId(mg.id));
  });
  t.managementGroups?.forEach((mg, i) => {
    const parent = ((mg.properties?.details as { parent?: { id?: unknown } } | undefined)?.parent?.id ?? null) as unknown;
    if (typeof parent === "string" && parent !== "/" && !mgs.has(normalizeId(parent)) && !sameTenantRoot(parent, t.tenantId)) {
      fail(source, `$.managementGroups[${i}].properties.details.parent.id`, `parent "${parent}" is not a declared management group`);
    }
  });
  t.subscriptions.forEach((s, i) => {
    const p = `$.subscriptions[${i}].id`;
    if (normalizeId(s.id) !== normalizeId(`/subscriptions/${s.subscriptionId}`)) {
      fail(source, p, `"${s.id}" does not match subscriptionId ${s.subscriptionId} (expected /subscriptions/${s.subscriptionId})`);
    }
    unique(s.id, p);
    subs.add(normalizeId(s.id));
    if (s.managementGroupId && !mgs.has(normalizeId(s.managementGroupId)) && !sameTenantRoot(s.managementGroupId, t.tenantId)) {
      fail(source, `$.subscriptions[${i}].managementGroupId`, `"${s.managementGroupId}" is not a declared management group`);
    }
  });
  t.resourceGroups.forEach((rg, i) => {
    const p = `$.resourceGroups[${i}].id`;
    if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(rg.id)) {
      fail(source, p, `"${rg.id}" is not a resource group id (/subscriptions/<s>/resourceGroups/<name>)`);
    }
    underSub(rg.id, p);
    unique(rg.id, p);
    rgs.add(normalizeId(rg.id));
  });
  const clusters = new Set<string>();
  t.resources.forEach((r, i) => {
    const p = `$.resources[${i}].id`;
    if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/i.test(r.id)) {
      fail(source, p, `"${r.id}" is not a resource id (/subscriptions/<s>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>)`);
    }
    underRg(r.id, p);
    unique(r.id, p);
    if (String(r.type).toLowerCase() === "microsoft.containerservice/managedclusters") clusters.add(normalizeId(r.id));
  });
  const identities = new Set(
    t.resources.filter((r) => String(r.type).toLowerCase() === "microsoft.managedidentity/userassignedidentities").map((r) => normalizeId(r.id)),
  );
  t.federatedIdentityCredentials?.forEach((f, i) => {
    const p = `$.federatedIdentityCredentials[${i}].id`;
    const m = /^(.*)\/federatedIdentityCredentials\/[^/]+$/is.exec(f.id);
    if (!m) fail(source, p, `"${f.id}" is not a federated identity credential id (<identity id>/federatedIdentityCredentials/<name>)`);
    if (!identities.has(normalizeId(m[1]!))) fail(source, p, `parent identity "${m[1]}" is not a userAssignedIdentities resource in $.resources`);
    unique(f.id, p);
  });
  t.roleDefinitions?.forEach((d, i) => unique(d.id, `$.roleDefinitions[${i}].id`));
  t.roleAssignments.forEach((a, i) => {
    const p = `$.roleAssignments[${i}].id`;
    if (!/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i.test(a.id)) {
      fail(source, p, `"${a.id}" is not a role assignment id (<scope>/providers/Microsoft.Authorization/roleAssignments/<guid>)`);
    }
    unique(a.id, p);
  });
  const principals = new Set<string>();
  t.principals.forEach((pr, i) => {
    const key = pr.id.toLowerCase();
    if (principals.has(key)) fail(source, `$.principals[${i}].id`, `duplicate principal id "${pr.id}"`);
    principals.add(key);
  });
  for (const key of Object.keys(t.kubernetes ?? {})) {
    if (!clusters.has(normalizeId(key))) {
      fail(source, `$.kubernetes[${JSON.stringify(key)}]`, "key is not the id of a Microsoft.ContainerService/managedClusters resource in $.resources");
    }
  }
}

/** The tenant root group is named after the tenant id; it may be referenced without being listed. */
function sameTenantRoot(id: string, tenantId: string): boolean {
  return normalizeId(id) === normalizeId(`/providers/Microsoft.Management/managementGroups/${tenantId}`);
}
