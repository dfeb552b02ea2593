import { builtinCatalog } from "@/lib/roles/builtin-catalog";
import { normalizeId, scopeContains } from "@/lib/model/scope";
import type { TenantFile } from "@/lib/tenant/types";

/**
 * Cross-reference checks the format's schema cannot make: every assignment's principal is in
 * `principals` (except the deliberate orphans), every scope is a declared subscription, resource
 * group, resource or management group, every role definition exists, every cluster reference
 * (kubelet/add-on identities, VMSS identities, FIC parents) resolves. Returns problems, empty when fine.
 */
export function listReferenceProblems(t: TenantFile, opts: { orphanPrincipalIds?: string[] } = {}): string[] {
  const problems: string[] = [];
  const principals = new Set(t.principals.map((p) => p.id.toLowerCase()));
  const orphans = new Set((opts.orphanPrincipalIds ?? []).map((s) => s.toLowerCase()));
  const scopes = new Set<string>([
    ...(t.managementGroups ?? []).map((m) => normalizeId(m.id)),
    ...t.subscriptions.map((s) => normalizeId(s.id)),
    ...t.resourceGroups.map((r) => normalizeId(r.id)),
    ...t.resources.map((r) => normalizeId(r.id)),
  ]);
  // Subnets are child resources declared inline in their virtual network.
  for (const r of t.resources) {
    for (const s of ((r.properties?.subnets as { id: string }[] | undefined) ?? [])) scopes.add(normalizeId(s.id));
  }
  const customRoles = new Set((t.roleDefinitions ?? []).map((d) => String(d.name).toLowerCase()));
  const builtin = new Set(builtinCatalog.map((r) => r.name.toLowerCase()));
  const identities = new Map(t.resources.filter((r) => r.type?.toLowerCase() === "microsoft.managedidentity/userassignedidentities").map((r) => [normalizeId(r.id), r]));
  const has = (id: string | undefined) => id !== undefined && scopes.has(normalizeId(id));

  t.roleAssignments.forEach((a, i) => {
    const p = a.properties as { principalId: string; scope: string; roleDefinitionId: string; principalType?: string };
    const where = `roleAssignments[${i}] (${a.id})`;
    // A ForeignGroup belongs to another tenant's directory: this tenant's principals never list it.
    const foreign = p.principalType === "ForeignGroup";
    if (!foreign && !principals.has(p.principalId.toLowerCase()) && !orphans.has(p.principalId.toLowerCase())) problems.push(`${where}: principal ${p.principalId} is not in principals`);
    if (orphans.has(p.principalId.toLowerCase()) && principals.has(p.principalId.toLowerCase())) problems.push(`${where}: principal ${p.principalId} is meant to be deleted but is in principals`);
    if (!has(p.scope)) problems.push(`${where}: scope ${p.scope} is not a declared management group, subscription, resource group or resource`);
    if (!a.id.toLowerCase().startsWith(`${p.scope.toLowerCase()}/providers/microsoft.authorization/roleassignments/`)) problems.push(`${where}: id is not under its scope`);
    const guid = p.roleDefinitionId.split("/").pop()!.toLowerCase();
    if (!builtin.has(guid) && !customRoles.has(guid)) problems.push(`${where}: role definition ${p.roleDefinitionId} is neither built-in nor a declared custom role`);
    const sub = /^\/subscriptions\/([^/]+)/i.exec(p.scope)?.[1];
    const expectedPrefix = sub ? `/subscriptions/${sub}/providers/microsoft.authorization/roledefinitions/` : "/providers/microsoft.authorization/roledefinitions/";
    if (!p.roleDefinitionId.toLowerCase().startsWith(expectedPrefix)) problems.push(`${where}: roleDefinitionId ${p.roleDefinitionId} is not qualified the way ARM returns it (${expectedPrefix}…)`);
  });
  (t.roleDefinitions ?? []).forEach((d) => {
    for (const s of ((d.properties?.assignableScopes as string[] | undefined) ?? [])) if (!has(s)) problems.push(`custom role ${d.id}: assignable scope ${s} is not declared`);
  });
  // A management group covers the subscriptions under it (and their contents), through the parent chain.
  const mgParent = new Map((t.managementGroups ?? []).map((m) => [normalizeId(m.id), (m.properties?.details as { parent?: { id?: string | null } } | undefined)?.parent?.id ?? undefined]));
  const covers = (assignable: string, scope: string) => {
    if (scopeContains(assignable, scope)) return true;
    const sub = t.subscriptions.find((x) => scopeContains(x.id, scope));
    for (let mg = sub?.managementGroupId, hops = 0; mg && hops < 10; mg = mgParent.get(normalizeId(mg)) ?? undefined, hops++) {
      if (normalizeId(mg) === normalizeId(assignable)) return true;
    }
    return false;
  };
  t.roleAssignments.forEach((a) => {
    const p = a.properties as { scope: string; roleDefinitionId: string };
    const guid = p.roleDefinitionId.split("/").pop()!.toLowerCase();
    const custom = (t.roleDefinitions ?? []).find((d) => String(d.name).toLowerCase() === guid);
    if (custom && !((custom.properties?.assignableScopes as string[]) ?? []).some((s) => covers(s, p.scope))) problems.push(`${a.id}: custom role ${custom.id} is not assignable at ${p.scope}`);
  });
  for (const f of t.federatedIdentityCredentials ?? []) {
    const parent = f.id.replace(/\/federatedIdentityCredentials\/[^/]+$/i, "");
    if (!identities.has(normalizeId(parent))) problems.push(`FIC ${f.id}: parent identity is not a userAssignedIdentities resource`);
  }
  const clusterIds = new Set<string>();
  for (const r of t.resources) {
    if (r.type?.toLowerCase() !== "microsoft.containerservice/managedclusters") continue;
    clusterIds.add(normalizeId(r.id));
    const props = r.properties as Record<string, unknown>;
    const kubelet = (props.identityProfile as { kubeletidentity?: { resourceId: string; clientId: string; objectId: string } } | undefined)?.kubeletidentity;
    if (kubelet) checkIdentityRef(`${r.name} kubelet`, kubelet.resourceId, kubelet.clientId, kubelet.objectId);
    for (const [addon, profile] of Object.entries((props.addonProfiles as Record<string, { identity?: { resourceId: string; clientId: string; objectId: string } }>) ?? {})) {
      if (profile.identity) checkIdentityRef(`${r.name} add-on ${addon}`, profile.identity.resourceId, profile.identity.clientId, profile.identity.objectId);
    }
    const ua = (r.identity as { userAssignedIdentities?: Record<string, { principalId: string; clientId: string }> } | undefined)?.userAssignedIdentities ?? {};
    for (const [id, v] of Object.entries(ua)) checkIdentityRef(`${r.name} control plane`, id, v.clientId, v.principalId);
    const sysPrincipal = (r.identity as { principalId?: string } | undefined)?.principalId;
    if (sysPrincipal && !principals.has(sysPrincipal.toLowerCase())) problems.push(`${r.name}: system-assigned principal ${sysPrincipal} is not in principals`);
    const nodeRg = props.nodeResourceGroup as string | undefined;
    const sub = /^\/subscriptions\/([^/]+)/i.exec(r.id)?.[1];
    const nodeRgObj = t.resourceGroups.find((g) => normalizeId(g.id) === normalizeId(`/subscriptions/${sub}/resourceGroups/${nodeRg}`));
    if (!nodeRgObj) problems.push(`${r.name}: node resource group ${nodeRg} is not declared`);
    else if (normalizeId(String(nodeRgObj.managedBy ?? "")) !== normalizeId(r.id)) problems.push(`${r.name}: node resource group ${nodeRg} is not managedBy the cluster`);
    for (const pool of (props.agentPoolProfiles as { name: string; vnetSubnetID?: string }[]) ?? []) {
      if (pool.vnetSubnetID && !has(pool.vnetSubnetID)) problems.push(`${r.name} pool ${pool.name}: subnet ${pool.vnetSubnetID} is not declared`);
    }
  }
  for (const r of t.resources) {
    const ua = (r.identity as { userAssignedIdentities?: Record<string, { principalId: string; clientId: string }> } | undefined)?.userAssignedIdentities;
    if (!ua || r.type?.toLowerCase() === "microsoft.containerservice/managedclusters") continue;
    for (const [id, v] of Object.entries(ua)) checkIdentityRef(`${r.name} identity`, id, v.clientId, v.principalId);
  }
  for (const key of Object.keys(t.kubernetes ?? {})) if (!clusterIds.has(normalizeId(key))) problems.push(`kubernetes key ${key} is not a managedClusters id`);
  return problems;

  function checkIdentityRef(what: string, resourceId: string, clientId: string, principalId: string): void {
    const r = identities.get(normalizeId(resourceId));
    if (!r) return void problems.push(`${what}: identity ${resourceId} is not a userAssignedIdentities resource`);
    const props = r.properties as { clientId: string; principalId: string };
    if (props.clientId !== clientId || props.principalId !== principalId) problems.push(`${what}: clientId/principalId of ${resourceId} do not match the identity resource`);
  }
}
