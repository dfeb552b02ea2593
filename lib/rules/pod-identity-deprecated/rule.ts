import type { Evidence, FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { LinkMechanism, type AzureIdentity, type AzureIdentityBinding, type Cluster, type Controller, type IdentityLink, type Pod, type Workload } from "@/lib/model/types";
import { workloadIdentityAvailable } from "@/lib/inventory/workload-identity";
import { defineRule, type FindingDraft } from "../define";
import { isMicContainer, isNmiDaemonSet, type RuleContext } from "@/lib/rules/rule-context";
import { exposesAzureJson } from "@/lib/rules/shared/host-paths";
import { appRegistrationCredentialStep, enableWorkloadIdentityStep, federatedCredentialSteps, identityByRef, podTemplateStep, serviceAccountApply, workloadOf } from "@/lib/rules/shared/cluster-plans";
import { kubeObjectId, POD_IDENTITY_API_VERSION } from "@/lib/model/kubernetes";
import { serviceAccountSubject } from "@/lib/inventory/bindings";

/** One cluster's aad-pod-identity objects, MIC pods and pod-identity links, in inventory order. */
interface ClusterObjects {
  azureIdentities: AzureIdentity[];
  bindings: AzureIdentityBinding[];
  controllers: Controller[];
  micPods: Pod[];
  links: IdentityLink[];
}

/**
 * The Kubernetes objects grouped by cluster in one pass: filtering every list by cluster for
 * each cluster made this rule quadratic (50 clusters × 20k pods).
 */
function groupByCluster(ctx: RuleContext): (cluster: Cluster) => ClusterObjects {
  const groups = new Map<string, ClusterObjects>();
  const of = (clusterId: string) => {
    const k = normalizeId(clusterId);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { azureIdentities: [], bindings: [], controllers: [], micPods: [], links: [] }));
    return g;
  };
  const k8s = ctx.inventory.kubernetes;
  for (const a of k8s.azureIdentities) of(a.clusterId).azureIdentities.push(a);
  for (const b of k8s.azureIdentityBindings) of(b.clusterId).bindings.push(b);
  for (const c of k8s.controllers) of(c.clusterId).controllers.push(c);
  // MIC mounts the node's azure.json by design: that exposure goes with aad-pod-identity, not with a pod-mounts finding.
  for (const p of k8s.pods) if (p.containers.some(isMicContainer) && p.hostPaths.some((h) => exposesAzureJson(h.path))) of(p.clusterId).micPods.push(p);
  for (const l of ctx.inventory.links) if (l.mechanism === LinkMechanism.PodIdentity && l.clusterId) of(l.clusterId).links.push(l);
  return (cluster) => of(cluster.id);
}

/** A binding to migrate: a CRD AzureIdentityBinding or a pod identity of the managed add-on. */
export interface BindingToMigrate {
  namespace: string;
  name: string;
  selector: string;
  managed: boolean;
  azureIdentity?: AzureIdentity;
  target: { resourceId?: string; clientId?: string };
  source: string;
}

export const rule = defineRule(
  {
    id: "pod-identity-deprecated",
    title: "Cluster uses deprecated aad-pod-identity",
    severity: "medium",
    description: "Flags clusters that use aad-pod-identity: AzureIdentity objects, or the managed pod-identity add-on (podIdentityProfile.enabled).",
    rationale:
      "aad-pod-identity is deprecated and replaced by Azure Workload Identity. Its NMI DaemonSet intercepts every pod's IMDS traffic on each node and its MIC assigns identities to the node VMSS, a node-level attack surface that workload identity's token exchange does not need.",
    remediation:
      "Migrate each binding: a federated credential on the same identity for the workload's ServiceAccount, the ServiceAccount annotated with the identity's client id, the pods labelled azure.workload.identity/use, then delete the binding. Role assignments stay on the same identity.",
    references: [
      { title: "aad-pod-identity: deprecation notice", url: "https://azure.github.io/aad-pod-identity/docs/" },
      { title: "Migrate from pod managed identity to workload identity", url: "https://learn.microsoft.com/en-us/azure/aks/workload-identity-migrate-from-pod-identity" },
      { title: "Azure Workload Identity: migration from aad-pod-identity", url: "https://azure.github.io/azure-workload-identity/docs/topics/migration.html" },
    ],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    // RULES.md: the cluster *uses* aad-pod-identity when it has AzureIdentity objects or the
    // managed add-on. An NMI DaemonSet left behind after the last identity is gone is leftover
    // software, not use; once a migration deletes the AzureIdentity objects this finding resolves.
    const objectsOf = groupByCluster(ctx);
    for (const cluster of ctx.inventory.clusters) {
      const objects = objectsOf(cluster);
      if (!cluster.podIdentityEnabled && objects.azureIdentities.length === 0) continue;
      out.push(draftFor(ctx, cluster, objects));
    }
    return out;
  },
);

/** A cluster's bindings to migrate (the staged planner's list). */
export function bindingsOf(ctx: RuleContext, cluster: Cluster): BindingToMigrate[] {
  return bindingsFrom(cluster, groupByCluster(ctx)(cluster));
}

function bindingsFrom(cluster: Cluster, objects: ClusterObjects): BindingToMigrate[] {
  const ais = new Map(objects.azureIdentities.map((a) => [`${a.namespace}/${a.name}`, a]));
  const out: BindingToMigrate[] = [];
  for (const b of objects.bindings) {
    const ai = ais.get(`${b.namespace}/${b.azureIdentity}`);
    out.push({
      namespace: b.namespace,
      name: b.name,
      selector: b.selector,
      managed: false,
      azureIdentity: ai,
      target: { resourceId: ai?.resourceId, clientId: ai?.clientId },
      source: kubeObjectId(cluster.id, b.namespace, "azureidentitybindings", b.name),
    });
  }
  for (const pi of cluster.podIdentities) {
    if (out.some((b) => b.namespace === pi.namespace && b.name === pi.name)) continue;
    out.push({
      namespace: pi.namespace,
      name: pi.name,
      selector: pi.bindingSelector ?? pi.name,
      managed: true,
      target: { resourceId: pi.identity.resourceId, clientId: pi.identity.clientId },
      source: cluster.id,
    });
  }
  return out;
}

function draftFor(ctx: RuleContext, cluster: Cluster, objects: ClusterObjects): FindingDraft {
  const evidence: Evidence[] = [];
  if (cluster.podIdentityEnabled) evidence.push({ source: cluster.id, fact: `podIdentityProfile.enabled is true on ${cluster.name} (managed pod-identity add-on)` });
  const ais = objects.azureIdentities;
  for (const a of ais) evidence.push({ source: kubeObjectId(cluster.id, a.namespace, "azureidentities", a.name), fact: `AzureIdentity ${a.namespace}/${a.name} (type ${a.type})` });
  const nmi = objects.controllers.find(isNmiDaemonSet);
  if (nmi) evidence.push({ source: `${cluster.id}/namespaces/${nmi.namespace}/DaemonSet/${nmi.name}`, fact: `DaemonSet ${nmi.namespace}/${nmi.name} runs the aad-pod-identity Node Managed Identity interceptor` });
  for (const p of objects.micPods) evidence.push({ source: p.id, fact: `MIC pod ${p.namespace}/${p.name} mounts the node's azure.json (the cluster's cloud-provider credentials), as aad-pod-identity's controller does by design; it goes when aad-pod-identity is removed` });

  const bindings = bindingsFrom(cluster, objects);
  for (const b of bindings) evidence.push({ source: b.source, fact: `${b.managed ? "pod identity" : "AzureIdentityBinding"} ${b.namespace}/${b.name} selects pods labelled aadpodidbinding=${b.selector}` });

  const what = [
    ais.length ? `${ais.length} AzureIdentity object(s)` : "",
    cluster.podIdentityEnabled ? "the managed pod-identity add-on" : "",
    nmi ? "the nmi DaemonSet" : "",
  ].filter(Boolean);
  return {
    key: [cluster.id],
    message: `Cluster ${cluster.name} uses aad-pod-identity (${what.join(", ")}), which is deprecated; ${bindings.length} binding(s) should move to Azure Workload Identity.`,
    clusterId: cluster.id,
    scope: cluster.id,
    targetIds: [cluster.id, ...bindings.map((b) => b.source).filter((s) => s !== cluster.id)],
    evidence,
    fixes: migrationPlans(ctx, cluster, bindings, objects.links),
  };
}

/** What moving one workload of a binding writes: its federated credential, then its ServiceAccount and pod template. */
export interface WorkloadMigration {
  workload: Workload;
  serviceAccount: string;
  credential: FixStep[];
  annotate: FixStep[];
}

/** How one binding moves: per workload, the credential and the annotation steps; then the binding's removal. */
export function bindingMigration(ctx: RuleContext, cluster: Cluster, b: BindingToMigrate, links: IdentityLink[]): { identityName: string; clientId?: string; workloads: WorkloadMigration[]; remove: FixStep } {
  const identity = identityByRef(ctx, b.target);
  const identityName = identity?.displayName ?? b.target.resourceId?.split("/").pop() ?? b.target.clientId ?? `${b.namespace}/${b.name}`;
  const clientId = identity?.clientId ?? b.target.clientId;
  const bindingLinks = links.filter((l) => l.binding && l.binding.namespace === b.namespace && l.binding.name === b.name);
  const workloads: WorkloadMigration[] = [];
  for (const link of bindingLinks) {
    const workload = workloadOf(ctx, link.workloadId);
    if (!workload) continue;
    // Pods on the namespace's default ServiceAccount get one of their own, so the credential trusts only this workload.
    const sa = workload.serviceAccountName && workload.serviceAccountName !== "default" ? workload.serviceAccountName : workload.name;
    const credential: FixStep[] = [];
    if (isServicePrincipalBinding(b) && clientId) {
      credential.push(appRegistrationCredentialStep(cluster, clientId, workload.namespace, sa, identity?.displayName ?? b.azureIdentity?.name));
    } else if (b.target.resourceId) {
      credential.push(...federatedCredentialSteps(cluster, b.target.resourceId, workload.namespace, sa));
    } else {
      credential.push({ kind: "manual", description: `Create a federated credential on ${identityName} for ${serviceAccountSubject(workload.namespace, sa)} with the issuer of ${cluster.name}.` });
    }
    const annotate: FixStep[] = [];
    if (clientId) {
      annotate.push(serviceAccountApply(cluster.id, workload.namespace, sa, clientId, `ServiceAccount ${workload.namespace}/${sa} annotated with ${identityName}'s client id ${clientId}.`));
    }
    annotate.push(podTemplateStep(workload, sa));
    workloads.push({ workload, serviceAccount: sa, credential, annotate });
  }
  const remove: FixStep = b.managed
    ? {
        kind: "az-command",
        args: ["aks", "pod-identity", "delete", "--resource-group", cluster.resourceGroup, "--cluster-name", cluster.name, "--namespace", b.namespace, "--name", b.name],
        description: `Removes pod identity ${b.namespace}/${b.name} (and the AzureIdentity and binding the add-on created) once its pods use workload identity.`,
      }
    : { kind: "kubernetes-delete", clusterId: cluster.id, apiVersion: POD_IDENTITY_API_VERSION, objectKind: "AzureIdentityBinding", namespace: b.namespace, name: b.name };
  return { identityName, clientId, workloads, remove };
}

/** Steps that move one binding's workloads to workload identity and delete the binding. */
function bindingSteps(ctx: RuleContext, cluster: Cluster, b: BindingToMigrate, links: IdentityLink[]): FixStep[] {
  const m = bindingMigration(ctx, cluster, b, links);
  return [...m.workloads.flatMap((w) => [...w.credential, ...w.annotate]), m.remove];
}

/** A binding to a service principal (AzureIdentity type 1/2): its federated credential lives on an app registration, outside ARM. */
export function isServicePrincipalBinding(b: BindingToMigrate): boolean {
  return !!b.azureIdentity && b.azureIdentity.type !== 0;
}

/**
 * Deletes the AzureIdentity objects whose every binding is migrated by the same plan: with no
 * binding left they serve no pod, and deleting them is what ends the cluster's use of
 * aad-pod-identity (the role assignments stay on the identities).
 */
function azureIdentityDeletes(ctx: RuleContext, cluster: Cluster, migrated: BindingToMigrate[], all: BindingToMigrate[]): FixStep[] {
  const steps: FixStep[] = [];
  const k = normalizeId(cluster.id);
  const migratedKeys = new Set(migrated.map((b) => `${b.namespace}/${b.name}`));
  for (const ai of ctx.inventory.kubernetes.azureIdentities) {
    if (normalizeId(ai.clusterId) !== k) continue;
    const users = all.filter((b) => b.azureIdentity && b.azureIdentity.namespace === ai.namespace && b.azureIdentity.name === ai.name);
    if (!users.every((b) => migratedKeys.has(`${b.namespace}/${b.name}`))) continue;
    if (users.length === 0) {
      // An AzureIdentity no binding uses goes with the plan for its kind (managed identity or app registration).
      const appRegistrationPlan = migrated.some(isServicePrincipalBinding);
      if ((ai.type !== 0) !== appRegistrationPlan) continue;
    }
    steps.push({ kind: "kubernetes-delete", clusterId: cluster.id, apiVersion: POD_IDENTITY_API_VERSION, objectKind: "AzureIdentity", namespace: ai.namespace, name: ai.name });
    if (ai.type !== 0) {
      steps.push({ kind: "manual", description: `AzureIdentity ${ai.namespace}/${ai.name} referenced a client secret or certificate: delete that Kubernetes Secret and the credential on the app registration once nothing uses it.` });
    }
  }
  return steps;
}

/**
 * The migration as plans the applier can run: managed-identity bindings first (every step is an
 * ARM or Kubernetes write), then, separately, bindings to app registrations, whose federated
 * credentials are Microsoft Graph writes on the applications, made before their pods can move.
 */
function migrationPlans(ctx: RuleContext, cluster: Cluster, bindings: BindingToMigrate[], links: IdentityLink[]): FixPlan[] {
  const managed = bindings.filter((b) => !isServicePrincipalBinding(b));
  const appRegistrations = bindings.filter(isServicePrincipalBinding);
  const uninstall: FixStep = {
    kind: "manual",
    description: `When no binding is left on ${cluster.name}, uninstall aad-pod-identity (NMI and MIC)${cluster.podIdentityEnabled ? ` with az aks update --resource-group ${cluster.resourceGroup} --name ${cluster.name} --disable-pod-identity` : ""}. The role assignments stay on the same identities.`,
  };
  const enable = !cluster.oidcIssuerEnabled || !workloadIdentityAvailable(cluster, ctx.inventory.kubernetes.controllers) ? [enableWorkloadIdentityStep(cluster)] : [];
  const plans: FixPlan[] = [];
  if (managed.length > 0 || appRegistrations.length === 0) {
    const steps: FixStep[] = [...enable];
    for (const b of managed) steps.push(...bindingSteps(ctx, cluster, b, links));
    steps.push(...azureIdentityDeletes(ctx, cluster, managed, bindings));
    if (appRegistrations.length === 0) steps.push(uninstall);
    plans.push({
      id: "migrate-to-workload-identity",
      summary:
        appRegistrations.length === 0
          ? `Move the ${managed.length} aad-pod-identity binding(s) on ${cluster.name} to Azure Workload Identity, keeping each identity and its roles`
          : `Move the ${managed.length} managed-identity binding(s) on ${cluster.name} to Azure Workload Identity, keeping each identity and its roles (${appRegistrations.length} app-registration binding(s) have their own plan)`,
      steps,
    });
  }
  if (appRegistrations.length > 0) {
    const steps: FixStep[] = [...(managed.length === 0 ? enable : [])];
    for (const b of appRegistrations) steps.push(...bindingSteps(ctx, cluster, b, links));
    steps.push(...azureIdentityDeletes(ctx, cluster, appRegistrations, bindings), uninstall);
    plans.push({
      id: "migrate-app-registrations",
      summary: `Move the ${appRegistrations.length} app-registration binding(s) on ${cluster.name} to Azure Workload Identity (federated credentials on the app registrations)`,
      steps,
    });
  }
  return plans;
}
