import type { CustomRoleRef, TenantBuilder } from "@/lib/tenant/builder/tenant-builder";
import { addDnsZone, addKeyVault, addRegistry, addStorageAccount, addVirtualNetwork } from "@/lib/tenant/builder/resources";
import { shortId } from "./generated-builder";

/**
 * The adversarial shape's estate: a management-group tree seven levels deep, subscriptions
 * under its leaves, and in each subscription the resources identities are granted roles on,
 * with two storage accounts and two DNS zones per resource group so that resource-group
 * grants reach more than one resource.
 */

export interface Estate {
  /** Management group ids, root first. */
  managementGroups: string[];
  subscriptions: Landing[];
  /** Wildcard custom roles, assignable in every subscription. */
  customRoles: CustomRoleRef[];
}

export interface Landing {
  index: number;
  id: string;
  subscriptionId: string;
  rgApp: string;
  rgData: string;
  rgDns: string;
  rgNet: string;
  rgIdentities: string;
  storage: string[];
  vault: string;
  registry: string;
  dnsZones: string[];
  subnet: string;
}

/** root → organisation → landing zones → corp / online → two regions → two business units → two products (7 levels). */
const TREE: { name: string; parent: string | null }[] = (() => {
  const out: { name: string; parent: string | null }[] = [
    { name: "root", parent: null },
    { name: "org", parent: "root" },
    { name: "platform", parent: "org" },
    { name: "landing-zones", parent: "org" },
  ];
  for (const archetype of ["corp", "online"]) {
    out.push({ name: archetype, parent: "landing-zones" });
    for (const region of ["emea", "amer"]) {
      const r = `${archetype}-${region}`;
      out.push({ name: r, parent: archetype });
      for (const bu of [0, 1]) {
        out.push({ name: `${r}-bu${bu}`, parent: r });
        for (const product of [0, 1]) out.push({ name: `${r}-bu${bu}-p${product}`, parent: `${r}-bu${bu}` });
      }
    }
  }
  return out;
})();

/** Phase 1: the management-group tree and its subscriptions (every tenth under `platform`, the rest spread over the product leaves). */
export function buildDeepHierarchy(b: TenantBuilder, count: number): Estate {
  const name = (n: string) => (n === "root" ? b.tenantId : `mg-${n}`);
  const managementGroups = TREE.map((g) => b.managementGroup(name(g.name), g.parent === null ? "Tenant Root Group" : g.name, g.parent === null ? null : name(g.parent)));
  const leaves = managementGroups.filter((_, i) => TREE[i]!.name.includes("-p"));
  const platform = managementGroups[TREE.findIndex((g) => g.name === "platform")]!;
  const subscriptions: Landing[] = [];
  for (let s = 0; s < count; s++) {
    const parent = s % 10 === 0 ? platform : leaves[s % leaves.length]!;
    const { id, subscriptionId } = b.subscription(`adv-${String(s).padStart(3, "0")}`, parent, b.ids.guid(`subscription:${s}`));
    subscriptions.push(buildLanding(b, s, id, subscriptionId));
  }
  return { managementGroups, subscriptions, customRoles: defineWildcardRoles(b, subscriptions.map((l) => l.id)) };
}

function buildLanding(b: TenantBuilder, s: number, id: string, subscriptionId: string): Landing {
  const rg = (kind: string) => b.resourceGroup(subscriptionId, `rg-${kind}-${s}`);
  const [rgApp, rgData, rgDns, rgNet, rgIdentities] = [rg("app"), rg("data"), rg("dns"), rg("net"), rg("identities")] as const;
  const short = shortId(subscriptionId);
  const vnet = addVirtualNetwork(b, rgNet, `vnet-${s}`, `10.${s % 250}.0.0/16`, [
    { name: "snet-aks", prefix: `10.${s % 250}.0.0/20` },
    { name: "snet-endpoints", prefix: `10.${s % 250}.16.0/24` },
  ]);
  return {
    index: s,
    id,
    subscriptionId,
    rgApp,
    rgData,
    rgDns,
    rgNet,
    rgIdentities,
    storage: [addStorageAccount(b, rgData, `st${short}a`).id, addStorageAccount(b, rgData, `st${short}b`).id],
    vault: addKeyVault(b, rgData, `kv-${short}`).id,
    registry: addRegistry(b, rgApp, `acr${short}`, "Premium").id,
    dnsZones: [addDnsZone(b, rgDns, `svc-${s}.contoso.example`, 12), addDnsZone(b, rgDns, `api-${s}.contoso.example`, 4)],
    subnet: vnet.subnet("snet-aks"),
  };
}

/** Custom roles that grow as providers add operations: provider-wide wildcards, and two that grant `*`. */
function defineWildcardRoles(b: TenantBuilder, scopes: string[]): CustomRoleRef[] {
  return [
    b.customRole("Ops Storage Operator", "Manages storage accounts for the data teams.", { actions: ["Microsoft.Storage/*", "Microsoft.Resources/subscriptions/resourceGroups/read"] }, scopes),
    b.customRole("Ops Network Operator", "Network changes for application teams.", { actions: ["Microsoft.Network/*"] }, scopes),
    b.customRole("Ops Compute Operator", "Scale set and VM operations.", { actions: ["Microsoft.Compute/*", "Microsoft.ManagedIdentity/*/read"] }, scopes),
    b.customRole("Platform Automation", "Deploys everything but access control.", { actions: ["*"], notActions: ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"] }, scopes),
    b.customRole("Platform Break Glass", "Full control, for incidents.", { actions: ["*"] }, scopes),
    b.customRole("Secrets Reader (custom)", "Reads vault secrets.", { actions: ["Microsoft.KeyVault/vaults/read"], dataActions: ["Microsoft.KeyVault/vaults/secrets/*"] }, scopes),
  ];
}
