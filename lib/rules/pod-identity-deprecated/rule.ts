import type { Evidence, FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, sameId } from "@/lib/model/scope";
import { LinkMechanism, type AzureIdentity, type Cluster, type IdentityLink } from "@/lib/model/types";
import { defineRule, type FindingDraft } from "../define";
import { isNmiDaemonSet, type RuleContext } from "../context";
import {
  appRegistrationCredentialStep,
  enableWorkloadIdentityStep,
  federatedCredentialSteps,
  identityByRef,
  kubeObjectId,
  podTemplateStep,
  POD_IDENTITY_API_VERSION,
  serviceAccountApply,
  workloadOf,
} from "../cluster-fixes";
import { serviceAccountSubject } from "@/lib/inventory/bindings";

/** A binding to migrate: a CRD AzureIdentityBinding or a pod identity of the managed add-on. */
interface BindingToMigrate {
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
    description: "Flags clusters running aad-pod-identity: AzureIdentity objects, the nmi DaemonSet, or the managed pod-identity add-on (podIdentityProfile.enabled).",
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
    for (const cluster of ctx.inventory.clusters) {
      if (!ctx.runsPodIdentity(cluster)) continue;
      out.push(draftFor(ctx, cluster));
    }
    return out;
  },
);

function bindingsOf(ctx: RuleContext, cluster: Cluster): BindingToMigrate[] {
  const k8s = ctx.inventory.kubernetes;
  const k = normalizeId(cluster.id);
  const ais = new Map(k8s.azureIdentities.filter((a) => normalizeId(a.clusterId) === k).map((a) => [`${a.namespace}/${a.name}`, a]));
  const out: BindingToMigrate[] = [];
  for (const b of k8s.azureIdentityBindings) {
    if (normalizeId(b.clusterId) !== k) continue;
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

function draftFor(ctx: RuleContext, cluster: Cluster): FindingDraft {
  const k8s = ctx.inventory.kubernetes;
  const k = normalizeId(cluster.id);
  const evidence: Evidence[] = [];
  if (cluster.podIdentityEnabled) evidence.push({ source: cluster.id, fact: `podIdentityProfile.enabled is true on ${cluster.name} (managed pod-identity add-on)` });
  const ais = k8s.azureIdentities.filter((a) => normalizeId(a.clusterId) === k);
  for (const a of ais) evidence.push({ source: kubeObjectId(cluster.id, a.namespace, "azureidentities", a.name), fact: `AzureIdentity ${a.namespace}/${a.name} (type ${a.type})` });
  const nmi = k8s.controllers.find((c) => normalizeId(c.clusterId) === k && isNmiDaemonSet(c));
  if (nmi) evidence.push({ source: `${cluster.id}/namespaces/${nmi.namespace}/DaemonSet/${nmi.name}`, fact: `DaemonSet ${nmi.namespace}/${nmi.name} runs the aad-pod-identity Node Managed Identity interceptor` });

  const bindings = bindingsOf(ctx, cluster);
  const links = ctx.inventory.links.filter((l) => l.mechanism === LinkMechanism.PodIdentity && sameId(l.clusterId, cluster.id));
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
    fixes: [migrationPlan(ctx, cluster, bindings, links)],
  };
}

function migrationPlan(ctx: RuleContext, cluster: Cluster, bindings: BindingToMigrate[], links: IdentityLink[]): FixPlan {
  const steps: FixStep[] = [];
  if (!cluster.oidcIssuerEnabled || !cluster.workloadIdentityEnabled) steps.push(enableWorkloadIdentityStep(cluster));
  for (const b of bindings) {
    const identity = identityByRef(ctx, b.target);
    const identityName = identity?.displayName ?? b.target.resourceId?.split("/").pop() ?? b.target.clientId ?? `${b.namespace}/${b.name}`;
    const clientId = identity?.clientId ?? b.target.clientId;
    const bindingLinks = links.filter((l) => l.binding && l.binding.namespace === b.namespace && l.binding.name === b.name);
    const servicePrincipal = b.azureIdentity && b.azureIdentity.type !== 0;
    for (const link of bindingLinks) {
      const workload = workloadOf(ctx, link.workloadId);
      if (!workload) continue;
      // Pods on the namespace's default ServiceAccount get one of their own, so the credential trusts only this workload.
      const sa = workload.serviceAccountName && workload.serviceAccountName !== "default" ? workload.serviceAccountName : workload.name;
      if (servicePrincipal && clientId) {
        steps.push(appRegistrationCredentialStep(cluster, clientId, workload.namespace, sa));
      } else if (b.target.resourceId) {
        steps.push(...federatedCredentialSteps(cluster, b.target.resourceId, workload.namespace, sa));
      } else {
        steps.push({ kind: "manual", description: `Create a federated credential on ${identityName} for ${serviceAccountSubject(workload.namespace, sa)} with the issuer of ${cluster.name}.` });
      }
      if (clientId) {
        steps.push(serviceAccountApply(cluster.id, workload.namespace, sa, clientId, `ServiceAccount ${workload.namespace}/${sa} annotated with ${identityName}'s client id ${clientId}.`));
      }
      steps.push(podTemplateStep(workload, sa));
    }
    steps.push(
      b.managed
        ? {
            kind: "az-command",
            command: `az aks pod-identity delete --resource-group ${cluster.resourceGroup} --cluster-name ${cluster.name} --namespace ${b.namespace} --name ${b.name}`,
            description: `Removes pod identity ${b.namespace}/${b.name} (and the AzureIdentity and binding the add-on created) once its pods use workload identity.`,
          }
        : { kind: "kubernetes-delete", clusterId: cluster.id, apiVersion: POD_IDENTITY_API_VERSION, objectKind: "AzureIdentityBinding", namespace: b.namespace, name: b.name },
    );
  }
  steps.push({
    kind: "manual",
    description: `When no binding is left on ${cluster.name}, uninstall aad-pod-identity (NMI and MIC)${cluster.podIdentityEnabled ? ` with az aks update --resource-group ${cluster.resourceGroup} --name ${cluster.name} --disable-pod-identity` : ""}. The role assignments stay on the same identities.`,
  });
  return {
    id: "migrate-to-workload-identity",
    summary: `Move the ${bindings.length} aad-pod-identity binding(s) on ${cluster.name} to Azure Workload Identity, keeping each identity and its roles`,
    steps,
  };
}
