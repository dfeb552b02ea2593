import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { errorStatus } from "@/lib/model/source-error";

/**
 * One Kubernetes object at a time, by apiVersion, kind, namespace and name: read it (before a
 * write), server-side apply a manifest, delete it. Objects come back as plain JSON (the
 * client's Date objects become RFC 3339 strings again), the shape the audit log keeps.
 */

export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type KubeObject = Record<string, unknown>;

const plain = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

function header(ref: KubeObjectRef): KubernetesObject & { metadata: { name: string } } {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
}

/** apiVersion, kind, name and namespace of a manifest; throws when one of the first three is missing. */
export function manifestRef(manifest: KubeObject): KubeObjectRef {
  const meta = (manifest.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  if (typeof manifest.apiVersion !== "string" || typeof manifest.kind !== "string" || typeof meta.name !== "string" || !meta.name) {
    throw new Error("a Kubernetes manifest needs apiVersion, kind and metadata.name");
  }
  return { apiVersion: manifest.apiVersion, kind: manifest.kind, name: meta.name, ...(typeof meta.namespace === "string" && meta.namespace ? { namespace: meta.namespace } : {}) };
}

/** The object, or undefined when the API server answers 404. */
export async function getObject(kubeConfig: KubeConfig, ref: KubeObjectRef): Promise<KubeObject | undefined> {
  try {
    return plain(await KubernetesObjectApi.makeApiClient(kubeConfig).read(header(ref)));
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Server-side apply of `manifest` as `fieldManager`, forced: the person reviewed this exact
 * change, so fields another manager set are taken over (an undo gives them back).
 */
export async function applyObject(kubeConfig: KubeConfig, manifest: KubeObject, fieldManager: string): Promise<KubeObject> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  return plain(await api.patch(manifest as KubernetesObject, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply));
}

/** Deletes the object; one already gone (404) counts as deleted. */
export async function deleteObject(kubeConfig: KubeConfig, ref: KubeObjectRef): Promise<void> {
  try {
    await KubernetesObjectApi.makeApiClient(kubeConfig).delete(header(ref));
  } catch (error) {
    if (errorStatus(error) !== 404) throw error;
  }
}
