import { armError, decodeToken, encodeToken, paginate, queryParam, sendJson, type RequestContext } from "../http";
import type { ClusterEntry, TenantStore } from "../store";
import type { WriteGate } from "../writes";

export interface ArmDeps {
  store: TenantStore;
  pageSize: number;
  /** A kubeconfig (YAML) for one cluster, as listClusterUserCredential / listClusterAdminCredential return it. */
  clusterKubeconfig(cluster: ClusterEntry, kind: "user" | "admin"): Promise<string>;
  /** Every PUT/DELETE passes through it: authorization and injected write failures. */
  writes: WriteGate;
}

const SKIP_KEYS = ["$skiptoken", "$skipToken", "skiptoken"];

/**
 * Sends one page of an ARM list: `{ value, nextLink? }`. The nextLink is absolute and keeps the
 * request's query (api-version, $filter, $top) with a `$skiptoken`, as ARM's does.
 */
export function sendArmList(ctx: RequestContext, items: readonly unknown[], pageSize: number): void {
  const token = queryParam(ctx.url, "$skiptoken");
  let offset = 0;
  if (token) {
    const decoded = decodeToken<{ o: number }>(token);
    if (!decoded || typeof decoded.o !== "number") throw armError(400, "InvalidSkipToken", `The skip token '${token}' is not valid.`);
    offset = decoded.o;
  }
  const page = paginate(items, offset, pageSize);
  const body: { value: unknown[]; nextLink?: string } = { value: page.items };
  if (page.nextOffset !== undefined) {
    const next = new URL(ctx.url.pathname + ctx.url.search, ctx.baseUrl);
    for (const k of [...next.searchParams.keys()]) if (SKIP_KEYS.includes(k) || k.toLowerCase() === "$skiptoken") next.searchParams.delete(k);
    next.searchParams.set("$skiptoken", encodeToken({ o: page.nextOffset }));
    body.nextLink = next.toString();
  }
  sendJson(ctx.res, 200, body);
}

/** `$top` when given (ARM caps a page at it), else the emulator's page size. */
export function pageSizeFor(ctx: RequestContext, fallback: number): number {
  const top = queryParam(ctx.url, "$top");
  if (top === undefined) return fallback;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1) throw armError(400, "InvalidParameter", `The value '${top}' of query parameter '$top' is not a positive integer.`);
  return Math.min(n, 1000);
}

export function requireGet(ctx: RequestContext): void {
  if (ctx.method !== "GET") throw methodNotAllowed(ctx);
}

export function methodNotAllowed(ctx: RequestContext) {
  return armError(405, "MethodNotAllowed", `The requested resource does not support http method '${ctx.method}'.`);
}

export function subscriptionNotFound(id: string) {
  return armError(404, "SubscriptionNotFound", `The subscription '${id}' could not be found.`);
}

export function resourceGroupNotFound(name: string) {
  return armError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
}

export function resourceNotFound(type: string, name: string, rg: string) {
  return armError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}
