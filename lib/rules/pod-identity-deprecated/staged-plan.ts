import type { FixStep } from "@/lib/model/findings";
import { POD_IDENTITY_API_VERSION } from "@/lib/model/kubernetes";
import { normalizeId, sameId } from "@/lib/model/scope";
import { MigrationChoiceError, type MigrationBinding, type StagedBindingPlan, type StagedMigrationPlan } from "@/lib/model/staged-migration";
import { LinkMechanism, type Cluster, type Inventory } from "@/lib/model/types";
import { workloadIdentityAvailable } from "@/lib/inventory/workload-identity";
import { createRuleContext, type RuleContext } from "@/lib/rules/rule-context";
import { bindingMigration, bindingsOf, isServicePrincipalBinding, type BindingToMigrate } from "./rule";

function clusterOf(ctx: RuleContext, clusterId: string): Cluster {
  const cluster = ctx.cluster(clusterId);
  if (!cluster) throw new MigrationChoiceError(`no cluster ${clusterId} in the scan`);
  return cluster;
}

const keyOf = (b: { namespace: string; name: string }) => `${b.namespace}/${b.name}`;

function describeBinding(ctx: RuleContext, cluster: Cluster, b: BindingToMigrate): { binding: MigrationBinding; migration: ReturnType<typeof bindingMigration> } {
  const links = ctx.inventory.links.filter((l) => l.mechanism === LinkMechanism.PodIdentity && sameId(l.clusterId, cluster.id));
  const migration = bindingMigration(ctx, cluster, b, links);
  return {
    migration,
    binding: {
      key: keyOf(b),
      namespace: b.namespace,
      name: b.name,
      selector: b.selector,
      managed: b.managed,
      appRegistration: isServicePrincipalBinding(b),
      identityName: migration.identityName,
      ...(migration.clientId ? { clientId: migration.clientId } : {}),
      ...(b.azureIdentity ? { azureIdentity: keyOf(b.azureIdentity) } : {}),
      workloads: migration.workloads.map((w) => ({ id: w.workload.id, kind: w.workload.kind, namespace: w.workload.namespace, name: w.workload.name, serviceAccount: w.serviceAccount })),
    },
  };
}

/** The cluster's aad-pod-identity bindings (CRD and managed), each with its identity and the workloads it selects. */
export function listMigrationBindings(inventory: Inventory, clusterId: string): MigrationBinding[] {
  const ctx = createRuleContext(inventory);
  const cluster = clusterOf(ctx, clusterId);
  return bindingsOf(ctx, cluster).map((b) => describeBinding(ctx, cluster, b).binding);
}

/**
 * The staged migration of the chosen bindings only (`namespace/name` keys), in the order given. An AzureIdentity is
 * deleted after the last chosen binding that uses it, and only when every binding using it is
 * chosen: a binding left behind still needs it. Throws MigrationChoiceError for a key the
 * cluster does not have.
 */
export function planStagedMigration(inventory: Inventory, clusterId: string, chosen: readonly string[]): StagedMigrationPlan {
  const ctx = createRuleContext(inventory);
  const cluster = clusterOf(ctx, clusterId);
  const all = bindingsOf(ctx, cluster);
  const known = new Set(all.map(keyOf));
  const unknown = chosen.filter((k) => !known.has(k));
  if (unknown.length) throw new MigrationChoiceError(`cluster ${cluster.name} has no binding ${unknown.join(", ")} (it has: ${[...known].join(", ") || "none"})`);
  if (chosen.length === 0) throw new MigrationChoiceError("choose at least one binding to migrate");
  // In the order the person chose them: that is the order they move in.
  const picked = [...new Set(chosen)].map((k) => all.find((b) => keyOf(b) === k)!);

  const bindings: StagedBindingPlan[] = picked.map((b) => {
    const { binding, migration } = describeBinding(ctx, cluster, b);
    return {
      ...binding,
      steps: {
        credential: migration.workloads.flatMap((w) => w.credential),
        annotate: migration.workloads.flatMap((w) => w.annotate),
        delete: [migration.remove],
      },
    };
  });

  const k = normalizeId(cluster.id);
  for (const ai of ctx.inventory.kubernetes.azureIdentities) {
    if (normalizeId(ai.clusterId) !== k) continue;
    const users = all.filter((b) => b.azureIdentity && b.azureIdentity.namespace === ai.namespace && b.azureIdentity.name === ai.name);
    if (users.length === 0 || !users.every((b) => chosen.includes(keyOf(b)))) continue;
    const last = bindings.filter((b) => b.azureIdentity === keyOf(ai)).pop()!;
    const deletes: FixStep[] = [{ kind: "kubernetes-delete", clusterId: cluster.id, apiVersion: POD_IDENTITY_API_VERSION, objectKind: "AzureIdentity", namespace: ai.namespace, name: ai.name }];
    if (ai.type !== 0) {
      deletes.push({ kind: "manual", description: `AzureIdentity ${keyOf(ai)} referenced a client secret or certificate: delete that Kubernetes Secret and the credential on the app registration once nothing uses it.` });
    }
    last.steps.delete.push(...deletes);
  }

  const plan: StagedMigrationPlan = { clusterId: cluster.id, clusterName: cluster.name, bindings };
  if (!cluster.oidcIssuerEnabled || !cluster.oidcIssuerUrl || !workloadIdentityAvailable(cluster, ctx.inventory.kubernetes.controllers)) {
    plan.blocked = `${cluster.name} has no OIDC issuer or Workload Identity webhook yet: enable them first (az aks update --enable-oidc-issuer --enable-workload-identity), then rescan`;
  }
  return plan;
}
