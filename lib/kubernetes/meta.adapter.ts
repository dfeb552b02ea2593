import type { KubeMeta } from "@/lib/model/types";
import { asWire, FieldReader } from "@/lib/model/wire";

/** A reader for a Kubernetes object; errors name the object as `<kind> <namespace>/<name> in <cluster>`. */
export function kubeReader(kind: string, wire: unknown, clusterId: string): FieldReader {
  const obj = asWire(kind, wire);
  const meta = obj.metadata as { name?: unknown; namespace?: unknown } | undefined;
  const name = typeof meta?.name === "string" ? meta.name : "(unnamed)";
  const ns = typeof meta?.namespace === "string" ? `${meta.namespace}/` : "";
  const r = new FieldReader(kind, `${ns}${name} in ${clusterId}`, obj);
  r.reqString("metadata.name");
  return r;
}

/**
 * Metadata of a namespaced object. The API server always sets `metadata.namespace`; a
 * manifest without one lands in "default", which is what kubectl apply would do.
 */
export function adaptMeta(r: FieldReader, clusterId: string): KubeMeta {
  return {
    clusterId,
    namespace: r.optString("metadata.namespace") ?? "default",
    name: r.reqString("metadata.name"),
    uid: r.optString("metadata.uid"),
    labels: r.stringMap("metadata.labels"),
    annotations: r.stringMap("metadata.annotations"),
  };
}
