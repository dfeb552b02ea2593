import { seededRandom } from "@/lib/tenant/builder/ids";
import type { IdentityRef } from "@/lib/tenant/builder/identities";
import { assignAksRoles, buildAdversarialCluster, buildAdversarialKubernetes, shareOf, type AdversarialCluster } from "./adversarial-clusters";
import { buildDeepHierarchy } from "./adversarial-estate";
import { grantManyRoles, type GrantTally } from "./adversarial-grants";
import { generatedTenantBuilder } from "./generated-builder";
import type { GeneratedTenant, GenerateOptions } from "./options";

/** Assignments per app identity when the options do not say how many identities. */
const ASSIGNMENTS_PER_IDENTITY = 8;
/** Share of all pods the first cluster runs: one busy cluster with thousands of pods. */
const BUSY_CLUSTER_SHARE = 0.3;

/**
 * The adversarial shape (see lib/tenant/generate.ts): built in phases over the tenant
 * builder, deterministic per seed. Every app identity is used by a cluster (when there is one)
 * and holds about `assignments / identities` role assignments, most of them findings.
 */
export function generateAdversarialTenant(options: GenerateOptions): GeneratedTenant {
  const b = generatedTenantBuilder(options.seed);
  const rand = seededRandom(options.seed);
  const estate = buildDeepHierarchy(b, options.subscriptions);
  const subs = estate.subscriptions;
  const count = options.identities ?? Math.max(1, Math.round(options.assignments / ASSIGNMENTS_PER_IDENTITY));

  // Phase: app identities, each homed in a subscription's identities resource group.
  const identities: IdentityRef[] = [];
  for (let i = 0; i < count; i++) identities.push(b.userAssignedIdentity(subs[i % subs.length]!.rgIdentities, `id-app-${i}`));

  // Phases: clusters, what AKS needs of them, and their Kubernetes objects.
  const tally: GrantTally = { overBroad: 0 };
  const clusters: AdversarialCluster[] = [];
  let pods = 0;
  for (let c = 0; c < options.clusters; c++) {
    const cluster = buildAdversarialCluster(b, subs[c % subs.length]!, c);
    assignAksRoles(b, cluster, tally);
    clusters.push(cluster);
  }
  clusters.forEach((cluster, c) => {
    const apps = identities.map((identity, index) => ({ index, identity })).filter(({ index }) => index % clusters.length === c);
    const kube = buildAdversarialKubernetes(b, cluster, apps, shareOf(options.pods, clusters.length, c, BUSY_CLUSTER_SHARE));
    pods += kube.podIds.length;
  });

  // Phase: the apps' grants, spread evenly until the tenant holds `assignments`.
  let left = Math.max(0, options.assignments - b.tenant.roleAssignments.length);
  for (let round = 0; left > 0 && round < 4; round++) {
    const before = left;
    identities.forEach((identity, i) => {
      const quota = Math.floor(before / count) + (i < before % count ? 1 : 0);
      if (quota === 0 || left === 0) return;
      left -= grantManyRoles(b, identity, Math.min(quota, left), { estate, home: subs[i % subs.length]!, neighbour: identities[(i + 1) % count]! }, rand, tally);
    });
    if (left === before) break;
  }
  if (left > 0) throw new Error(`generateTenant: only ${options.assignments - left} role assignments fit ${count} identities over ${subs.length} subscriptions; add subscriptions or identities`);

  return {
    tenant: b.tenant,
    summary: {
      subscriptions: subs.length,
      clusters: clusters.length,
      pods,
      roleAssignments: b.tenant.roleAssignments.length,
      workloadIdentities: identities.length,
      overBroadAssignments: tally.overBroad,
    },
  };
}
