import { createHash, randomUUID } from "node:crypto";
import type { KubeWireObject } from "@/lib/model/wire";
import type { ClusterEntry } from "./store";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

// Kubernetes' pod-template-hash alphabet (no vowels, no confusable digits).
const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function templateHash(template: unknown): string {
  const digest = createHash("sha256").update(JSON.stringify(template ?? {})).digest();
  return Array.from(digest.subarray(0, 10), (b) => SAFE_ALPHABET[b % SAFE_ALPHABET.length]).join("");
}

function podSuffix(): string {
  return Array.from({ length: 5 }, () => SAFE_ALPHABET[Math.floor(Math.random() * SAFE_ALPHABET.length)]).join("");
}

/** What a rollout replaces: the workload's current pods, and the pods of the new template that take their places, index for index. */
export interface Replacement {
  oldPods: KubeWireObject[];
  newPods: KubeWireObject[];
  /** The new template's hash (pod-template-hash, ReplicaSet and revision suffix). */
  hash: string;
  /** Deployments bring a new pod up before an old one goes; StatefulSets and DaemonSets replace in place. */
  surge: boolean;
}

type OwnerRef = { kind?: string; name?: string };
const ownerRefs = (o: KubeWireObject) => (o.metadata.ownerReferences ?? []) as OwnerRef[];

/**
 * The pods of a workload whose template changed, and their replacements built from the new
 * template (labels, annotations, serviceAccountName...), as the controllers would build them.
 * Containers and status come from the old pods when the template does not list them (tenant
 * files often describe containers on pods only). A Deployment gets the new template's
 * ReplicaSet; its old ReplicaSets stay, scaled to zero, as revision history.
 */
export function planReplacement(cluster: ClusterEntry, workload: KubeWireObject, rv: () => string): Replacement {
  const ns = workload.metadata.namespace ?? "default";
  const spec = (workload.spec ?? {}) as Json;
  const template = (spec.template ?? {}) as Json;
  const tMeta = (template.metadata ?? {}) as Json;
  const tSpec = (template.spec ?? {}) as Json;
  const inNs = (o: KubeWireObject) => (o.metadata.namespace ?? "default") === ns;
  const owned = (o: KubeWireObject, kind: string, names: Set<string>) => ownerRefs(o).some((r) => r.kind === kind && names.has(String(r.name)));
  const hash = templateHash(template);

  let oldOwners: Set<string>;
  let ownerKind: string;
  let newOwner: { kind: string; name: string; uid: string };
  if (workload.kind === "Deployment") {
    ownerKind = "ReplicaSet";
    const sets = cluster.objects.filter((o) => o.kind === "ReplicaSet" && inNs(o) && (owned(o, "Deployment", new Set([workload.metadata.name])) || new RegExp(`^${workload.metadata.name}-[a-z0-9]{5,10}$`).test(o.metadata.name)));
    oldOwners = new Set(sets.map((s) => s.metadata.name));
    for (const p of cluster.objects) {
      const ref = ownerRefs(p).find((r) => r.kind === "ReplicaSet");
      const h = (p.metadata.labels as Record<string, string> | undefined)?.["pod-template-hash"];
      if (p.kind === "Pod" && inNs(p) && ref && h && ref.name === `${workload.metadata.name}-${h}`) oldOwners.add(ref.name);
    }
    const rsName = `${workload.metadata.name}-${hash}`;
    const rs: KubeWireObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: rsName,
        namespace: ns,
        uid: randomUUID(),
        resourceVersion: rv(),
        creationTimestamp: now(),
        labels: { ...((tMeta.labels as Record<string, string>) ?? {}), "pod-template-hash": hash },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: workload.metadata.name, uid: workload.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: spec.replicas ?? 1, template: structuredClone(template) },
    };
    for (const s of sets) if (s.spec && isMap(s.spec)) s.spec = { ...s.spec, replicas: 0 };
    if (!oldOwners.has(rsName)) cluster.objects.push(rs);
    newOwner = { kind: "ReplicaSet", name: rsName, uid: String(rs.metadata.uid) };
  } else {
    ownerKind = workload.kind;
    oldOwners = new Set([workload.metadata.name]);
    newOwner = { kind: workload.kind, name: workload.metadata.name, uid: String(workload.metadata.uid) };
  }

  const oldPods = cluster.objects.filter((o) => o.kind === "Pod" && inNs(o) && owned(o, ownerKind, oldOwners));
  const newPods = oldPods.map((old) => {
    const labels: Record<string, string> = { ...((tMeta.labels as Record<string, string>) ?? {}) };
    if (workload.kind === "Deployment") labels["pod-template-hash"] = hash;
    const name = workload.kind === "StatefulSet" ? old.metadata.name : `${newOwner.name}-${podSuffix()}`;
    const podSpec = { ...((old.spec ?? {}) as Json), ...structuredClone(tSpec) };
    if (!Array.isArray(tSpec.containers) && Array.isArray((old.spec as Json | undefined)?.containers)) podSpec.containers = (old.spec as Json).containers;
    const pod: KubeWireObject = {
      ...structuredClone(old),
      metadata: {
        name,
        namespace: ns,
        uid: randomUUID(),
        resourceVersion: rv(),
        creationTimestamp: now(),
        labels,
        ...(tMeta.annotations ? { annotations: structuredClone(tMeta.annotations) as Record<string, string> } : {}),
        ownerReferences: [{ apiVersion: "apps/v1", kind: newOwner.kind, name: newOwner.name, uid: newOwner.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: podSpec,
    };
    return pod;
  });
  return { oldPods, newPods, hash, surge: workload.kind === "Deployment" };
}

/** Pods counted as a DaemonSet's scheduled pods: those it owns. */
export function podsOwnedBy(cluster: ClusterEntry, workload: KubeWireObject): number {
  const ns = workload.metadata.namespace ?? "default";
  return cluster.objects.filter((o) => o.kind === "Pod" && (o.metadata.namespace ?? "default") === ns && ownerRefs(o).some((r) => r.kind === workload.kind && r.name === workload.metadata.name)).length;
}

export const PodState = { Ready: "ready", Starting: "starting", Crashing: "crashing" } as const;
export type PodState = (typeof PodState)[keyof typeof PodState];

/**
 * Sets a new pod's status for where the rollout is: ready (the old pod's status, as before), or
 * not ready yet (ContainerCreating), or crashing (CrashLoopBackOff, never ready). Returns
 * whether the status changed.
 */
export function setPodState(pod: KubeWireObject, state: PodState, base: KubeWireObject): boolean {
  const before = JSON.stringify(pod.status ?? null);
  if (state === PodState.Ready) {
    if (base.status !== undefined) pod.status = structuredClone(base.status);
    else delete pod.status;
  } else {
    const containers = ((pod.spec as Json | undefined)?.containers ?? []) as { name?: string; image?: string }[];
    const waiting = state === PodState.Crashing ? { reason: "CrashLoopBackOff", message: "back-off restarting failed container" } : { reason: "ContainerCreating" };
    pod.status = {
      phase: state === PodState.Crashing ? "Running" : "Pending",
      conditions: [
        { type: "Ready", status: "False", reason: "ContainersNotReady" },
        { type: "ContainersReady", status: "False", reason: "ContainersNotReady" },
      ],
      containerStatuses: containers.map((c) => ({ name: c.name ?? "", image: c.image ?? "", ready: false, started: false, restartCount: state === PodState.Crashing ? 3 : 0, state: { waiting } })),
    };
  }
  return JSON.stringify(pod.status ?? null) !== before;
}
