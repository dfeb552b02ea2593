import { randomUUID } from "node:crypto";
import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";
import { armError, sendJson, type RequestContext } from "../http";
import { methodNotAllowed, resourceNotFound, type ArmDeps } from "./common";

const IDENTITY_TYPE = "microsoft.managedidentity/userassignedidentities";
const FIC_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
/** Azure's limit of federated identity credentials per user-assigned identity. */
const FIC_LIMIT = 20;
/** Managed identity and federated credential names: 3-128 chars, letters, digits, '-' and '_', starting alphanumeric. */
const IDENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/;

async function readJson(ctx: RequestContext): Promise<Record<string, unknown>> {
  try {
    const body = JSON.parse(await ctx.readBody()) as unknown;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
    return body as Record<string, unknown>;
  } catch {
    throw armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
}

/**
 * PUT and DELETE under `/subscriptions/{s}/resourceGroups/{rg}/providers/…`: user-assigned
 * identities and their federated identity credentials. Everything else answers 405 as before.
 * Changes mutate the tenant the emulator serves, so the next scan sees them.
 */
export async function serveResourceWrite(ctx: RequestContext, deps: ArmDeps, rgId: string, rgName: string): Promise<void> {
  const segs = ctx.segments;
  const lower = ctx.lower;
  const tail = lower.slice(5); // namespace, type, name, [childType, childName]
  if (tail[0] === "microsoft.managedidentity" && tail[1] === "userassignedidentities") {
    if (tail.length === 3) {
      return ctx.method === "PUT" ? putIdentity(ctx, deps, rgId, segs[7]!) : deleteIdentity(ctx, deps, rgId, segs[7]!);
    }
    if (tail.length === 5 && tail[3] === "federatedidentitycredentials") {
      const identityId = "/" + segs.slice(0, 8).join("/");
      const identity = deps.store.resources.get(normalizeId(identityId));
      ctx.count("arm:federatedIdentityCredentials");
      if (!identity) throw resourceNotFound("Microsoft.ManagedIdentity/userAssignedIdentities", segs[7]!, rgName);
      return ctx.method === "PUT" ? putFederatedCredential(ctx, deps, identity, segs[9]!) : deleteFederatedCredential(ctx, deps, identity, segs[9]!);
    }
  }
  ctx.count("arm:error");
  throw methodNotAllowed(ctx);
}

function identityIdOf(rgId: string, name: string): string {
  return `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}

/**
 * `PUT …/userAssignedIdentities/{name}` (2023-01-31): creates the identity with a new
 * principal (service principal in the directory) and client id; a PUT of an existing one
 * updates location-independent fields (tags) and keeps its principal, as ARM does.
 */
async function putIdentity(ctx: RequestContext, deps: ArmDeps, rgId: string, name: string): Promise<void> {
  ctx.count("arm:userAssignedIdentities");
  const id = identityIdOf(rgId, name);
  deps.writes.begin(ctx, { api: "arm", action: "Microsoft.ManagedIdentity/userAssignedIdentities/write", scope: id });
  if (!IDENTITY_NAME.test(name)) {
    throw armError(400, "InvalidResourceName", `Resource name '${name}' is invalid. The name can contain only letters, numbers, underscores and hyphens, 3 to 128 characters, starting with a letter or number.`);
  }
  const body = await readJson(ctx);
  const location = body.location;
  if (typeof location !== "string" || !location.trim()) throw armError(400, "LocationRequired", "The location property is required for this definition.");
  const tags = body.tags && typeof body.tags === "object" ? (body.tags as Record<string, string>) : undefined;
  const existing = deps.store.resources.get(normalizeId(id));
  if (existing) {
    if (String(existing.location ?? "").toLowerCase().replace(/\s/g, "") !== location.toLowerCase().replace(/\s/g, "")) {
      throw armError(400, "InvalidResourceLocation", `The resource '${name}' already exists in location '${existing.location}' in resource group '${rgId.split("/").pop()}'. A resource with the same name cannot be created in location '${location}'.`);
    }
    if (tags) {
      const before = structuredClone(existing);
      existing.tags = tags;
      deps.store.changes.record({ targetResourceId: existing.id, before, after: existing, operation: "Microsoft.ManagedIdentity/userAssignedIdentities/write", clientType: "emulator" });
    }
    return sendJson(ctx.res, 200, existing);
  }
  const tenantId = deps.store.tenant.tenantId;
  const principalId = randomUUID();
  const clientId = randomUUID();
  const created: ArmWireObject = {
    id,
    name,
    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    location,
    ...(tags ? { tags } : {}),
    properties: { tenantId, principalId, clientId, isolationScope: "None" },
  };
  deps.store.resources.set(normalizeId(id), created);
  deps.store.tenant.resources.push(created);
  deps.store.changes.record({ targetResourceId: id, after: created, operation: "Microsoft.ManagedIdentity/userAssignedIdentities/write", clientType: "emulator" });
  // Azure creates the identity's service principal with it; role assignments can name it at once.
  const principal = { id: principalId, appId: clientId, displayName: name, servicePrincipalType: "ManagedIdentity", alternativeNames: ["isExplicit=True", id] };
  deps.store.principals.set(principalId, principal);
  deps.store.tenant.principals.push(principal);
  sendJson(ctx.res, 201, created);
}

/** `DELETE …/userAssignedIdentities/{name}`: removes it, its federated credentials and its principal; 204 when absent. */
function deleteIdentity(ctx: RequestContext, deps: ArmDeps, rgId: string, name: string): void {
  ctx.count("arm:userAssignedIdentities");
  const id = identityIdOf(rgId, name);
  deps.writes.begin(ctx, { api: "arm", action: "Microsoft.ManagedIdentity/userAssignedIdentities/delete", scope: id });
  const key = normalizeId(id);
  const existing = deps.store.resources.get(key);
  if (!existing || String(existing.type ?? "").toLowerCase() !== IDENTITY_TYPE) {
    ctx.res.writeHead(204).end();
    return;
  }
  deps.store.resources.delete(key);
  const list = deps.store.tenant.resources;
  list.splice(list.indexOf(existing), 1);
  for (const f of deps.store.federatedCredentials.get(key) ?? []) {
    deps.store.changes.record({ targetResourceId: f.id, before: f, operation: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete", clientType: "emulator" });
  }
  deps.store.changes.record({ targetResourceId: existing.id, before: existing, operation: "Microsoft.ManagedIdentity/userAssignedIdentities/delete", clientType: "emulator" });
  deps.store.federatedCredentials.delete(key);
  const fics = deps.store.tenant.federatedIdentityCredentials;
  if (fics) deps.store.tenant.federatedIdentityCredentials = fics.filter((f) => !normalizeId(f.id).startsWith(`${key}/`));
  const principalId = String((existing.properties as { principalId?: string } | undefined)?.principalId ?? "").toLowerCase();
  if (principalId) {
    deps.store.principals.delete(principalId);
    const principals = deps.store.tenant.principals;
    const i = principals.findIndex((p) => String(p.id).toLowerCase() === principalId);
    if (i >= 0) principals.splice(i, 1);
    // Role assignments of a deleted identity stay behind, orphaned, exactly as in Azure.
  }
  ctx.res.writeHead(200).end();
}

function ficProperties(body: Record<string, unknown>): { issuer: string; subject: string; audiences: string[] } {
  const p = (body.properties ?? {}) as Record<string, unknown>;
  const { issuer, subject, audiences } = p;
  if (typeof issuer !== "string" || !/^https:\/\/\S+$/.test(issuer)) {
    throw armError(400, "BadRequest", "The issuer of a federated identity credential must be an https URL (properties.issuer).");
  }
  if (typeof subject !== "string" || !subject.trim() || subject.length > 600) {
    throw armError(400, "BadRequest", "The subject of a federated identity credential is required and at most 600 characters (properties.subject).");
  }
  if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== "string" || !audiences[0]) {
    throw armError(400, "BadRequest", "A federated identity credential takes exactly one audience (properties.audiences).");
  }
  return { issuer, subject, audiences: [audiences[0]] };
}

/**
 * `PUT {identityId}/federatedIdentityCredentials/{name}` (2023-01-31): creates (201) or
 * replaces (200) the credential. Azure refuses a 21st credential on an identity and a second
 * credential with the same issuer and subject.
 */
async function putFederatedCredential(ctx: RequestContext, deps: ArmDeps, identity: ArmWireObject, name: string): Promise<void> {
  const id = `${identity.id}/federatedIdentityCredentials/${name}`;
  deps.writes.begin(ctx, { api: "arm", action: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write", scope: id });
  if (!IDENTITY_NAME.test(name)) {
    throw armError(400, "BadRequest", `Federated identity credential name '${name}' is invalid: 3 to 120 characters, letters, numbers, '-' and '_', starting with a letter or number.`);
  }
  const props = ficProperties(await readJson(ctx));
  const parent = normalizeId(identity.id);
  const list = deps.store.federatedCredentials.get(parent) ?? [];
  const existing = list.find((f) => normalizeId(f.id) === normalizeId(id));
  const clash = list.find((f) => f !== existing && (f.properties as { issuer?: string }).issuer === props.issuer && (f.properties as { subject?: string }).subject === props.subject);
  if (clash) {
    throw armError(409, "Conflict", `Federated identity credential '${clash.name}' on '${identity.name}' already has issuer '${props.issuer}' and subject '${props.subject}'.`);
  }
  if (existing) {
    const before = structuredClone(existing);
    existing.properties = { ...props };
    deps.store.changes.record({ targetResourceId: existing.id, before, after: existing, operation: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write", clientType: "emulator" });
    return sendJson(ctx.res, 200, existing);
  }
  if (list.length >= FIC_LIMIT) {
    throw armError(400, "BadRequest", `Too many federated identity credentials: '${identity.name}' already has ${FIC_LIMIT}, the maximum per user-assigned identity.`);
  }
  const created: ArmWireObject = { id, name, type: FIC_TYPE, properties: { ...props } };
  list.push(created);
  deps.store.federatedCredentials.set(parent, list);
  (deps.store.tenant.federatedIdentityCredentials ??= []).push(created);
  deps.store.changes.record({ targetResourceId: id, after: created, operation: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write", clientType: "emulator" });
  sendJson(ctx.res, 201, created);
}

/** `DELETE {identityId}/federatedIdentityCredentials/{name}`: 200 when it existed, 204 when not. */
function deleteFederatedCredential(ctx: RequestContext, deps: ArmDeps, identity: ArmWireObject, name: string): void {
  const id = `${identity.id}/federatedIdentityCredentials/${name}`;
  deps.writes.begin(ctx, { api: "arm", action: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete", scope: id });
  const parent = normalizeId(identity.id);
  const list = deps.store.federatedCredentials.get(parent) ?? [];
  const i = list.findIndex((f) => normalizeId(f.id) === normalizeId(id));
  if (i < 0) {
    ctx.res.writeHead(204).end();
    return;
  }
  const [removed] = list.splice(i, 1);
  if (removed) deps.store.changes.record({ targetResourceId: removed.id, before: removed, operation: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete", clientType: "emulator" });
  const all = deps.store.tenant.federatedIdentityCredentials;
  if (all && removed) {
    const j = all.indexOf(removed);
    if (j >= 0) all.splice(j, 1);
  }
  ctx.res.writeHead(200).end();
}
