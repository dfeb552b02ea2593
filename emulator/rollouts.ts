import type { KubeWireObject } from "@/lib/model/wire";
import { planReplacement, PodState, podsOwnedBy, setPodState, templateHash, type Replacement } from "./rollout-pods";
import type { ClusterEntry } from "./store";

type Json = Record<string, unknown>;

/** Annotation (on a Deployment, StatefulSet or DaemonSet) whose value `crash` makes its rollouts never finish. */
export const ROLLOUT_FAULT_ANNOTATION = "emulator.scopewise.dev/rollout";
export const POD_CONTROLLER_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

export interface RolloutSettings {
  /** How long each pod takes to be replaced and become ready; 0 = the whole rollout at once. */
  msPerPod: number;
  /** Overrides every Deployment's `spec.progressDeadlineSeconds` (default 600 s). */
  progressDeadlineMs?: number;
}

interface Rollout {
  startedAt: number;
  /** Pods the controller counts: `spec.replicas`, or the DaemonSet's scheduled pods. */
  desired: number;
  crash: boolean;
  replacement: Replacement;
  /** Old pods deleted and new pods created so far, by index into the replacement. */
  materialized: number;
  previousHash: string;
}

interface Counts {
  generation: number;
  desired: number;
  /** Pods of the new template (created, ready or not). */
  updated: number;
  ready: number;
  /** Every pod, old and new (a Deployment's surge pod included). */
  total: number;
  rolling: boolean;
  failed: boolean;
  currentHash: string;
  updateHash: string;
  /** When the conditions last changed (stable between reads, as the controller's are). */
  since: string;
}

const keyOf = (o: KubeWireObject) => `${o.kind}/${o.metadata.namespace ?? "default"}/${o.metadata.name}`;
const replicasOf = (o: KubeWireObject) => {
  const r = (o.spec as Json | undefined)?.replicas;
  return typeof r === "number" && r >= 0 ? r : 1;
};
const generationOf = (o: KubeWireObject) => Number(o.metadata.generation) || 1;
const templateOf = (o: KubeWireObject) => (o.spec as Json | undefined)?.template;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Rollouts that take time, observed as the controllers report them. A pod-template change
 * starts one; every request to the cluster first moves its rollouts on to where the clock says
 * they are (one pod every `msPerPod`: a Deployment brings a new pod up before an old one goes,
 * StatefulSets and DaemonSets replace in place; the pod being brought up is not ready yet),
 * and GETs of Deployments, StatefulSets and DaemonSets carry the status their controllers
 * would write. A workload annotated `emulator.scopewise.dev/rollout: crash` gets one new pod
 * that never becomes ready; a Deployment then turns Progressing=False with reason
 * ProgressDeadlineExceeded once its progress deadline has passed.
 */
export class RolloutController {
  private readonly active = new WeakMap<ClusterEntry, Map<string, Rollout>>();

  constructor(private readonly settings: RolloutSettings) {}

  private of(cluster: ClusterEntry): Map<string, Rollout> {
    let m = this.active.get(cluster);
    if (!m) this.active.set(cluster, (m = new Map()));
    return m;
  }

  /** The workload's pod template changed (its generation already moved on): replace its pods. */
  start(cluster: ClusterEntry, workload: KubeWireObject, previousTemplate: unknown, rv: () => string): void {
    const replacement = planReplacement(cluster, workload, rv);
    this.of(cluster).set(keyOf(workload), {
      startedAt: Date.now(),
      desired: workload.kind === "DaemonSet" ? replacement.oldPods.length : replicasOf(workload),
      crash: workload.metadata.annotations?.[ROLLOUT_FAULT_ANNOTATION] === "crash",
      replacement,
      materialized: 0,
      previousHash: templateHash(previousTemplate),
    });
    this.advance(cluster);
  }

  forget(cluster: ClusterEntry, workload: { kind: string; metadata: { name: string; namespace?: string } }): void {
    this.of(cluster).delete(keyOf(workload as KubeWireObject));
  }

  /** Pods replaced so far, of `desired`. */
  private progress(r: Rollout, now: number): number {
    if (r.crash) return 0;
    if (this.settings.msPerPod <= 0) return r.desired;
    return Math.min(r.desired, Math.floor((now - r.startedAt) / this.settings.msPerPod));
  }

  /** Moves every rollout of the cluster on to `now`: old pods deleted, new pods created or made ready. */
  advance(cluster: ClusterEntry, now = Date.now()): void {
    for (const [key, r] of this.of(cluster)) {
      const { oldPods, newPods, surge } = r.replacement;
      const n = oldPods.length;
      const k = this.progress(r, now);
      const done = k >= r.desired;
      // When the tenant lists another number of pods than replicas, they are replaced in proportion.
      const replaced = done || r.desired === 0 ? n : Math.floor((k * n) / r.desired);
      const wanted = done ? n : Math.min(n, replaced + 1);
      const gone = new Set(oldPods.slice(0, surge && !done ? replaced : wanted));
      const before = cluster.objects.length;
      cluster.objects = cluster.objects.filter((o) => !gone.has(o));
      let changed = cluster.objects.length !== before;
      for (let i = r.materialized; i < wanted; i++) cluster.objects.push(newPods[i]!);
      changed ||= wanted !== r.materialized;
      for (let i = 0; i < wanted; i++) {
        const state = i < replaced || done ? PodState.Ready : r.crash ? PodState.Crashing : PodState.Starting;
        changed = setPodState(newPods[i]!, state, oldPods[i]!) || changed;
      }
      r.materialized = wanted;
      if (changed) cluster.revision += 1;
      if (done) this.of(cluster).delete(key);
    }
  }

  /** The workload with the status its controller would report now (a tenant file's own status kept while nothing rolls). */
  withStatus(cluster: ClusterEntry, workload: KubeWireObject, now = Date.now()): KubeWireObject {
    if (!POD_CONTROLLER_KINDS.has(workload.kind)) return workload;
    const r = this.of(cluster).get(keyOf(workload));
    if (!r && workload.status !== undefined) return workload;
    return { ...workload, status: statusOf(workload, r ? this.counts(workload, r, now) : steadyCounts(cluster, workload)) };
  }

  private counts(w: KubeWireObject, r: Rollout, now: number): Counts {
    const k = this.progress(r, now);
    const done = k >= r.desired;
    const hash = r.replacement.hash;
    const base = { generation: generationOf(w), desired: r.desired, updateHash: hash };
    const finishedAt = r.startedAt + r.desired * this.settings.msPerPod;
    if (done) return { ...base, updated: r.desired, ready: r.desired, total: r.desired, rolling: false, failed: false, currentHash: hash, since: stamp(finishedAt) };
    const deadlineMs = this.settings.progressDeadlineMs ?? 1000 * (Number((w.spec as Json | undefined)?.progressDeadlineSeconds) || 600);
    const surge = w.kind === "Deployment";
    const failed = r.crash && surge && now - r.startedAt >= deadlineMs;
    return {
      ...base,
      updated: k + 1,
      // Surge: every old pod still serves while the new one starts; in place: one pod is down.
      ready: surge ? r.desired : r.desired - 1,
      total: surge ? r.desired + 1 : r.desired,
      rolling: true,
      failed,
      currentHash: r.previousHash,
      since: stamp(failed ? r.startedAt + deadlineMs : r.startedAt),
    };
  }
}

function steadyCounts(cluster: ClusterEntry, w: KubeWireObject): Counts {
  const desired = w.kind === "DaemonSet" ? podsOwnedBy(cluster, w) : replicasOf(w);
  const hash = templateHash(templateOf(w));
  const created = typeof w.metadata.creationTimestamp === "string" ? w.metadata.creationTimestamp : "2024-01-01T00:00:00Z";
  return { generation: generationOf(w), desired, updated: desired, ready: desired, total: desired, rolling: false, failed: false, currentHash: hash, updateHash: hash, since: created };
}

/** The status block of a Deployment, StatefulSet or DaemonSet, field for field as the apps/v1 controllers write it. */
function statusOf(w: KubeWireObject, c: Counts): Json {
  const name = w.metadata.name;
  if (w.kind === "DaemonSet") {
    return { currentNumberScheduled: c.desired, desiredNumberScheduled: c.desired, numberMisscheduled: 0, numberReady: c.ready, numberAvailable: c.ready, ...(c.desired > c.ready ? { numberUnavailable: c.desired - c.ready } : {}), updatedNumberScheduled: c.updated, observedGeneration: c.generation };
  }
  if (w.kind === "StatefulSet") {
    return { observedGeneration: c.generation, replicas: c.desired, readyReplicas: c.ready, availableReplicas: c.ready, currentReplicas: c.rolling ? c.desired - c.updated : c.desired, updatedReplicas: c.updated, currentRevision: `${name}-${c.currentHash}`, updateRevision: `${name}-${c.updateHash}`, collisionCount: 0 };
  }
  const at = c.since;
  const rs = `${name}-${c.updateHash}`;
  const progressing = c.failed
    ? { status: "False", reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${rs}" has timed out progressing.` }
    : c.rolling
      ? { status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${rs}" is progressing.` }
      : { status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${rs}" has successfully progressed.` };
  // The default strategy (maxUnavailable 25%): available while at most a quarter of the pods is down.
  const available = c.ready >= c.desired - Math.floor(c.desired / 4);
  return {
    observedGeneration: c.generation,
    replicas: c.total,
    updatedReplicas: c.updated,
    readyReplicas: c.ready,
    availableReplicas: c.ready,
    ...(c.total > c.ready ? { unavailableReplicas: c.total - c.ready } : {}),
    conditions: [
      available
        ? { type: "Available", status: "True", lastUpdateTime: at, lastTransitionTime: at, reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." }
        : { type: "Available", status: "False", lastUpdateTime: at, lastTransitionTime: at, reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." },
      { type: "Progressing", ...progressing, lastUpdateTime: at, lastTransitionTime: at },
    ],
  };
}
