import type { Evidence, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Pod, PodVolumeHostPath } from "@/lib/model/types";
import { AZURE_JSON, exposesAzureJson, normalizeHostPath } from "@/lib/rules/shared/host-paths";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import { isMicContainer, type RuleContext } from "@/lib/rules/rule-context";
import { AKS_MANAGED_BY_LABEL } from "@/lib/model/kubernetes";

export const rule = defineRule(
  {
    id: "pod-mounts-azure-json",
    title: "Pod mounts the node's azure.json",
    severity: "high",
    description:
      "Flags pods with a hostPath volume of /etc/kubernetes/azure.json or one of its parents (/etc/kubernetes, /etc, /). AKS's own workloads are left out: kube-system pods of DaemonSets and Deployments labelled kubernetes.azure.com/managedby: aks (the Azure Disk and Azure File CSI node plugins mount /etc/kubernetes to reach the cloud config), and aad-pod-identity's MIC, which reads azure.json by design and is part of pod-identity-deprecated.",
    rationale:
      "azure.json holds the cluster's cloud-provider configuration: the kubelet identity's client id, and on service-principal clusters the client secret itself. With it a pod can act as the cluster or kubelet identity from anywhere.",
    remediation: "Remove the hostPath mount; give the pod its own workload identity with only the roles it needs.",
    benchmarks: [Control.mcsbIM8, Control.cisAks521],
    references: [
      { title: "AKS: service principal credentials in /etc/kubernetes/azure.json", url: "https://learn.microsoft.com/en-us/azure/aks/kubernetes-service-principal#additional-considerations" },
      { title: "Kubernetes: hostPath volumes and their risks", url: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath" },
      { title: "Azure Policy for AKS: pods should only use allowed host paths", url: "https://learn.microsoft.com/en-us/azure/aks/policy-reference" },
    ],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const pod of ctx.inventory.kubernetes.pods) {
      const mounts = pod.hostPaths.filter((h) => exposesAzureJson(h.path));
      if (mounts.length === 0 || isAksManaged(ctx, pod) || pod.containers.some(isMicContainer)) continue;
      out.push(draftFor(ctx, pod, mounts));
    }
    return out;
  },
);

/**
 * A pod AKS runs itself: in kube-system, owned by a DaemonSet or Deployment that AKS labels
 * `kubernetes.azure.com/managedby: aks`. Nobody can remove its mounts: AKS reconciles them back.
 */
function isAksManaged(ctx: RuleContext, pod: Pod): boolean {
  if (pod.namespace !== "kube-system") return false;
  const workload = ctx.index.workloadByPodId.get(normalizeId(pod.id));
  if (!workload || (workload.kind !== "DaemonSet" && workload.kind !== "Deployment")) return false;
  const controller = ctx.inventory.kubernetes.controllers.find(
    (c) => c.kind === workload.kind && c.name === workload.name && c.namespace === pod.namespace && normalizeId(c.clusterId) === normalizeId(pod.clusterId),
  );
  const managed = (labels: Record<string, string> | undefined) => labels?.[AKS_MANAGED_BY_LABEL] === "aks";
  return managed(controller?.labels) || managed(controller?.templateLabels);
}

function draftFor(ctx: RuleContext, pod: Pod, mounts: PodVolumeHostPath[]): FindingDraft {
  const cluster = ctx.cluster(pod.clusterId);
  const clusterLabel = cluster?.name ?? pod.clusterId;
  const workload = ctx.index.workloadByPodId.get(normalizeId(pod.id));
  const spCluster = cluster?.controlPlane?.type === "ServicePrincipal";
  const paths = mounts.map((m) => `${m.path} (volume ${m.volume})`).join(", ");
  const evidence: Evidence[] = mounts.map((m) => ({
    source: pod.id,
    fact: `pod ${pod.namespace}/${pod.name} mounts hostPath ${m.path} as volume ${m.volume}${normalizeHostPath(m.path) === AZURE_JSON ? "" : `, a parent of ${AZURE_JSON}`}`,
  }));
  if (cluster) {
    evidence.push({
      source: cluster.id,
      fact: spCluster
        ? `${cluster.name} runs as service principal ${cluster.controlPlane?.clientId}: azure.json on its nodes holds the client secret`
        : `${cluster.name}'s azure.json names the kubelet identity ${cluster.kubelet?.clientId ?? ""} the pod can then request tokens for`,
    });
  }
  if (workload) evidence.push({ source: workload.id, fact: `the pod belongs to ${workload.kind} ${workload.namespace}/${workload.name}` });
  const owner = workload && workload.kind !== "Pod" ? `${workload.kind} ${workload.namespace}/${workload.name}` : `pod ${pod.namespace}/${pod.name}`;
  const steps: FixStep[] = [
    {
      kind: "manual",
      description: `Remove the hostPath volume(s) ${mounts.map((m) => m.volume).join(", ")} (${mounts.map((m) => m.path).join(", ")}) and their volumeMounts from ${owner} on ${clusterLabel}; if it needs a node file, mount only that file.`,
    },
    {
      kind: "manual",
      description: `If ${owner} calls Azure, give it its own managed identity through Azure Workload Identity with only the roles it needs, instead of the cluster's credentials.`,
    },
  ];
  return {
    key: [pod.id],
    message: `Pod ${pod.namespace}/${pod.name} on cluster ${clusterLabel} mounts ${paths}, exposing the node's azure.json${spCluster ? " and the cluster's service principal secret" : ""}: it can act as the cluster's identity.`,
    clusterId: pod.clusterId,
    scope: cluster?.id,
    targetIds: [pod.id, ...(workload ? [workload.id] : [])],
    evidence,
    fixes: [{ id: "remove-host-path", summary: `Remove the azure.json hostPath mount from ${owner}`, steps }],
  };
}
