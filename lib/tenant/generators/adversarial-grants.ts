import type { IdentityRef } from "@/lib/tenant/builder/identities";
import type { CustomRoleRef, TenantBuilder } from "@/lib/tenant/builder/tenant-builder";
import type { Estate, Landing } from "./adversarial-estate";

/**
 * The adversarial shape's app grants: each identity holds many role assignments at mixed
 * scopes (management groups, subscriptions, resource groups, storage accounts, registries, key
 * vaults, DNS zones, other identities), drawn from a table where most entries are a finding
 * of some rule and a few are least-privilege.
 */

interface GrantContext {
  estate: Estate;
  /** The identity's home subscription, and one drawn at random for grants elsewhere. */
  home: Landing;
  away: Landing;
  /** Another app identity: Managed Identity Operator on it is an escalation path when it is stronger. */
  neighbour: IdentityRef;
  pick: <T>(xs: readonly T[]) => T;
}

interface GrantTemplate {
  /** Relative frequency. */
  weight: number;
  /** True when the grant is wider than the app needs (it should be a finding). */
  overBroad: boolean;
  grant(c: GrantContext): [scope: string, role: string | CustomRoleRef];
}

/**
 * Grants at subscription or management-group scope that carry `assign/action` (Owner,
 * Contributor, Virtual Machine Contributor) reach every identity below them, and each
 * stronger one is an escalation path of its own; they are kept rare so that findings grow
 * with assignments, not with their square.
 */
const TEMPLATES: GrantTemplate[] = [
  { weight: 3, overBroad: false, grant: (c) => [c.pick(c.home.storage), "Storage Blob Data Reader"] },
  { weight: 2, overBroad: false, grant: (c) => [c.home.vault, "Key Vault Secrets User"] },
  { weight: 2, overBroad: false, grant: (c) => [c.away.id, "Reader"] },
  { weight: 1, overBroad: false, grant: (c) => [c.pick(c.estate.managementGroups.slice(3)), "Reader"] },
  { weight: 1, overBroad: false, grant: (c) => [c.pick(c.home.dnsZones), "DNS Zone Contributor"] },
  { weight: 2, overBroad: false, grant: (c) => [c.home.registry, "AcrPull"] },
  { weight: 1, overBroad: false, grant: (c) => [c.away.registry, "AcrPush"] },
  { weight: 2, overBroad: true, grant: (c) => [c.home.rgData, "Storage Blob Data Contributor"] },
  { weight: 1, overBroad: true, grant: (c) => [c.away.rgData, "Storage Blob Data Owner"] },
  { weight: 1, overBroad: true, grant: (c) => [c.home.id, "Storage Blob Data Reader"] },
  { weight: 1, overBroad: true, grant: (c) => [c.pick(c.estate.managementGroups.slice(3)), "Storage Blob Data Reader"] },
  { weight: 2, overBroad: true, grant: (c) => [c.pick([c.home.vault, c.away.vault]), "Key Vault Administrator"] },
  { weight: 1, overBroad: true, grant: (c) => [c.home.rgData, "Key Vault Secrets Officer"] },
  { weight: 2, overBroad: true, grant: (c) => [c.pick([c.home.rgApp, c.away.rgApp]), "Contributor"] },
  { weight: 1, overBroad: true, grant: (c) => [c.pick([c.home.rgApp, c.away.rgData]), "Owner"] },
  { weight: 1, overBroad: true, grant: (c) => [c.pick([c.home.rgDns, c.away.rgDns]), "DNS Zone Contributor"] },
  { weight: 1, overBroad: true, grant: (c) => [c.neighbour.resourceId, "Managed Identity Operator"] },
  { weight: 2, overBroad: true, grant: (c) => [c.pick([c.home.rgApp, c.away.rgData]), c.pick(c.estate.customRoles)] },
  { weight: 0.2, overBroad: true, grant: (c) => [c.home.id, "Owner"] },
  { weight: 0.2, overBroad: true, grant: (c) => [c.away.id, "Contributor"] },
  { weight: 0.2, overBroad: true, grant: (c) => [c.home.id, "Virtual Machine Contributor"] },
];
const TOTAL_WEIGHT = TEMPLATES.reduce((n, t) => n + t.weight, 0);

function pickTemplate(rand: () => number): GrantTemplate {
  let r = rand() * TOTAL_WEIGHT;
  for (const t of TEMPLATES) {
    r -= t.weight;
    if (r < 0) return t;
  }
  return TEMPLATES[TEMPLATES.length - 1]!;
}

export interface GrantTally {
  overBroad: number;
}

/**
 * Gives `identity` `count` distinct role assignments drawn from the table. An identity that
 * already holds every combination drawn gets fewer; the caller tops the tenant up elsewhere.
 */
export function grantManyRoles(b: TenantBuilder, identity: IdentityRef, count: number, ctx: Omit<GrantContext, "away" | "pick">, rand: () => number, tally: GrantTally): number {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let made = 0;
  for (let attempt = 0; made < count && attempt < count * 6; attempt++) {
    const template = pickTemplate(rand);
    const [scope, role] = template.grant({ ...ctx, away: pick(ctx.estate.subscriptions), pick });
    if (b.assignUnlessExists(scope, role, identity) === undefined) continue;
    made++;
    if (template.overBroad) tally.overBroad++;
  }
  return made;
}
