import type { Evidence, FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, resourceGroupIdOf } from "@/lib/model/scope";
import { IdentityKind, type Identity, type Workload } from "@/lib/model/types";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import type { RuleContext } from "@/lib/rules/rule-context";
import { azureName, clusterName, federatedCredentialSteps, identityByRef, parseServiceAccountSubject, userAssignedIdentityId, workloadOf } from "@/lib/rules/shared/cluster-plans";
import { kubeObjectId } from "@/lib/model/kubernetes";

interface Binder {
  namespace: string;
  what: string;
  source: string;
}

export const rule = defineRule(
  {
    id: "shared-app-identity",
    title: "One managed identity shared by several applications",
    severity: "medium",
    description:
      "Flags an app identity whose aad-pod-identity bindings or federated credentials sit in more than one namespace, or whose pods carry more than one distinct app / app.kubernetes.io/name label.",
    rationale:
      "Every application sharing the identity gets the union of the rights all of them need, and a compromise of any one of them reaches the others' data; one managed identity per application keeps each at least privilege.",
    remediation: "Split the identity: one managed identity per application, each with only the roles that application needs, and rebind each application to its own.",
    benchmarks: [Control.cisAks521],
    references: [
      { title: "Microsoft Entra Workload ID with AKS: service account and identity per application", url: "https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview" },
      { title: "Managed identity best practice recommendations", url: "https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations" },
    ],
  },
  (ctx) => {
    const binders = bindersByIdentity(ctx);
    const out: FindingDraft[] = [];
    for (const identity of ctx.inventory.identities) {
      // The kubelet / control plane reached by apps is app-uses-kubelet-identity's finding.
      if (identity.uses.some((u) => u.kind === IdentityKind.Kubelet || u.kind === IdentityKind.ControlPlane)) continue;
      if (!identity.uses.some((u) => u.kind === IdentityKind.App)) continue;
      const draft = evaluateIdentity(ctx, identity, binders.get(identity.key) ?? []);
      if (draft) out.push(draft);
    }
    return out;
  },
);

/** Bindings (CRD and managed add-on) and federated credentials naming each identity, with their namespaces. */
function bindersByIdentity(ctx: RuleContext): Map<string, Binder[]> {
  const out = new Map<string, Binder[]>();
  const add = (identity: Identity | undefined, b: Binder) => {
    if (!identity) return;
    const list = out.get(identity.key);
    if (list) list.push(b);
    else out.set(identity.key, [b]);
  };
  const k8s = ctx.inventory.kubernetes;
  const aiByKey = new Map(k8s.azureIdentities.map((a) => [`${normalizeId(a.clusterId)}|${a.namespace}|${a.name}`, a]));
  for (const b of k8s.azureIdentityBindings) {
    const ai = aiByKey.get(`${normalizeId(b.clusterId)}|${b.namespace}|${b.azureIdentity}`);
    if (!ai) continue;
    add(identityByRef(ctx, ai), {
      namespace: b.namespace,
      what: `AzureIdentityBinding ${b.namespace}/${b.name} on ${clusterName(ctx, b.clusterId)}`,
      source: kubeObjectId(b.clusterId, b.namespace, "azureidentitybindings", b.name),
    });
  }
  for (const c of ctx.inventory.clusters) {
    for (const pi of c.podIdentities) {
      add(identityByRef(ctx, pi.identity), { namespace: pi.namespace, what: `pod identity ${pi.namespace}/${pi.name} of ${c.name}`, source: c.id });
    }
  }
  for (const f of ctx.inventory.federatedCredentials) {
    const sa = parseServiceAccountSubject(f.subject);
    if (!sa) continue;
    add(ctx.index.identityByResourceId.get(normalizeId(f.identityId)), { namespace: sa.namespace, what: `federated credential ${f.name} (${f.subject})`, source: f.id });
  }
  return out;
}

function evaluateIdentity(ctx: RuleContext, identity: Identity, binders: Binder[]): FindingDraft | undefined {
  const namespaces = [...new Set(binders.map((b) => b.namespace))].sort();
  // Workloads whose pods actually act as the identity, grouped by their app label.
  const apps = new Map<string, Workload[]>();
  const links = ctx.linksOf(identity);
  for (const l of links) {
    const w = workloadOf(ctx, l.workloadId);
    if (!w?.app) continue;
    const list = apps.get(w.app) ?? [];
    if (!list.some((x) => x.id === w.id)) list.push(w);
    apps.set(w.app, list);
  }
  if (namespaces.length < 2 && apps.size < 2) return undefined;

  const appNames = [...apps.keys()].sort();
  const reasons: string[] = [];
  if (namespaces.length >= 2) reasons.push(`its bindings and federated credentials are in ${namespaces.length} namespaces (${namespaces.join(", ")})`);
  if (apps.size >= 2) reasons.push(`its pods belong to ${apps.size} applications (${appNames.join(", ")})`);
  const evidence: Evidence[] = binders.map((b) => ({ source: b.source, fact: `${b.what} lets namespace ${b.namespace} use ${identity.displayName}` }));
  for (const [app, ws] of apps) for (const w of ws) evidence.push({ source: w.id, fact: `${w.kind} ${w.namespace}/${w.name} (app ${app}) acts as ${identity.displayName}` });
  const podIds = [...new Set(links.flatMap((l) => l.podIds))];

  return {
    key: [identity.key],
    message: `Managed identity ${identity.displayName} is shared: ${reasons.join(", and ")}. Each application holds the rights all of them need.`,
    identity,
    scope: identity.resourceId,
    targetIds: [...(identity.resourceId ? [identity.resourceId] : []), ...podIds],
    evidence,
    fixes: () => [splitPlan(ctx, identity, apps)],
  };
}

/** Keeps the identity for the first application (by name) and moves each other application to its own. */
function splitPlan(ctx: RuleContext, identity: Identity, apps: Map<string, Workload[]>): FixPlan {
  const steps: FixStep[] = [];
  const rg = identity.resourceId ? resourceGroupIdOf(identity.resourceId) : undefined;
  const groups = apps.size >= 2 ? [...apps.entries()].sort(([a], [b]) => a.localeCompare(b)) : groupByNamespace(ctx, identity);
  const assignments = ctx.assignmentsOf(identity);
  for (const [app, workloads] of groups.slice(1)) {
    const name = azureName([identity.displayName, app], 128);
    const newId = rg ? userAssignedIdentityId(rg, name) : undefined;
    if (rg) steps.push({ kind: "create-managed-identity", resourceGroupId: rg, name, location: identityLocation(ctx, identity) });
    steps.push({
      kind: "manual",
      description:
        `Grant ${name} only the roles application ${app} needs` +
        (assignments.length ? `, choosing among those ${identity.displayName} holds: ${assignments.map((a) => `${ctx.roleOf(a)?.roleName ?? a.roleName ?? a.roleDefinitionName} on ${a.scope} (${a.id})`).join("; ")}` : "") +
        ".",
    });
    for (const w of workloads) {
      const link = ctx.index.linksByWorkload.get(normalizeId(w.id))?.find((l) => l.identityKey === identity.key);
      const cluster = ctx.cluster(w.clusterId);
      if (link?.serviceAccount && cluster && newId) {
        steps.push(...federatedCredentialSteps(cluster, newId, link.serviceAccount.namespace, link.serviceAccount.name));
        steps.push({
          kind: "manual",
          description: `Set the azure.workload.identity/client-id annotation of ServiceAccount ${link.serviceAccount.namespace}/${link.serviceAccount.name} on ${cluster.name} to the client id of ${newId}, then restart ${w.kind} ${w.namespace}/${w.name}.`,
        });
        if (link.federatedCredentialId) steps.push({ kind: "delete-federated-credential", federatedCredentialId: link.federatedCredentialId });
      } else {
        steps.push({ kind: "manual", description: `Rebind ${w.kind} ${w.namespace}/${w.name} on ${clusterName(ctx, w.clusterId)} to ${name} instead of ${identity.displayName}.` });
      }
    }
  }
  const kept = groups[0]?.[0];
  if (steps.length === 0) {
    steps.push({ kind: "manual", description: `Create one managed identity per application using ${identity.displayName} and rebind each application's ServiceAccount or binding to its own.` });
  }
  return {
    id: "split-identity",
    summary: `Keep ${identity.displayName} for ${kept ?? "one application"} and give each other application its own managed identity`,
    steps,
  };
}

/** Without two app labels, the namespaces of the bindings and credentials are the applications. */
function groupByNamespace(ctx: RuleContext, identity: Identity): [string, Workload[]][] {
  const byNs = new Map<string, Workload[]>();
  for (const l of ctx.linksOf(identity)) {
    const w = workloadOf(ctx, l.workloadId);
    if (!w) continue;
    const list = byNs.get(w.namespace) ?? [];
    if (!list.some((x) => x.id === w.id)) list.push(w);
    byNs.set(w.namespace, list);
  }
  return [...byNs.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function identityLocation(ctx: RuleContext, identity: Identity): string | undefined {
  if (!identity.resourceId) return undefined;
  return ctx.index.userAssignedIdentityById.get(normalizeId(identity.resourceId))?.location;
}
