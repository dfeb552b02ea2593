import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { evaluateRolloutStatus, RolloutKind, type RolloutRef, type RolloutStatus } from "@/lib/model/rollout";
import type { KubeWireObject } from "@/lib/model/wire";

export type { RolloutRef, RolloutStatus } from "@/lib/model/rollout";

/** The client's Date objects back to RFC 3339 strings: the JSON the API server sent. */
const plain = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

async function readWorkload(kubeConfig: KubeConfig, ref: RolloutRef): Promise<KubeWireObject> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const args = { name: ref.name, namespace: ref.namespace };
  if (ref.kind === RolloutKind.Deployment) return plain(await apps.readNamespacedDeployment(args));
  if (ref.kind === RolloutKind.StatefulSet) return plain(await apps.readNamespacedStatefulSet(args));
  if (ref.kind === RolloutKind.DaemonSet) return plain(await apps.readNamespacedDaemonSet(args));
  throw new Error(`readRolloutStatus: "${String(ref.kind)}" is not a Deployment, StatefulSet or DaemonSet`);
}

/**
 * Reads a workload (GET, status included) and judges its rollout as `kubectl rollout status`
 * does. One read, no waiting: the caller polls. API errors (404, 403) propagate.
 */
export async function readRolloutStatus(kubeConfig: KubeConfig, ref: RolloutRef): Promise<RolloutStatus> {
  return evaluateRolloutStatus(ref.kind, await readWorkload(kubeConfig, ref));
}

/**
 * The pods a workload runs now, by its `spec.selector.matchLabels`, as the API server lists
 * them (the verify step binds a token to one of the new pods).
 */
export async function listPodsOf(kubeConfig: KubeConfig, ref: RolloutRef): Promise<KubeWireObject[]> {
  const workload = await readWorkload(kubeConfig, ref);
  const matchLabels = (workload.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  const labelSelector = Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  if (!labelSelector) throw new Error(`${ref.kind} ${ref.namespace}/${ref.name} has no spec.selector.matchLabels to find its pods by`);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const out: KubeWireObject[] = [];
  let _continue: string | undefined;
  do {
    const page = await core.listNamespacedPod({ namespace: ref.namespace, labelSelector, ...(_continue ? { _continue } : {}) });
    for (const item of page.items) out.push({ ...plain<KubeWireObject>(item), apiVersion: "v1", kind: "Pod" });
    _continue = page.metadata?._continue || undefined;
  } while (_continue);
  return out;
}
