import type { Controller, KubernetesData, Pod, Workload } from "@/lib/model/types";
import { normalizeId } from "@/lib/model/scope";

/**
 * Labels the controllers stamp on each pod to tell pods or revisions apart; they say
 * nothing about the application and would make a workload's labels differ pod to pod.
 */
const PER_POD_LABELS = new Set([
  "pod-template-hash",
  "controller-revision-hash",
  "pod-template-generation",
  "statefulset.kubernetes.io/pod-name",
  "apps.kubernetes.io/pod-index",
  "controller-uid",
  "batch.kubernetes.io/controller-uid",
  "job-name",
  "batch.kubernetes.io/job-name",
  "batch.kubernetes.io/job-completion-index",
]);

export function workloadId(clusterId: string, namespace: string, kind: string, name: string): string {
  return `${clusterId}/namespaces/${namespace}/${kind}/${name}`;
}

/** The app label a workload carries: `app.kubernetes.io/name`, else `app`. */
export function appLabel(labels: Record<string, string>): string | undefined {
  return labels["app.kubernetes.io/name"] ?? labels.app;
}

export interface WorkloadGroup {
  workload: Workload;
  pods: Pod[];
  controller?: Controller;
}

const ctrlKey = (clusterId: string, namespace: string, kind: string, name: string) =>
  `${normalizeId(clusterId)}|${namespace}|${kind}|${name}`;

/**
 * The owner a pod is grouped under. A Deployment's pods are owned by a ReplicaSet named
 * `<deployment>-<pod-template-hash>`; the hash is also the pod's `pod-template-hash`
 * label, so stripping it recovers the Deployment's name. DaemonSets, StatefulSets and
 * Jobs own their pods directly. A pod with no owner is its own workload.
 */
function ownerOf(pod: Pod, controllers: Map<string, Controller>): { kind: string; name: string } {
  const owner = pod.owner;
  if (!owner) return { kind: "Pod", name: pod.name };
  if (owner.kind === "ReplicaSet") {
    const hash = pod.labels["pod-template-hash"];
    if (hash && owner.name.endsWith(`-${hash}`)) {
      const deployment = owner.name.slice(0, -(hash.length + 1));
      if (controllers.has(ctrlKey(pod.clusterId, pod.namespace, "Deployment", deployment))) return { kind: "Deployment", name: deployment };
    }
    return { kind: "ReplicaSet", name: owner.name };
  }
  return owner;
}

function stripPerPodLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (!PER_POD_LABELS.has(k)) out[k] = v;
  return out;
}

/**
 * Groups pods into workloads by owner. Controllers with no pods (scaled to zero, or a
 * DaemonSet with no matching node) are workloads too: their pod template still decides
 * which identity the next pod gets.
 */
export function buildWorkloads(kube: KubernetesData): WorkloadGroup[] {
  const controllers = new Map<string, Controller>();
  for (const c of kube.controllers) controllers.set(ctrlKey(c.clusterId, c.namespace, c.kind, c.name), c);

  const groups = new Map<string, WorkloadGroup & { clusterKey: string }>();
  const ordered: (WorkloadGroup & { clusterKey: string })[] = [];
  const groupFor = (clusterId: string, namespace: string, kind: string, name: string) => {
    const key = ctrlKey(clusterId, namespace, kind, name);
    let g = groups.get(key);
    if (!g) {
      const controller = controllers.get(key);
      g = {
        clusterKey: key,
        pods: [],
        controller,
        workload: {
          id: workloadId(clusterId, namespace, kind, name),
          clusterId,
          namespace,
          kind,
          name,
          podIds: [],
          serviceAccountName: controller?.serviceAccountName ?? "default",
          labels: {},
        },
      };
      groups.set(key, g);
      ordered.push(g);
    }
    return g;
  };

  for (const pod of kube.pods) {
    const { kind, name } = ownerOf(pod, controllers);
    const g = groupFor(pod.clusterId, pod.namespace, kind, name);
    g.pods.push(pod);
    g.workload.podIds.push(pod.id);
  }
  for (const c of kube.controllers) groupFor(c.clusterId, c.namespace, c.kind, c.name);

  return ordered.map(({ clusterKey: _ck, ...g }) => {
    const first = g.pods[0];
    // Pods show what actually runs (the template may have changed since); the template speaks for podless controllers.
    const labels = first ? stripPerPodLabels(first.labels) : { ...(g.controller?.templateLabels ?? {}) };
    g.workload.labels = labels;
    if (first) g.workload.serviceAccountName = first.serviceAccountName;
    const app = appLabel(labels);
    if (app !== undefined) g.workload.app = app;
    return g;
  });
}
