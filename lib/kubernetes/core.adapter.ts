import type { ConfigMap, EnvReference, KubeNamespace, Pod, PodContainer, PodVolumeHostPath, ServiceAccount } from "@/lib/model/types";
import { FieldReader, isRecord } from "@/lib/model/wire";
import { adaptMeta, kubeReader } from "./meta.adapter";
import { kubeObjectId, WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from "@/lib/model/kubernetes";

export function podId(clusterId: string, namespace: string, name: string): string {
  return kubeObjectId(clusterId, namespace, "pods", name);
}

export function adaptNamespace(wire: unknown, clusterId: string): KubeNamespace {
  const r = kubeReader("Namespace", wire, clusterId);
  return { clusterId, name: r.reqString("metadata.name"), labels: r.stringMap("metadata.labels") };
}

export function adaptServiceAccount(wire: unknown, clusterId: string): ServiceAccount {
  const r = kubeReader("ServiceAccount", wire, clusterId);
  const meta = adaptMeta(r, clusterId);
  const clientId = meta.annotations[WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]?.trim();
  return { ...meta, workloadIdentityClientId: clientId ? clientId : undefined };
}

export function adaptPod(wire: unknown, clusterId: string): Pod {
  const r = kubeReader("Pod", wire, clusterId);
  const meta = adaptMeta(r, clusterId);
  return {
    ...meta,
    // The API server fills in "default" when a pod names no service account.
    serviceAccountName: r.optString("spec.serviceAccountName") ?? r.optString("spec.serviceAccount") ?? "default",
    nodeName: r.optString("spec.nodeName"),
    phase: r.optString("status.phase"),
    owner: adaptOwner(r),
    containers: adaptContainers(r, "spec.containers"),
    hostPaths: adaptHostPaths(r),
    id: podId(clusterId, meta.namespace, meta.name),
  };
}

/** The controlling owner reference (`controller: true`), else the first owner. */
function adaptOwner(r: FieldReader): Pod["owner"] {
  const refs = r.optArray("metadata.ownerReferences").filter(isRecord);
  const ref = refs.find((o) => o.controller === true) ?? refs[0];
  if (!ref || typeof ref.kind !== "string" || typeof ref.name !== "string") return undefined;
  return { kind: ref.kind, name: ref.name };
}

/** A ConfigMap: its string data (binaryData is never an identity setting). */
export function adaptConfigMap(wire: unknown, clusterId: string): ConfigMap {
  const r = kubeReader("ConfigMap", wire, clusterId);
  return { ...adaptMeta(r, clusterId), data: r.stringMap("data") };
}

/** A container: literal env values, and which variables come from a ConfigMap or Secret (resolved later; Secrets are never read). */
export function adaptContainers(r: FieldReader, path: string): PodContainer[] {
  return r.optArray(path).map((c, i) => {
    if (!isRecord(c)) r.fail(`${path}[${i}]`, "must be an object");
    const cr = new FieldReader(r.kind, r.objectId, c);
    const env: Record<string, string> = {};
    const envRefs: Record<string, EnvReference> = {};
    for (const e of cr.optArray("env")) {
      if (!isRecord(e) || typeof e.name !== "string") continue;
      if (typeof e.value === "string") env[e.name] = e.value;
      const ref = keyReference(e.valueFrom);
      if (ref) envRefs[e.name] = ref;
    }
    const envFrom: EnvReference[] = [];
    for (const e of cr.optArray("envFrom")) {
      if (!isRecord(e)) continue;
      const prefix = typeof e.prefix === "string" && e.prefix !== "" ? { prefix: e.prefix } : {};
      if (isRecord(e.configMapRef) && typeof e.configMapRef.name === "string") envFrom.push({ source: "configMap", name: e.configMapRef.name, ...prefix });
      else if (isRecord(e.secretRef) && typeof e.secretRef.name === "string") envFrom.push({ source: "secret", name: e.secretRef.name, ...prefix });
    }
    // `command` + `args` together are what the process sees; flags like --forceNamespaced may be in either.
    const args = [...stringsOf(c.command), ...stringsOf(c.args)];
    return {
      name: cr.optString("name") ?? `container-${i}`,
      image: cr.optString("image") ?? "",
      args,
      env,
      ...(Object.keys(envRefs).length > 0 ? { envRefs } : {}),
      ...(envFrom.length > 0 ? { envFrom } : {}),
    };
  });
}

/** `valueFrom.configMapKeyRef` / `valueFrom.secretKeyRef`; field and resource references name no identity. */
function keyReference(valueFrom: unknown): EnvReference | undefined {
  if (!isRecord(valueFrom)) return undefined;
  for (const [field, source] of [["configMapKeyRef", "configMap"], ["secretKeyRef", "secret"]] as const) {
    const ref = valueFrom[field];
    if (isRecord(ref) && typeof ref.name === "string" && typeof ref.key === "string") return { source, name: ref.name, key: ref.key };
  }
  return undefined;
}

function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function adaptHostPaths(r: FieldReader): PodVolumeHostPath[] {
  const out: PodVolumeHostPath[] = [];
  r.optArray("spec.volumes").forEach((v, i) => {
    if (!isRecord(v) || !isRecord(v.hostPath)) return;
    const path = v.hostPath.path;
    if (typeof path !== "string") r.fail(`spec.volumes[${i}].hostPath.path`, "is missing");
    out.push({ volume: typeof v.name === "string" ? v.name : `volume-${i}`, path });
  });
  return out;
}
