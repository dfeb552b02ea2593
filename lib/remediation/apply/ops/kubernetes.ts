import { applyObject, deleteObject, getObject, manifestRef, type KubeObject, type KubeObjectRef } from "@/lib/kubernetes/object-writes";
import { lastSegment } from "@/lib/model/scope";
import { FIELD_MANAGER, type Operation } from "../types";
import { ChangedSinceScanError, OperationError, wrap } from "./errors";
import type { OperationContext, OperationHandler } from "./handler";

type Apply = Extract<Operation, { op: "kubernetes-apply" }>;
type Delete = Extract<Operation, { op: "kubernetes-delete" }>;

function refOfManifest(manifest: KubeObject): KubeObjectRef {
  try {
    return manifestRef(manifest);
  } catch (error) {
    throw new OperationError((error as Error).message);
  }
}

const refOfDelete = (op: Delete): KubeObjectRef => ({ apiVersion: op.apiVersion, kind: op.kind, name: op.name, ...(op.namespace ? { namespace: op.namespace } : {}) });

/** `<cluster id>/namespaces/<namespace or ->/<Kind>/<name>`: the audit's target for a Kubernetes object. */
const objectTarget = (clusterId: string, ref: KubeObjectRef) => `${clusterId}/namespaces/${ref.namespace ?? "-"}/${ref.kind}/${ref.name}`;

/** "ServiceAccount payments/api on aks-prod": how an error names the object. */
const objectWords = (clusterId: string, ref: KubeObjectRef) => `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name} on ${lastSegment(clusterId)}`;

/** The caller's KubeConfig for the cluster. */
function access(ctx: OperationContext, clusterId: string): ReturnType<NonNullable<OperationContext["kube"]>> {
  if (!ctx.kube) throw new OperationError(`no Kubernetes access to ${clusterId}`);
  return ctx.kube(clusterId);
}

const SERVER_FIELDS = ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

/** An object read from the API server, as a manifest that recreates it. */
function recreatable(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = structuredClone(object);
  const meta = { ...((rest.metadata ?? {}) as KubeObject) };
  for (const f of SERVER_FIELDS) delete meta[f];
  return { ...rest, metadata: meta };
}

const isMap = (v: unknown): v is KubeObject => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * The apply that puts back what an earlier apply changed: every field the earlier manifest set
 * gets its value from before, and fields that did not exist before are left out, which makes
 * server-side apply remove them (Scopewise's field manager owns them).
 */
export function restoreManifest(applied: KubeObject, before: KubeObject): KubeObject {
  const walk = (a: KubeObject, b: unknown, depth: number, parentKey?: string): KubeObject => {
    const out: KubeObject = {};
    for (const [k, v] of Object.entries(a)) {
      const identity = depth === 0 ? k === "apiVersion" || k === "kind" : depth === 1 && parentKey === "metadata" && (k === "name" || k === "namespace");
      if (identity) {
        out[k] = v;
        continue;
      }
      const prev = isMap(b) ? b[k] : undefined;
      if (isMap(v) && Object.keys(v).length > 0) {
        const child = walk(v, prev, depth + 1, k);
        if (Object.keys(child).length > 0) out[k] = child;
      } else if (prev !== undefined) {
        out[k] = structuredClone(prev);
      }
    }
    return out;
  };
  return walk(applied, before, 0);
}

/** Server-side apply of a manifest (Scopewise's field manager), on the cluster the operation names. */
export const kubernetesApplyOp: OperationHandler<Apply> = {
  deletes: false,
  kubernetes: true,
  target: (op) => objectTarget(op.clusterId, refOfManifest(op.manifest)),
  async run(ctx, op, onBefore) {
    const ref = refOfManifest(op.manifest);
    try {
      const kubeConfig = await access(ctx, op.clusterId);
      const before = await getObject(kubeConfig, ref);
      await onBefore(before);
      return { before, after: await applyObject(kubeConfig, op.manifest, FIELD_MANAGER) };
    } catch (error) {
      throw wrap(error, `server-side apply of ${objectWords(op.clusterId, ref)}`);
    }
  },
  inverse(op, outcome) {
    const ref = refOfManifest(op.manifest);
    if (!outcome.before) return { op: "kubernetes-delete", clusterId: op.clusterId, apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name, missingIsDone: true };
    return { op: "kubernetes-apply", clusterId: op.clusterId, manifest: restoreManifest(op.manifest, outcome.before as KubeObject) };
  },
};

export const kubernetesDeleteOp: OperationHandler<Delete> = {
  deletes: true,
  kubernetes: true,
  target: (op) => objectTarget(op.clusterId, refOfDelete(op)),
  async run(ctx, op, onBefore) {
    const ref = refOfDelete(op);
    const what = objectWords(op.clusterId, ref);
    try {
      const kubeConfig = await access(ctx, op.clusterId);
      const before = await getObject(kubeConfig, ref);
      await onBefore(before);
      if (!before) {
        if (op.missingIsDone) return { noop: true, note: "already gone" };
        throw new ChangedSinceScanError(`${what} no longer exists; rescan before applying`);
      }
      await deleteObject(kubeConfig, ref);
      return { before };
    } catch (error) {
      throw wrap(error, `delete ${what}`);
    }
  },
  inverse: (op, outcome) => ({ op: "kubernetes-apply", clusterId: op.clusterId, manifest: recreatable(outcome.before as KubeObject) }),
};
