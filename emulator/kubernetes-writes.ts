import { randomUUID } from "node:crypto";
import { parse as parseYaml } from "yaml";
import type { KubeWireObject } from "@/lib/model/wire";
import { HttpError, sendJson, type RequestContext } from "./http";
import type { RolloutController } from "./rollouts";
import type { ClusterEntry } from "./store";
import type { WriteGate } from "./writes";

/** The resource a write addresses, as kubernetes.ts resolved it from the path. */
export interface KubeWriteTarget {
  group: string;
  version: string;
  /** Plural resource name ("deployments"). */
  resource: string;
  kind: string;
  namespaced: boolean;
  namespace?: string;
  name: string;
}

/** Kinds the emulator lets clients change: what a workload-identity migration touches. */
// AzureIdentity(Binding) apply lets an undo recreate a deleted binding.
const APPLY_KINDS = new Set(["ServiceAccount", "Deployment", "StatefulSet", "DaemonSet", "AzureIdentity", "AzureIdentityBinding"]);
const DELETE_KINDS = new Set(["ServiceAccount", "Deployment", "StatefulSet", "DaemonSet", "AzureIdentity", "AzureIdentityBinding"]);
/** Namespaces every cluster has even when the tenant file lists none. */
const BUILTIN_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
const APPLY_PATCH = "application/apply-patch+yaml";
const POD_TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

function status(code: number, reason: string, message: string, details?: Record<string, unknown>): HttpError {
  return new HttpError(code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code });
}

function gvOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** The AKS data action (Azure RBAC for Kubernetes) a write needs. */
function dataAction(t: KubeWriteTarget, verb: "write" | "delete"): string {
  return `Microsoft.ContainerService/managedClusters/${t.group ? `${t.group}/` : ""}${t.resource}/${verb}`;
}

function sameObject(o: KubeWireObject, t: KubeWriteTarget): boolean {
  return o.kind === t.kind && o.apiVersion === gvOf(t) && o.metadata.name === t.name && (!t.namespaced || (o.metadata.namespace ?? "default") === t.namespace);
}

/** Every write and delete moves the cluster's revision on, as etcd's does. */
function nextResourceVersion(cluster: ClusterEntry): string {
  cluster.revision += 1;
  return String(cluster.revision);
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Leaf field paths of an applied configuration. Maps are walked; lists and scalars are
 * leaves (the emulator treats every list as atomic; the kinds it accepts are applied
 * without lists). Identity fields (apiVersion, kind, metadata.name/namespace) are not owned.
 */
function leafPaths(o: Json, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(o)) {
    const path = [...prefix, k];
    if (prefix.length === 0 && (k === "apiVersion" || k === "kind")) continue;
    if (prefix.length === 1 && prefix[0] === "metadata" && (k === "name" || k === "namespace" || k === "managedFields")) continue;
    if (isMap(v) && Object.keys(v).length > 0) out.push(...leafPaths(v, path));
    else out.push(path);
  }
  return out;
}

/** FieldsV1 (`{"f:metadata":{"f:labels":{"f:app":{}}}}`) of a set of paths, as managedFields records it. */
function toFieldsV1(paths: string[][]): Json {
  const root: Json = {};
  for (const p of paths) {
    let node = root;
    for (const k of p) node = (node[`f:${k}`] ??= {}) as Json;
  }
  return root;
}

function fromFieldsV1(fields: unknown, prefix: string[] = []): string[][] {
  if (!isMap(fields)) return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (!k.startsWith("f:")) continue;
    const path = [...prefix, k.slice(2)];
    if (isMap(v) && Object.keys(v).some((x) => x.startsWith("f:"))) out.push(...fromFieldsV1(v, path));
    else out.push(path);
  }
  return out;
}

const keyOf = (p: string[]) => JSON.stringify(p);

function getPath(o: Json, p: string[]): unknown {
  let cur: unknown = o;
  for (const k of p) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(o: Json, p: string[], value: unknown): void {
  let cur = o;
  for (const k of p.slice(0, -1)) {
    if (!isMap(cur[k])) cur[k] = {};
    cur = cur[k] as Json;
  }
  cur[p[p.length - 1]!] = structuredClone(value);
}

/** Removes a leaf and then any map it leaves empty. */
function deletePath(o: Json, p: string[]): void {
  const parents: Json[] = [o];
  let cur = o;
  for (const k of p.slice(0, -1)) {
    if (!isMap(cur[k])) return;
    cur = cur[k] as Json;
    parents.push(cur);
  }
  delete cur[p[p.length - 1]!];
  for (let i = p.length - 2; i >= 0; i--) {
    const child = parents[i + 1]!;
    if (Object.keys(child).length === 0) delete parents[i]![p[i]!];
    else break;
  }
}

interface ManagedEntry {
  manager: string;
  operation: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Json;
}

/**
 * Server-side apply, the parts a field manager relies on: fields the manager applied before
 * and now leaves out are removed (unless another manager also set them), fields another
 * applier owns with a different value conflict (409) unless `force=true`, which takes them
 * over. Objects from the tenant file carry no managedFields, so their fields conflict with
 * nobody, as if they were created with plain updates.
 */
function serverSideApply(existing: KubeWireObject | undefined, config: Json, manager: string, force: boolean, apiVersion: string): KubeWireObject {
  const base: Json = existing ? structuredClone(existing) : { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
  const meta = base.metadata as Json;
  const entries = ((meta.managedFields as ManagedEntry[] | undefined) ?? []).map((e) => ({ ...e }));
  const applied = leafPaths(config);
  const appliedKeys = new Set(applied.map(keyOf));
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply");
  const others = entries.filter((e) => e !== mine);

  const conflicts: string[] = [];
  for (const other of others) {
    const owned = fromFieldsV1(other.fieldsV1);
    const lost: string[][] = [];
    for (const p of owned) {
      if (!appliedKeys.has(keyOf(p))) continue;
      if (JSON.stringify(getPath(base, p)) === JSON.stringify(getPath(config, p))) continue;
      if (!force) conflicts.push(`conflict with "${other.manager}": .${p.join(".")}`);
      else lost.push(p);
    }
    if (force && lost.length > 0) {
      const lostKeys = new Set(lost.map(keyOf));
      other.fieldsV1 = toFieldsV1(owned.filter((p) => !lostKeys.has(keyOf(p))));
    }
  }
  if (conflicts.length > 0) {
    throw status(409, "Conflict", `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? "s" : ""}: ${conflicts.join("; ")}`, { causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: c })) });
  }

  // Fields this manager owned and no longer applies are removed, unless someone else owns them too.
  const otherOwned = new Set(others.flatMap((e) => fromFieldsV1(e.fieldsV1)).map(keyOf));
  for (const p of mine ? fromFieldsV1(mine.fieldsV1) : []) {
    if (!appliedKeys.has(keyOf(p)) && !otherOwned.has(keyOf(p))) deletePath(base, p);
  }
  for (const p of applied) setPath(base, p, getPath(config, p));

  const time = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const entry: ManagedEntry = { manager, operation: "Apply", apiVersion, time, fieldsType: "FieldsV1", fieldsV1: toFieldsV1(applied) };
  const nextEntries = [...others.filter((e) => fromFieldsV1(e.fieldsV1).length > 0), entry];
  (base.metadata as Json).managedFields = nextEntries;
  return base as KubeWireObject;
}

function namespaceExists(cluster: ClusterEntry, ns: string): boolean {
  return BUILTIN_NAMESPACES.has(ns) || cluster.objects.some((o) => o.kind === "Namespace" && o.metadata.name === ns);
}

/**
 * `PATCH` with `Content-Type: application/apply-patch+yaml` (server-side apply, `fieldManager`
 * required, `force` optional) for ServiceAccounts and pod controllers, and `DELETE` of those
 * and of the aad-pod-identity AzureIdentity / AzureIdentityBinding. Changes mutate the
 * cluster's objects, so the next list sees them.
 */
export async function handleKubernetesWrite(ctx: RequestContext, cluster: ClusterEntry, deps: { writes: WriteGate; rollouts: RolloutController }, t: KubeWriteTarget): Promise<void> {
  const { writes, rollouts } = deps;
  const what = `${t.resource}${t.group ? `.${t.group}` : ""}`;
  if (ctx.method === "PATCH") {
    if (!APPLY_KINDS.has(t.kind)) throw status(405, "MethodNotAllowed", `the emulator does not accept writes to ${what}`);
    const type = (ctx.req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== APPLY_PATCH) {
      throw status(415, "UnsupportedMediaType", `the emulator accepts only server-side apply (${APPLY_PATCH}) patches, not "${type || "(none)"}"`);
    }
    const manager = ctx.url.searchParams.get("fieldManager");
    writes.begin(ctx, { api: "k8s", action: dataAction(t, "write"), scope: cluster.id });
    if (!manager) throw status(422, "Invalid", `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`);
    let config: unknown;
    try {
      config = parseYaml(await ctx.readBody());
    } catch (e) {
      throw status(400, "BadRequest", `error decoding YAML: ${(e as Error).message}`);
    }
    if (!isMap(config)) throw status(400, "BadRequest", "the apply patch must be a YAML or JSON object");
    const meta = (config.metadata ?? {}) as Json;
    if (config.apiVersion !== gvOf(t) || config.kind !== t.kind) {
      throw status(400, "BadRequest", `the apply patch is ${String(config.apiVersion)}/${String(config.kind)} but the URL addresses ${gvOf(t)} ${t.kind}`);
    }
    if (meta.name !== t.name) throw status(400, "BadRequest", `the name of the object (${String(meta.name)}) does not match the name on the URL (${t.name})`);
    if (t.namespaced && meta.namespace !== undefined && meta.namespace !== t.namespace) {
      throw status(400, "BadRequest", `the namespace of the object (${String(meta.namespace)}) does not match the namespace on the request (${t.namespace})`);
    }
    if (t.namespaced && !namespaceExists(cluster, t.namespace!)) throw status(404, "NotFound", `namespaces "${t.namespace}" not found`, { name: t.namespace, kind: "namespaces" });
    const force = ctx.url.searchParams.get("force") === "true";
    const existing = cluster.objects.find((o) => sameObject(o, t));
    const next = serverSideApply(existing, config, manager, force, gvOf(t));
    const rvCounter = () => nextResourceVersion(cluster);
    next.metadata.namespace = t.namespaced ? t.namespace : undefined;
    next.metadata.name = t.name;
    if (!t.namespaced) delete next.metadata.namespace;
    next.metadata.uid ??= randomUUID();
    next.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    next.metadata.resourceVersion = rvCounter();
    const templateChanged = POD_TEMPLATE_KINDS.has(t.kind) && existing && JSON.stringify((existing.spec as Json | undefined)?.template) !== JSON.stringify((next.spec as Json | undefined)?.template);
    if (existing && JSON.stringify(existing.spec) !== JSON.stringify(next.spec)) {
      next.metadata.generation = (Number(existing.metadata.generation) || 1) + 1;
      // The controller reports on the new generation from now on (rollouts.ts), not the tenant file's status.
      delete next.status;
    }
    if (!existing && POD_TEMPLATE_KINDS.has(t.kind)) next.metadata.generation = 1;
    if (existing) cluster.objects[cluster.objects.indexOf(existing)] = next;
    else cluster.objects.push(next);
    if (templateChanged) rollouts.start(cluster, next, (existing.spec as Json | undefined)?.template, rvCounter);
    return sendJson(ctx.res, existing ? 200 : 201, rollouts.withStatus(cluster, next));
  }
  if (ctx.method === "DELETE") {
    if (!DELETE_KINDS.has(t.kind)) throw status(405, "MethodNotAllowed", `the emulator does not accept deletes of ${what}`);
    writes.begin(ctx, { api: "k8s", action: dataAction(t, "delete"), scope: cluster.id });
    const existing = cluster.objects.find((o) => sameObject(o, t));
    if (!existing) throw status(404, "NotFound", `${what} "${t.name}" not found`, { name: t.name, group: t.group, kind: t.resource });
    cluster.objects = cluster.objects.filter((o) => o !== existing);
    nextResourceVersion(cluster);
    if (POD_TEMPLATE_KINDS.has(t.kind)) {
      rollouts.forget(cluster, existing);
      // Garbage collection: the controller's ReplicaSets and pods go with it.
      const ns = t.namespace ?? "default";
      const doomed = new Set<string>([`${t.kind}/${t.name}`]);
      let changed = true;
      while (changed) {
        changed = false;
        for (const o of cluster.objects) {
          if ((o.metadata.namespace ?? "default") !== ns || doomed.has(`${o.kind}/${o.metadata.name}`)) continue;
          const refs = (o.metadata.ownerReferences ?? []) as { kind?: string; name?: string }[];
          if (refs.some((r) => doomed.has(`${r.kind}/${r.name}`))) {
            doomed.add(`${o.kind}/${o.metadata.name}`);
            changed = true;
          }
        }
      }
      cluster.objects = cluster.objects.filter((o) => (o.metadata.namespace ?? "default") !== ns || !doomed.has(`${o.kind}/${o.metadata.name}`));
    }
    return sendJson(ctx.res, 200, existing);
  }
  throw status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}
