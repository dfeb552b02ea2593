import { at, isRecord } from "./wire";

/** The pod controllers whose rollouts Scopewise waits for. */
export const RolloutKind = {
  Deployment: "Deployment",
  StatefulSet: "StatefulSet",
  DaemonSet: "DaemonSet",
} as const;
export type RolloutKind = (typeof RolloutKind)[keyof typeof RolloutKind];

export interface RolloutRef {
  kind: RolloutKind;
  namespace: string;
  name: string;
}

/**
 * Where a workload's rollout stands, judged as `kubectl rollout status` judges it.
 * `desired` / `updated` / `available` count pods of the current template.
 */
export interface RolloutStatus {
  done: boolean;
  /** Set when the rollout cannot finish (the Deployment exceeded its progress deadline): the controller's message. */
  failed?: string;
  desired: number;
  updated: number;
  available: number;
  /** One sentence for a person: "2 of 3 new pods available". */
  message: string;
}

const num = (o: unknown, path: string): number => {
  const v = at(o, path);
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
};
const str = (o: unknown, path: string): string | undefined => {
  const v = at(o, path);
  return typeof v === "string" ? v : undefined;
};
const pods = (n: number) => `${n} pod${n === 1 ? "" : "s"}`;

function condition(o: unknown, type: string): { status?: string; reason?: string; message?: string } | undefined {
  const list = at(o, "status.conditions");
  if (!Array.isArray(list)) return undefined;
  const c = list.find((x) => isRecord(x) && x.type === type);
  return isRecord(c) ? { status: str(c, "status"), reason: str(c, "reason"), message: str(c, "message") } : undefined;
}

/**
 * A controller has acted on the latest spec only once `status.observedGeneration` caught up with
 * `metadata.generation`; until then every other status field describes the previous template.
 */
function observed(o: unknown): boolean {
  const generation = num(o, "metadata.generation");
  const observedGeneration = at(o, "status.observedGeneration");
  return typeof observedGeneration === "number" && generation <= observedGeneration;
}

const WAITING_FOR_OBSERVATION = "waiting for the controller to observe the new pod template";

/**
 * kubectl's DeploymentStatusViewer: observed generation, no Progressing=ProgressDeadlineExceeded,
 * every desired replica updated, no old replica left, every updated replica available.
 */
function deploymentStatus(o: unknown): RolloutStatus {
  const desired = typeof at(o, "spec.replicas") === "number" ? num(o, "spec.replicas") : 1;
  const replicas = num(o, "status.replicas");
  const updated = num(o, "status.updatedReplicas");
  const available = num(o, "status.availableReplicas");
  const base = { desired, updated, available };
  if (!observed(o)) return { ...base, done: false, message: WAITING_FOR_OBSERVATION };
  const progressing = condition(o, "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    const failed = progressing.message || `deployment "${str(o, "metadata.name") ?? ""}" exceeded its progress deadline`;
    return { ...base, done: false, failed, message: `rollout failed: ${failed}` };
  }
  if (updated < desired) return { ...base, done: false, message: `${updated} of ${desired} new pods updated` };
  if (replicas > updated) return { ...base, done: false, message: `${pods(replicas - updated)} of the old template pending termination` };
  if (available < updated) return { ...base, done: false, message: `${available} of ${updated} new pods available` };
  return { ...base, done: true, message: `${updated} of ${desired} new pods available` };
}

/** kubectl's StatefulSetStatusViewer (RollingUpdate strategy; a partition only rolls pods at or above it). */
function statefulSetStatus(o: unknown): RolloutStatus {
  const desired = typeof at(o, "spec.replicas") === "number" ? num(o, "spec.replicas") : 1;
  const ready = num(o, "status.readyReplicas");
  const updated = num(o, "status.updatedReplicas");
  const available = typeof at(o, "status.availableReplicas") === "number" ? num(o, "status.availableReplicas") : ready;
  const base = { desired, updated, available };
  const strategy = str(o, "spec.updateStrategy.type") ?? "RollingUpdate";
  if (strategy !== "RollingUpdate") {
    return { ...base, done: true, message: `the ${strategy} strategy replaces pods only when they are deleted; nothing to wait for` };
  }
  if (num(o, "status.observedGeneration") === 0 || !observed(o)) return { ...base, done: false, message: WAITING_FOR_OBSERVATION };
  if (ready < desired) return { ...base, done: false, message: `${ready} of ${desired} pods ready (${updated} updated)` };
  // With a rollingUpdate block (the API server defaults one, partition 0), kubectl counts updated pods against the partition.
  const rollingUpdate = at(o, "spec.updateStrategy.rollingUpdate");
  if (isRecord(rollingUpdate)) {
    const partition = typeof rollingUpdate.partition === "number" ? rollingUpdate.partition : 0;
    const target = desired - partition;
    const message = `${updated} of ${target} new pods updated${partition ? ` (partition ${partition})` : ""}`;
    return { ...base, done: updated >= target, message };
  }
  const updateRevision = str(o, "status.updateRevision");
  if (updateRevision !== str(o, "status.currentRevision")) {
    return { ...base, done: false, message: `${updated} of ${desired} new pods updated (revision ${updateRevision ?? "unknown"})` };
  }
  return { ...base, done: true, message: `${desired} of ${desired} new pods available` };
}

/** kubectl's DaemonSetStatusViewer (RollingUpdate strategy): every scheduled pod updated and available. */
function daemonSetStatus(o: unknown): RolloutStatus {
  const desired = num(o, "status.desiredNumberScheduled");
  const updated = num(o, "status.updatedNumberScheduled");
  const available = num(o, "status.numberAvailable");
  const base = { desired, updated, available };
  const strategy = str(o, "spec.updateStrategy.type") ?? "RollingUpdate";
  if (strategy !== "RollingUpdate") {
    return { ...base, done: true, message: `the ${strategy} strategy replaces pods only when they are deleted; nothing to wait for` };
  }
  if (!observed(o)) return { ...base, done: false, message: WAITING_FOR_OBSERVATION };
  if (updated < desired) return { ...base, done: false, message: `${updated} of ${desired} new pods updated` };
  if (available < desired) return { ...base, done: false, message: `${available} of ${desired} new pods available` };
  return { ...base, done: true, message: `${available} of ${desired} new pods available` };
}

/**
 * Judges a Deployment, StatefulSet or DaemonSet as the API server returned it (GET body, status
 * included). Throws when the object is not one of those kinds.
 */
export function evaluateRolloutStatus(kind: RolloutKind, object: unknown): RolloutStatus {
  if (!isRecord(object)) throw new Error(`rollout status of a ${kind}: expected the object as JSON, got ${typeof object}`);
  if (kind === RolloutKind.Deployment) return deploymentStatus(object);
  if (kind === RolloutKind.StatefulSet) return statefulSetStatus(object);
  if (kind === RolloutKind.DaemonSet) return daemonSetStatus(object);
  throw new Error(`rollout status: "${String(kind)}" is not a Deployment, StatefulSet or DaemonSet`);
}
