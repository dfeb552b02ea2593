import type { Evidence, FixPlan, FixStep } from "@/lib/model/findings";
import { sameId } from "@/lib/model/scope";
import { IdentityKind, LinkMechanism, type Identity, type IdentityLink } from "@/lib/model/types";
import { workloadIdentityAvailable } from "@/lib/inventory/workload-identity";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import type { RuleContext } from "@/lib/rules/rule-context";
import { azureName, clusterName, clusterResourceGroupId, enableWorkloadIdentityStep, federatedCredentialSteps, podTemplateStep, userAssignedIdentityId, workloadOf } from "@/lib/rules/shared/cluster-plans";

/** The cluster jobs (kubelet, control plane) an identity does, the ones no app should share. */
function clusterJobs(identity: Identity): { kind: "kubelet" | "control-plane"; clusterId: string }[] {
  const out: { kind: "kubelet" | "control-plane"; clusterId: string }[] = [];
  for (const u of identity.uses) {
    if ((u.kind === IdentityKind.Kubelet || u.kind === IdentityKind.ControlPlane) && u.clusterId) out.push({ kind: u.kind, clusterId: u.clusterId });
  }
  return out;
}

function howBound(link: IdentityLink): string {
  if (link.mechanism === LinkMechanism.PodIdentity) {
    return `aad-pod-identity binding ${link.binding?.namespace}/${link.binding?.name} (AzureIdentity ${link.azureIdentity?.namespace}/${link.azureIdentity?.name})`;
  }
  if (link.mechanism === LinkMechanism.WorkloadIdentity) {
    return `ServiceAccount ${link.serviceAccount?.namespace}/${link.serviceAccount?.name} annotated with its client id`;
  }
  return `AZURE_CLIENT_ID=${link.clientId} in the container env`;
}

export const rule = defineRule(
  {
    id: "app-uses-kubelet-identity",
    title: "App workload uses the kubelet or control-plane identity",
    severity: "high",
    description:
      "Flags app workloads bound to a cluster's kubelet or control-plane identity through an AzureIdentity, a ServiceAccount client-id annotation or AZURE_CLIENT_ID in the pod env.",
    rationale:
      "The app then holds every right the nodes or the cluster hold (pull from registries, manage disks, load balancers and node VMs), and nothing separates it from every other pod that does the same: no per-app isolation, no per-app audit trail.",
    remediation:
      "Create a managed identity for the app, grant it only the roles the app needs, bind it with Azure Workload Identity (federated credential + annotated ServiceAccount + pod label) and stop using the cluster's identity.",
    benchmarks: [Control.mcsbIM3, Control.cisAks521],
    references: [
      { title: "Use a managed identity in Azure Kubernetes Service (AKS): summary of managed identities", url: "https://learn.microsoft.com/en-us/azure/aks/use-managed-identity#summary-of-managed-identities-used-by-aks" },
      { title: "Deploy and configure workload identity on an AKS cluster", url: "https://learn.microsoft.com/en-us/azure/aks/workload-identity-deploy-cluster" },
      { title: "Best practices for pod security in AKS: use pod managed identities", url: "https://learn.microsoft.com/en-us/azure/aks/developer-best-practices-pod-security#use-microsoft-entra-workload-id" },
    ],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const identity of ctx.inventory.identities) {
      const jobs = clusterJobs(identity);
      if (jobs.length === 0) continue;
      for (const link of ctx.linksOf(identity)) out.push(draftFor(ctx, identity, link, jobs));
    }
    return out;
  },
);

function draftFor(ctx: RuleContext, identity: Identity, link: IdentityLink, jobs: { kind: string; clusterId: string }[]): FindingDraft {
  const workload = workloadOf(ctx, link.workloadId);
  const workloadName = workload ? `${workload.kind} ${workload.namespace}/${workload.name}` : link.workloadId;
  const job = jobs.find((j) => sameId(j.clusterId, link.clusterId)) ?? jobs[0]!;
  const jobWords = job.kind === IdentityKind.Kubelet ? "kubelet identity" : "control-plane identity";
  const ownerName = clusterName(ctx, job.clusterId);
  const sameCluster = sameId(job.clusterId, link.clusterId);
  const evidence: Evidence[] = [
    { source: link.workloadId, fact: `${workloadName} on cluster ${clusterName(ctx, link.clusterId)} acts as ${identity.displayName} through ${howBound(link)}` },
    { source: job.clusterId, fact: `${identity.displayName} (client id ${identity.clientId ?? "unknown"}) is the ${jobWords} of cluster ${ownerName}` },
  ];
  if (link.binding) evidence.push({ source: `${link.clusterId}/namespaces/${link.binding.namespace}/azureidentitybindings/${link.binding.name}`, fact: `binding selector ${link.binding.selector}` });
  if (link.serviceAccount) evidence.push({ source: `${link.clusterId}/namespaces/${link.serviceAccount.namespace}/serviceaccounts/${link.serviceAccount.name}`, fact: `annotated azure.workload.identity/client-id=${link.clientId}` });
  for (const podId of link.podIds) evidence.push({ source: podId, fact: `pod runs as ${identity.displayName}` });
  const assignments = ctx.assignmentsOf(identity);
  if (assignments.length > 0) {
    evidence.push({
      source: identity.principalId ?? identity.key,
      fact: `${identity.displayName} holds ${assignments.length} role assignment(s): ${assignments.map((a) => `${ctx.roleOf(a)?.roleName ?? a.roleName ?? a.roleDefinitionName} on ${a.scope}`).join("; ")}`,
    });
  }

  return {
    key: [link.workloadId, identity.key],
    message:
      `${workloadName} on cluster ${clusterName(ctx, link.clusterId)} uses ${identity.displayName}, the ${jobWords} of ` +
      `${sameCluster ? "the same cluster" : `cluster ${ownerName}`}, so the app holds every right the ${job.kind === IdentityKind.Kubelet ? "nodes" : "cluster"} hold${assignments.length ? ` (${assignments.length} role assignment(s))` : ""}.`,
    identity,
    clusterId: link.clusterId,
    scope: job.clusterId,
    targetIds: [link.workloadId, ...link.podIds],
    evidence,
    fixes: workload ? [perAppIdentityPlan(ctx, identity, link, workload)] : [manualPlan(identity, link)],
    // The base severity already is the kubelet/control-plane case; the generic "kubelet is reachable by every pod" raise would count it twice.
    adjustSeverity: false,
  };
}

function perAppIdentityPlan(ctx: RuleContext, shared: Identity, link: IdentityLink, workload: NonNullable<ReturnType<typeof workloadOf>>): FixPlan {
  const cluster = ctx.cluster(link.clusterId);
  const steps: FixStep[] = [];
  const sa = workload.serviceAccountName && workload.serviceAccountName !== "default" ? workload.serviceAccountName : workload.name;
  if (!cluster) {
    return manualPlan(shared, link);
  }
  const rg = clusterResourceGroupId(cluster);
  const name = azureName(["id", cluster.name, workload.namespace, workload.name], 128);
  const newId = userAssignedIdentityId(rg, name);
  steps.push({ kind: "create-managed-identity", resourceGroupId: rg, name, location: cluster.location });
  steps.push({
    kind: "manual",
    description: `Grant ${name} only the roles ${workload.kind} ${workload.namespace}/${workload.name} needs, at the resources it uses; the roles of ${shared.displayName} stay with the cluster.`,
  });
  if (!cluster.oidcIssuerEnabled || !workloadIdentityAvailable(cluster, ctx.inventory.kubernetes.controllers)) steps.push(enableWorkloadIdentityStep(cluster));
  steps.push(...federatedCredentialSteps(cluster, newId, workload.namespace, sa));
  steps.push({
    kind: "manual",
    description: `Annotate ServiceAccount ${workload.namespace}/${sa} with azure.workload.identity/client-id set to the client id of ${newId} (known once it is created).`,
  });
  const envNote = link.mechanism === LinkMechanism.EnvClientId ? ` and drops the AZURE_CLIENT_ID=${link.clientId} env var (the webhook injects the new one)` : "";
  steps.push(podTemplateStep(workload, sa, envNote));
  if (link.binding) {
    steps.push({ kind: "kubernetes-delete", clusterId: link.clusterId, apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: link.binding.namespace, name: link.binding.name });
  }
  return {
    id: "per-app-identity",
    summary: `Give ${workload.namespace}/${workload.name} its own managed identity ${name} bound with workload identity, instead of ${shared.displayName}`,
    steps,
  };
}

function manualPlan(shared: Identity, link: IdentityLink): FixPlan {
  return {
    id: "per-app-identity",
    summary: `Stop ${link.workloadId} from using ${shared.displayName}`,
    steps: [{ kind: "manual", description: `Create a dedicated identity for ${link.workloadId}, grant it only what the app needs, and rebind the workload to it instead of ${shared.displayName} (${howBound(link)}).` }],
  };
}
