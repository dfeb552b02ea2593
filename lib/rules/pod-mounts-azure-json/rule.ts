import type { Evidence, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Pod, PodVolumeHostPath } from "@/lib/model/types";
import { defineRule, type FindingDraft } from "../define";
import type { RuleContext } from "@/lib/rules/rule-context";

/** The node file holding the cloud-provider config (and, on service-principal clusters, the secret). */
export const AZURE_JSON = "/etc/kubernetes/azure.json";
const EXPOSING = new Set([AZURE_JSON, "/etc/kubernetes", "/etc", "/"]);

/** Lexical POSIX normalisation as the kubelet sees the path: `//`, `.`, `..` and trailing slashes. */
export function normalizeHostPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.trim().split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `/${out.join("/")}`;
}

export function exposesAzureJson(path: string): boolean {
  return EXPOSING.has(normalizeHostPath(path));
}

export const rule = defineRule(
  {
    id: "pod-mounts-azure-json",
    title: "Pod mounts the node's azure.json",
    severity: "high",
    description: "Flags pods with a hostPath volume of /etc/kubernetes/azure.json or one of its parents (/etc/kubernetes, /etc, /).",
    rationale:
      "azure.json holds the cluster's cloud-provider configuration: the kubelet identity's client id, and on service-principal clusters the client secret itself. With it a pod can act as the cluster or kubelet identity from anywhere.",
    remediation: "Remove the hostPath mount; give the pod its own workload identity with only the roles it needs.",
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
      if (mounts.length > 0) out.push(draftFor(ctx, pod, mounts));
    }
    return out;
  },
);

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
