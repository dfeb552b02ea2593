import { normalizeId } from "@/lib/model/scope";
import { armError, sendJson, type RequestContext } from "../http";
import { requireGet, resourceNotFound, sendArmList, type ArmDeps } from "./common";

const ACTIONS: Record<string, "user" | "admin"> = {
  listclusterusercredential: "user",
  listclusteradmincredential: "admin",
  listclustermonitoringusercredential: "user",
};

/**
 * `POST {clusterId}/listClusterUserCredential` (and the admin / monitoring variants): a kubeconfig
 * pointing at the emulator's Kubernetes endpoint for the cluster, base64 encoded, as AKS returns it.
 */
export async function serveClusterCredential(ctx: RequestContext, deps: ArmDeps, action: string): Promise<void> {
  ctx.count("arm:managedClusters");
  const kind = ACTIONS[action.toLowerCase()];
  if (!kind) throw armError(404, "NotFound", `The action '${action}' is not supported for managed clusters.`);
  if (ctx.method !== "POST") throw armError(405, "MethodNotAllowed", `The requested resource does not support http method '${ctx.method}'.`);
  const clusterId = "/" + ctx.segments.slice(0, -1).join("/");
  const cluster = deps.store.clustersById.get(normalizeId(clusterId));
  if (!cluster) throw resourceNotFound("Microsoft.ContainerService/managedClusters", ctx.segments[7] ?? "", ctx.segments[3] ?? "");
  // AKS refuses local accounts when they are disabled: admin credentials are then unavailable.
  if (kind === "admin" && cluster.resource.properties?.disableLocalAccounts === true) {
    throw armError(400, "BadRequest", "Getting static credential is not allowed because this cluster is set to disable local accounts.");
  }
  const yaml = await deps.clusterKubeconfig(cluster, kind);
  sendJson(ctx.res, 200, {
    kubeconfigs: [{ name: kind === "admin" ? "clusterAdmin" : "clusterUser", value: Buffer.from(yaml, "utf8").toString("base64") }],
  });
}

/**
 * Cluster extensions (Microsoft.KubernetesConfiguration, 2024-11-01): `GET {clusterId}/providers/
 * Microsoft.KubernetesConfiguration/extensions` lists them (paged, `nextLink`), `…/extensions/{name}`
 * gets one. `clusterSegments` is how many path segments name the cluster.
 */
export function serveClusterExtensions(ctx: RequestContext, deps: ArmDeps, clusterSegments: number): void {
  ctx.count("arm:clusterExtensions");
  requireGet(ctx);
  const clusterId = "/" + ctx.segments.slice(0, clusterSegments).join("/");
  if (!deps.store.clustersById.has(normalizeId(clusterId))) throw resourceNotFound("Microsoft.ContainerService/managedClusters", ctx.segments[clusterSegments - 1] ?? "", ctx.segments[3] ?? "");
  const prefix = `${normalizeId(clusterId)}/providers/microsoft.kubernetesconfiguration/extensions/`;
  const extensions = deps.store.tenant.resources.filter((r) => normalizeId(r.id).startsWith(prefix));
  const name = ctx.segments[clusterSegments + 3];
  if (name === undefined) return sendArmList(ctx, extensions, deps.pageSize);
  const found = extensions.find((r) => normalizeId(r.id) === `${prefix}${name.toLowerCase()}`);
  if (!found) throw armError(404, "ResourceNotFound", `The Resource 'Microsoft.KubernetesConfiguration/extensions/${name}' under resource group '${ctx.segments[3] ?? ""}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
  sendJson(ctx.res, 200, found);
}
