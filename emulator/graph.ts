import { HttpError, sendJson, type RequestContext } from "./http";
import type { TenantStore } from "./store";

function graphError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": crypto.randomUUID() } } });
}

const TYPE_NAMES: Record<string, string> = {
  serviceprincipal: "#microsoft.graph.servicePrincipal",
  group: "#microsoft.graph.group",
  user: "#microsoft.graph.user",
  application: "#microsoft.graph.application",
  device: "#microsoft.graph.device",
};

function withType(p: Record<string, unknown>): Record<string, unknown> {
  return { "@odata.type": "#microsoft.graph.servicePrincipal", ...p };
}

/**
 * Microsoft Graph v1.0: `POST /v1.0/directoryObjects/getByIds` and `GET /v1.0/{servicePrincipals|groups|users|directoryObjects}/{id}`.
 * Ids that do not exist are left out of getByIds, as Graph does.
 */
export async function handleGraph(ctx: RequestContext, store: TenantStore): Promise<void> {
  const { lower, segments } = ctx;
  const version = segments[0]!;
  if (lower[1] === "directoryobjects" && lower[2] === "getbyids" && lower.length === 3) {
    ctx.count("graph:getByIds");
    if (ctx.method !== "POST") throw graphError(405, "Request_BadRequest", `Specified HTTP method is not allowed for the request target.`);
    let body: { ids?: unknown; types?: unknown };
    try {
      body = JSON.parse(await ctx.readBody()) as typeof body;
    } catch {
      throw graphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }
    if (!Array.isArray(body.ids) || body.ids.some((i) => typeof i !== "string")) throw graphError(400, "Request_BadRequest", "Invalid value specified for property 'ids' of resource 'DirectoryObject'.");
    if (body.ids.length > 1000) throw graphError(400, "Request_BadRequest", "Too many ids: the request may contain at most 1000 ids.");
    let types: string[] | undefined;
    if (body.types !== undefined) {
      if (!Array.isArray(body.types) || body.types.some((t) => typeof t !== "string" || !TYPE_NAMES[t.toLowerCase()])) {
        throw graphError(400, "Request_BadRequest", `Invalid value specified for property 'types': ${JSON.stringify(body.types)}.`);
      }
      types = (body.types as string[]).map((t) => TYPE_NAMES[t.toLowerCase()]!);
    }
    // Objects of other tenants (a role assignment's ForeignGroup) are not in this directory.
    const value = (body.ids as string[])
      .filter((id) => !store.foreignPrincipals.has(id.toLowerCase()))
      .map((id) => store.principals.get(id.toLowerCase()))
      .filter((p): p is NonNullable<typeof p> => p !== undefined)
      .map(withType)
      .filter((p) => !types || types.includes(String(p["@odata.type"])));
    sendJson(ctx.res, 200, { "@odata.context": `${ctx.baseUrl}/${version}/$metadata#directoryObjects`, value });
    return;
  }
  const collections: Record<string, string | undefined> = {
    directoryobjects: undefined,
    serviceprincipals: "#microsoft.graph.servicePrincipal",
    groups: "#microsoft.graph.group",
    users: "#microsoft.graph.user",
  };
  if (lower.length === 3 && lower[1]! in collections) {
    ctx.count("graph:get");
    if (ctx.method !== "GET") throw graphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
    const p = store.foreignPrincipals.has(lower[2]!) ? undefined : store.principals.get(lower[2]!);
    const wanted = collections[lower[1]!];
    if (!p || (wanted && withType(p)["@odata.type"] !== wanted)) {
      throw graphError(404, "Request_ResourceNotFound", `Resource '${segments[2]}' does not exist or one of its queried reference-property objects are not present.`);
    }
    sendJson(ctx.res, 200, { "@odata.context": `${ctx.baseUrl}/${version}/$metadata#directoryObjects/$entity`, ...withType(p) });
    return;
  }
  ctx.count("graph:error");
  throw graphError(400, "BadRequest", `Resource not found for the segment '${segments[1] ?? ""}'.`);
}
