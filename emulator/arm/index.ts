import { authorizeArmRead } from "../access";
import { armError, queryParam, type RequestContext } from "../http";
import type { ArmWireObject } from "@/lib/model/wire";
import { deleteRoleAssignment, getRoleAssignment, getRoleDefinition, listRoleAssignments, listRoleDefinitions, putRoleAssignment } from "./authorization";
import { methodNotAllowed, resourceGroupNotFound, subscriptionNotFound, type ArmDeps } from "./common";
import { serveClusterCredential, serveClusterExtensions } from "./container-service";
import { serveResourceGraph } from "./resource-graph";
import { serveResourceWrite } from "./writes";
import {
  getResourceGroup,
  getSubscription,
  listByType,
  listGenericResources,
  listManagementGroups,
  listResourceGroups,
  listSubscriptions,
  listTenants,
  serveResourcePath,
} from "./resources";

export type { ArmDeps } from "./common";

/** Index of `providers/Microsoft.Authorization/{roleAssignments|roleDefinitions}` in the path, if any. */
function authorizationIndex(lower: string[]): number {
  for (let i = 0; i + 2 < lower.length; i++) {
    if (lower[i] === "providers" && lower[i + 1] === "microsoft.authorization" && (lower[i + 2] === "roleassignments" || lower[i + 2] === "roledefinitions")) {
      return i;
    }
  }
  return -1;
}

/**
 * Azure Resource Manager. Paths match case-insensitively, as ARM's do; every request needs
 * `api-version` (any value is accepted: the emulator serves one shape per resource type).
 */
export async function handleArm(ctx: RequestContext, deps: ArmDeps): Promise<void> {
  const { lower, segments } = ctx;
  if (!queryParam(ctx.url, "api-version")) {
    ctx.count("arm:error");
    throw armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  const store = deps.store;
  // A user's token reads only where their role assignments allow (403 AuthorizationFailed otherwise).
  authorizeArmRead(ctx, store);

  const auth = authorizationIndex(lower);
  if (auth >= 0) {
    const scope = auth === 0 ? "/" : "/" + segments.slice(0, auth).join("/");
    checkScopeExists(ctx, deps, auth);
    const kind = lower[auth + 2];
    const rest = segments.slice(auth + 3);
    if (rest.length > 1) throw notFound(ctx);
    if (kind === "roleassignments" && rest.length === 1 && ctx.method === "PUT") return putRoleAssignment(ctx, deps, scope, rest[0]!);
    if (kind === "roleassignments" && rest.length === 1 && ctx.method === "DELETE") return deleteRoleAssignment(ctx, deps, scope, rest[0]!);
    if (kind === "roleassignments") return rest.length === 0 ? listRoleAssignments(ctx, deps, scope) : getRoleAssignment(ctx, deps, scope, rest[0]!);
    return rest.length === 0 ? listRoleDefinitions(ctx, deps, scope) : getRoleDefinition(ctx, deps, scope, rest[0]!);
  }

  if (lower.length === 3 && lower[0] === "providers" && lower[1] === "microsoft.resourcegraph" && lower[2] === "resources") {
    return serveResourceGraph(ctx, deps);
  }
  if (lower.length === 1 && lower[0] === "subscriptions") return listSubscriptions(ctx, deps);
  if (lower.length === 1 && lower[0] === "tenants") return listTenants(ctx, deps);
  if (lower[0] === "providers" && lower[1] === "microsoft.management" && lower[2] === "managementgroups" && lower.length <= 4) {
    return listManagementGroups(ctx, deps, segments[3]);
  }
  if (lower[0] !== "subscriptions" || !segments[1]) throw notFound(ctx);

  const sub = store.subscription(segments[1]);
  if (!sub) {
    ctx.count("arm:subscriptions");
    throw subscriptionNotFound(segments[1]);
  }
  const subId = `/subscriptions/${sub.subscriptionId}`;
  if (lower.length === 2) return getSubscription(ctx, deps, sub as ArmWireObject & { subscriptionId: string });
  if (lower[2] === "resources" && lower.length === 3) return listGenericResources(ctx, deps, subId);
  if (lower[2] === "providers") {
    if (lower.length === 5) return listByType(ctx, deps, subId, `${segments[3]}/${segments[4]}`);
    throw notFound(ctx);
  }
  if (lower[2] !== "resourcegroups") throw notFound(ctx);
  if (lower.length === 3) return listResourceGroups(ctx, deps, sub.subscriptionId);

  const rgName = segments[3]!;
  const rg = store.resourceGroup(sub.subscriptionId, rgName);
  if (!rg) {
    ctx.count("arm:resourceGroups");
    throw resourceGroupNotFound(rgName);
  }
  if (lower.length === 4) return getResourceGroup(ctx, rg);
  if (lower[4] === "resources" && lower.length === 5) return listGenericResources(ctx, deps, rg.id);
  if (lower[4] !== "providers" || lower.length < 7) throw notFound(ctx);
  if (lower.length === 7) return listByType(ctx, deps, rg.id, `${segments[5]}/${segments[6]}`);

  // A resource, a child collection, or a POST action on a resource (odd tail ending in the action name).
  const tail = lower.slice(6);
  if (lower[5] === "microsoft.containerservice" && lower[6] === "managedclusters" && lower[8] === "providers" && lower[9] === "microsoft.kubernetesconfiguration" && lower[10] === "extensions" && lower.length <= 12) {
    return serveClusterExtensions(ctx, deps, 8);
  }
  if (ctx.method === "POST" && tail.length % 2 === 1 && lower[5] === "microsoft.containerservice" && lower[6] === "managedclusters" && tail.length === 3) {
    return serveClusterCredential(ctx, deps, segments[segments.length - 1]!);
  }
  if (ctx.method === "PUT" || ctx.method === "DELETE") return serveResourceWrite(ctx, deps, rg.id, rg.name ?? rgName);
  if (ctx.method !== "GET") throw methodNotAllowed(ctx);
  return serveResourcePath(ctx, deps, rg.name ?? rgName);
}

function checkScopeExists(ctx: RequestContext, deps: ArmDeps, auth: number): void {
  const { segments, lower } = ctx;
  if (auth >= 2 && lower[0] === "subscriptions") {
    const sub = deps.store.subscription(segments[1]!);
    if (!sub) throw subscriptionNotFound(segments[1]!);
    if (auth >= 4 && lower[2] === "resourcegroups" && !deps.store.resourceGroup(sub.subscriptionId, segments[3]!)) {
      throw resourceGroupNotFound(segments[3]!);
    }
  }
}

function notFound(ctx: RequestContext) {
  ctx.count("arm:error");
  return armError(404, "NotFound", `No HTTP resource was found that matches the request URI '${ctx.url.pathname}'.`);
}
