import { randomUUID } from "node:crypto";
import { sendJson, type RequestContext } from "./http";
import type { TenantStore } from "./store";
import { graphError, type WriteGate } from "./writes";

/** Graph allows at most 20 federated identity credentials per application. */
const MAX_PER_APP = 20;

interface StoredCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

/**
 * Federated identity credentials of app registrations, in memory per appId (lower-cased).
 * Tenant files hold service principals, not applications: an application exists here when a
 * service principal with its appId does.
 */
export class AppCredentialStore {
  private readonly byApp = new Map<string, StoredCredential[]>();
  /** When each credential (by id) was first stored, ms since epoch: Entra sees new credentials after a delay. */
  private readonly written = new Map<string, number>();
  list(appId: string): StoredCredential[] {
    return this.byApp.get(appId.toLowerCase()) ?? [];
  }
  set(appId: string, credentials: StoredCredential[]): void {
    for (const c of credentials) if (!this.written.has(c.id)) this.written.set(c.id, Date.now());
    this.byApp.set(appId.toLowerCase(), credentials);
  }
  writtenAt(id: string): number | undefined {
    return this.written.get(id);
  }
}

const APP_BY_APPID = /^applications\(appid='([^']+)'\)$/;

/**
 * Microsoft Graph v1.0 `applications(appId='{appId}')/federatedIdentityCredentials`: GET (list),
 * POST (create → 201), GET/DELETE `/{id or name}` (→ 200 / 204). Writes go through the write
 * gate (authorization, counting, injected faults). Returns false for any other Graph path.
 */
export async function handleGraphWrites(ctx: RequestContext, deps: { store: TenantStore; writes: WriteGate; credentials: AppCredentialStore }): Promise<boolean> {
  const { lower, segments } = ctx;
  const m = APP_BY_APPID.exec(lower[1] ?? "");
  if (!m || lower[2] !== "federatedidentitycredentials" || lower.length > 4) return false;
  const version = segments[0]!;
  const appId = m[1]!;
  ctx.count("graph:federatedIdentityCredentials");
  const exists = [...deps.store.principals.values()].some((p) => String(p.appId ?? "").toLowerCase() === appId);
  if (!exists) throw graphError(404, "Request_ResourceNotFound", `Resource '${appId}' does not exist or one of its queried reference-property objects are not present.`);
  const all = deps.credentials.list(appId);
  const context = `${ctx.baseUrl}/${version}/$metadata#applications('${appId}')/federatedIdentityCredentials`;
  const key = lower[3];
  if (key === undefined) {
    if (ctx.method === "GET") {
      sendJson(ctx.res, 200, { "@odata.context": context, value: all });
      return true;
    }
    if (ctx.method !== "POST") throw graphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
    const body = await readCredential(ctx);
    deps.writes.begin(ctx, { api: "graph", action: "microsoft.directory/applications/credentials/update", scope: `/applications(appId='${appId}')` });
    if (all.some((c) => c.name.toLowerCase() === body.name.toLowerCase())) {
      throw graphError(409, "Request_MultipleObjectsWithSameKeyValue", `FederatedIdentityCredential with name ${body.name} already exists.`);
    }
    if (all.some((c) => c.issuer === body.issuer && c.subject === body.subject)) {
      throw graphError(409, "Request_MultipleObjectsWithSameKeyValue", `FederatedIdentityCredential with the same issuer and subject already exists.`);
    }
    if (all.length >= MAX_PER_APP) throw graphError(400, "Request_BadRequest", `An application can have at most ${MAX_PER_APP} federated identity credentials.`);
    const created: StoredCredential = { id: randomUUID(), ...body };
    deps.credentials.set(appId, [...all, created]);
    sendJson(ctx.res, 201, { "@odata.context": `${context}/$entity`, ...created });
    return true;
  }
  // Graph takes the credential's id or its name as the key.
  const found = all.find((c) => c.id.toLowerCase() === key || c.name.toLowerCase() === key);
  if (ctx.method === "GET") {
    if (!found) throw graphError(404, "Request_ResourceNotFound", `Resource '${segments[3]}' does not exist or one of its queried reference-property objects are not present.`);
    sendJson(ctx.res, 200, { "@odata.context": `${context}/$entity`, ...found });
    return true;
  }
  if (ctx.method !== "DELETE") throw graphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
  deps.writes.begin(ctx, { api: "graph", action: "microsoft.directory/applications/credentials/update", scope: `/applications(appId='${appId}')` });
  if (!found) throw graphError(404, "Request_ResourceNotFound", `Resource '${segments[3]}' does not exist or one of its queried reference-property objects are not present.`);
  deps.credentials.set(
    appId,
    all.filter((c) => c !== found),
  );
  ctx.res.writeHead(204).end();
  return true;
}

/** The POST body, validated as Graph does: a name, an https issuer, a subject and one audience. */
async function readCredential(ctx: RequestContext): Promise<Omit<StoredCredential, "id">> {
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(await ctx.readBody());
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed as Record<string, unknown>;
  } catch {
    throw graphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }
  const bad = (property: string, why: string) => graphError(400, "Request_BadRequest", `Invalid value specified for property '${property}' of resource 'FederatedIdentityCredential': ${why}.`);
  const { name, issuer, subject, audiences, description } = body;
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/.test(name)) throw bad("name", "3 to 120 letters, digits, '-' or '_', starting with a letter or digit");
  if (typeof issuer !== "string" || !/^https:\/\/[^\s/]+/.test(issuer)) throw bad("issuer", "an https URL is required");
  if (typeof subject !== "string" || subject.trim() === "" || subject.length > 600) throw bad("subject", "a non-empty string of at most 600 characters is required");
  if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== "string" || audiences[0] === "") throw bad("audiences", "exactly one audience is required");
  if (description !== undefined && description !== null && typeof description !== "string") throw bad("description", "a string is required");
  return { name, issuer, subject, audiences: [audiences[0]], description: typeof description === "string" ? description : null };
}
