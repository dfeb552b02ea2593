import { normalizeId } from "@/lib/model/scope";
import type { KubeWireObject } from "@/lib/model/wire";
import { requireToken } from "./auth";
import { decodeToken, encodeToken, paginate, sendJson, type RequestContext } from "./http";
import { apiGroup, groupVersion, resourceList, servedGroups, servedResource, servesGroupVersion, status, type KubeResource } from "./kubernetes-api";
import { authorizeKube, type KubeVerb } from "./kubernetes-rbac";
import { parseFieldSelector, parseLabelSelector } from "./kubernetes-selectors";
import { handleKubernetesWrite } from "./kubernetes-writes";
import type { RolloutController } from "./rollouts";
import type { ServiceAccountIssuer } from "./service-account-issuer";
import { handleTokenRequest } from "./token-request";
import type { ClusterEntry, TenantStore } from "./store";
import type { WriteGate } from "./writes";
import { AKS_AAD_SERVER_APP_ID, type TokenAuthority } from "./tokens";

function servedItem(o: KubeWireObject, r: KubeResource): Record<string, unknown> {
  if (r.crd) return o;
  // Built-in kinds: list items carry no apiVersion/kind, as the API server encodes them.
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

export interface KubernetesDeps {
  store: TenantStore;
  authority: TokenAuthority;
  pageSize: number;
  failClusters: Set<string>;
  writes: WriteGate;
  issuer: ServiceAccountIssuer;
  rollouts: RolloutController;
}

/**
 * One API server per managed cluster under `/k8s/<clusterKey>`: discovery documents (every
 * authenticated user may read them, as Kubernetes' system:discovery role allows) and get/list of
 * the kinds in RESOURCES, with limit/continue paging and label/field selectors. Every resource
 * request is authorized first (kubernetes-rbac.ts), then resolved: a CRD that is not installed
 * answers 403 to a user without rights and 404 to one with rights, as an API server does.
 */
export async function handleKubernetes(ctx: RequestContext, deps: KubernetesDeps): Promise<void> {
  const key = ctx.segments[1] ?? "";
  const cluster = deps.store.clustersByKey.get(key);
  if (!cluster) {
    ctx.count("k8s:error");
    throw status(404, "NotFound", `no cluster is served at /k8s/${key}`);
  }
  if (deps.failClusters.has(normalizeId(cluster.id))) {
    ctx.count("k8s:error");
    throw status(500, "InternalError", "Internal error occurred: the API server is unavailable (fault injected by the emulator)");
  }
  const audiences = [cluster.id, ...(cluster.aad ? [AKS_AAD_SERVER_APP_ID] : [])];
  try {
    ctx.claims = await requireToken(ctx, deps.authority, audiences, "k8s");
  } catch (e) {
    ctx.count("k8s:unauthorized");
    throw e;
  }
  const seg = ctx.segments.slice(2);
  // Rollouts move on between requests, not inside a paged list: its continue token holds one revision.
  if (!ctx.url.searchParams.has("continue")) deps.rollouts.advance(cluster);
  // The one create the emulator serves: TokenRequest, the serviceaccounts/token subresource.
  if (ctx.method === "POST" && seg.length === 7 && seg[0] === "api" && seg[1] === "v1" && seg[2] === "namespaces" && seg[4] === "serviceaccounts" && seg[6] === "token") {
    return handleTokenRequest(ctx, deps, cluster, seg[3]!, seg[5]!);
  }
  const writing = ctx.method === "PATCH" || ctx.method === "DELETE";
  if (ctx.method !== "GET" && !writing) throw status(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);

  if (seg.length === 1 && seg[0] === "version") {
    ctx.count("k8s:version");
    const v = String(cluster.resource.properties?.currentKubernetesVersion ?? cluster.resource.properties?.kubernetesVersion ?? "1.30.0");
    const [major, minor] = v.split(".");
    return sendJson(ctx.res, 200, { major, minor, gitVersion: `v${v}`, gitCommit: "", gitTreeState: "clean", buildDate: "2024-01-01T00:00:00Z", goVersion: "go1.22.0", compiler: "gc", platform: "linux/amd64" });
  }
  if (seg.length === 1 && seg[0] === "api") {
    ctx.count("k8s:discovery");
    return sendJson(ctx.res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: new URL(ctx.baseUrl).host }] });
  }
  if (seg.length === 1 && seg[0] === "apis") {
    ctx.count("k8s:discovery");
    return sendJson(ctx.res, 200, { kind: "APIGroupList", apiVersion: "v1", groups: servedGroups(cluster).map(apiGroup) });
  }
  if (seg.length === 2 && seg[0] === "api" && seg[1] === "v1") {
    ctx.count("k8s:discovery");
    return sendJson(ctx.res, 200, resourceList("v1"));
  }
  if (seg[0] === "apis" && seg.length <= 3 && seg.length >= 2) {
    ctx.count("k8s:discovery");
    if (!servesGroupVersion(cluster, seg[1]!, seg[2])) {
      throw status(404, "NotFound", "the server could not find the requested resource");
    }
    return sendJson(ctx.res, 200, seg.length === 2 ? { kind: "APIGroup", apiVersion: "v1", ...apiGroup(seg[1]!) } : resourceList(`${seg[1]}/${seg[2]}`));
  }

  let gv: { group: string; version: string } | undefined;
  let rest: string[] = [];
  if (seg[0] === "api" && seg[1] === "v1") {
    gv = { group: "", version: "v1" };
    rest = seg.slice(2);
  } else if (seg[0] === "apis" && seg.length >= 4) {
    gv = { group: seg[1]!, version: seg[2]! };
    rest = seg.slice(3);
  }
  if (!gv) {
    ctx.count("k8s:error");
    throw status(404, "NotFound", "the server could not find the requested resource");
  }
  let namespace: string | undefined;
  let resourceName: string | undefined;
  let name: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    resourceName = rest[2];
    name = rest[3];
    if (rest.length > 4) throw status(404, "NotFound", "the server could not find the requested resource");
  } else {
    resourceName = rest[0];
    name = rest[1];
    if (rest.length > 2) throw status(404, "NotFound", "the server could not find the requested resource");
  }
  const watching = ctx.url.searchParams.get("watch") === "true" || ctx.url.searchParams.get("watch") === "1";
  const verb: KubeVerb = ctx.method === "DELETE" ? "delete" : ctx.method === "PATCH" ? "patch" : name !== undefined ? "get" : watching ? "watch" : "list";
  if (resourceName) authorizeKube(ctx, deps.store, cluster, { verb, group: gv.group, resource: resourceName, namespace, name });
  const r = servedResource(cluster, gv.group, gv.version, resourceName);
  if (!r || (namespace !== undefined && !r.namespaced)) {
    ctx.count("k8s:error");
    throw status(404, "NotFound", "the server could not find the requested resource");
  }
  ctx.count(`k8s:${r.name}`);
  if (writing) {
    if (name === undefined || (r.namespaced && namespace === undefined)) throw status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    return handleKubernetesWrite(ctx, cluster, deps, { group: r.group, version: r.version, resource: r.name, kind: r.kind, namespaced: r.namespaced, namespace, name });
  }
  if (watching) throw status(405, "MethodNotAllowed", "watch is not supported by the emulator");
  const objects = objectsOf(cluster, r).map((o) => deps.rollouts.withStatus(cluster, o));
  if (name !== undefined) {
    const o = objects.find((x) => x.metadata.name === name && (!r.namespaced || (x.metadata.namespace ?? "default") === namespace));
    if (!o || (r.namespaced && namespace === undefined)) {
      throw status(404, "NotFound", `${r.name}${r.group ? `.${r.group}` : ""} "${name}" not found`, { name, group: r.group, kind: r.name });
    }
    return sendJson(ctx.res, 200, o);
  }
  let items = namespace === undefined ? objects : objects.filter((o) => (o.metadata.namespace ?? "default") === namespace);
  const labelSelector = ctx.url.searchParams.get("labelSelector");
  if (labelSelector) {
    const pred = parseLabelSelector(labelSelector);
    items = items.filter((o) => pred((o.metadata.labels ?? {}) as Record<string, string>));
  }
  const fieldSelector = ctx.url.searchParams.get("fieldSelector");
  if (fieldSelector) items = items.filter(parseFieldSelector(fieldSelector));
  return sendKubeList(ctx, cluster, r, items, deps.pageSize);
}

function objectsOf(cluster: ClusterEntry, r: KubeResource): KubeWireObject[] {
  const gv = groupVersion(r);
  return cluster.objects
    .filter((o) => o.kind === r.kind && o.apiVersion === gv)
    .map((o) => (r.namespaced && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace: "default" } } : o));
}

/** The cluster's resourceVersion (its revision): it moves only when the data does. */
function clusterResourceVersion(cluster: ClusterEntry): string {
  return String(cluster.revision);
}

function sendKubeList(ctx: RequestContext, cluster: ClusterEntry, r: KubeResource, items: KubeWireObject[], pageSize: number): void {
  const rv = clusterResourceVersion(cluster);
  const limitParam = ctx.url.searchParams.get("limit");
  const cont = ctx.url.searchParams.get("continue");
  let offset = 0;
  if (cont) {
    const decoded = decodeToken<{ o: number; rv: string }>(cont);
    if (!decoded || typeof decoded.o !== "number") throw status(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    if (decoded.rv !== rv) throw status(410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
    offset = decoded.o;
  }
  // The client's limit wins; without one the emulator still pages at its page size (so readers
  // must follow metadata.continue, as they must against any large cluster).
  let size = pageSize;
  if (limitParam !== null) {
    const n = Number(limitParam);
    if (!Number.isInteger(n) || n < 0) throw status(400, "BadRequest", `invalid limit "${limitParam}"`);
    if (n > 0) size = n;
  }
  const page = paginate(items, offset, size);
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  if (page.nextOffset !== undefined) {
    metadata.continue = encodeToken({ o: page.nextOffset, rv });
    metadata.remainingItemCount = items.length - page.nextOffset;
  }
  sendJson(ctx.res, 200, {
    kind: `${r.kind}List`,
    apiVersion: groupVersion(r),
    metadata,
    items: page.items.map((o) => servedItem(o, r)),
  });
}
