import { randomUUID, timingSafeEqual } from "node:crypto";
import { HttpError, sendJson, type RequestContext } from "./http";
import { normalizeAudience, stableGuid, type TokenAuthority } from "./tokens";
import type { TenantStore } from "./store";

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  displayName?: string;
}

/** The object id of a client's service principal: stable per client id, as in a real directory. */
export function servicePrincipalObjectId(clientId: string): string {
  return stableGuid(`servicePrincipal:${clientId.toLowerCase()}`);
}

/** AAD's OAuth error body (error, error_description with an AADSTS code, error_codes, ids, timestamp). */
function aadError(status: number, error: string, aadsts: number, description: string): HttpError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  return new HttpError(status, {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface EntraDeps {
  store: TenantStore;
  authority: TokenAuthority;
  clients: EmulatorClient[];
}

/**
 * Entra ID (login.microsoftonline.com) endpoints MSAL and @azure/identity use:
 * OpenID metadata, JWKS, instance discovery and the v2 token endpoint.
 * Returns false when the path is not an Entra path.
 */
export async function handleEntra(ctx: RequestContext, deps: EntraDeps): Promise<boolean> {
  const { lower, method } = ctx;
  const tenantSegment = lower[0];
  if (!tenantSegment) return false;
  const tenantId = deps.store.tenant.tenantId.toLowerCase();
  const knownTenant = tenantSegment === tenantId || tenantSegment === "common" || tenantSegment === "organizations";
  const rest = lower.slice(1).join("/");
  const entraPaths = [
    "v2.0/.well-known/openid-configuration",
    ".well-known/openid-configuration",
    "discovery/v2.0/keys",
    "discovery/keys",
    "discovery/instance",
    "oauth2/v2.0/token",
    "oauth2/token",
  ];
  if (!entraPaths.includes(rest)) return false;
  if (!knownTenant) {
    ctx.count("entra:error");
    throw aadError(400, "invalid_request", 90002, `Tenant '${ctx.segments[0]}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  }
  const base = ctx.baseUrl;
  const t = deps.store.tenant.tenantId;

  if (rest === "v2.0/.well-known/openid-configuration" || rest === ".well-known/openid-configuration") {
    ctx.count("entra:metadata");
    if (method !== "GET") throw new HttpError(405, { error: "invalid_request", error_description: "Method not allowed" });
    const v2 = rest.startsWith("v2.0");
    const prefix = `${base}/${t}`;
    sendJson(ctx.res, 200, {
      token_endpoint: v2 ? `${prefix}/oauth2/v2.0/token` : `${prefix}/oauth2/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: v2 ? `${prefix}/discovery/v2.0/keys` : `${prefix}/discovery/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: v2 ? `${prefix}/v2.0` : `${prefix}/`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: v2 ? `${prefix}/oauth2/v2.0/authorize` : `${prefix}/oauth2/authorize`,
      device_authorization_endpoint: `${prefix}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: v2 ? `${prefix}/oauth2/v2.0/logout` : `${prefix}/oauth2/logout`,
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "tid", "oid", "ver", "appid"],
      tenant_region_scope: "EU",
      cloud_instance_name: new URL(base).host,
      cloud_graph_host_name: new URL(base).host,
      msgraph_host: new URL(base).host,
    });
    return true;
  }
  if (rest === "discovery/v2.0/keys" || rest === "discovery/keys") {
    ctx.count("entra:keys");
    sendJson(ctx.res, 200, { keys: [{ kty: deps.authority.jwk.kty, use: "sig", kid: deps.authority.kid, n: deps.authority.jwk.n, e: deps.authority.jwk.e, alg: "RS256", issuer: deps.authority.issuer }] });
    return true;
  }
  if (rest === "discovery/instance") {
    ctx.count("entra:discovery");
    const host = new URL(base).host;
    sendJson(ctx.res, 200, {
      tenant_discovery_endpoint: `${base}/${t}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
    return true;
  }
  // Token endpoint.
  ctx.count("entra:token");
  if (method !== "POST") throw aadError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
  const form = new URLSearchParams(await ctx.readBody());
  const grant = form.get("grant_type");
  let clientId = form.get("client_id") ?? "";
  let clientSecret = form.get("client_secret") ?? "";
  const basic = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
    clientId = decodeURIComponent(id ?? "");
    clientSecret = decodeURIComponent(secret ?? "");
  }
  if (grant !== "client_credentials" && grant !== "password") {
    throw aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant ?? ""}'.`);
  }
  if (!clientId) throw aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  const client = deps.clients.find((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
  if (!client) {
    throw aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${t}'.`);
  }
  if (grant === "client_credentials") {
    if (!clientSecret) throw aadError(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    if (!sameSecret(clientSecret, client.clientSecret)) {
      throw aadError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
    }
  }
  const scope = (form.get("scope") ?? "").split(/\s+/).filter((s) => s && !["openid", "profile", "offline_access", "email"].includes(s));
  if (scope.length !== 1 || !scope[0]!.endsWith("/.default")) {
    if (grant === "client_credentials") {
      throw aadError(400, "invalid_scope", 1002012, `The provided value for scope ${form.get("scope") ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
  }
  const rawResource = scope[0] ? scope[0].replace(/\/\.default$/, "") : "";
  const resource = normalizeAudienceOut(rawResource);
  if (!resource) throw aadError(400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter.");

  let subject: { oid: string; sub: string; extra: Record<string, unknown> };
  if (grant === "password") {
    // Resource-owner password grant for the tenant's emulator-only users (no real directory behind it).
    const username = (form.get("username") ?? "").toLowerCase();
    const user = (deps.store.tenant.users ?? []).find((u) => u.userPrincipalName.toLowerCase() === username);
    if (!user || !sameSecret(form.get("password") ?? "", user.password)) {
      throw aadError(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");
    }
    subject = { oid: user.id, sub: user.id, extra: { upn: user.userPrincipalName, name: user.displayName, idtyp: "user", scp: "user_impersonation" } };
  } else {
    const oid = servicePrincipalObjectId(client.clientId);
    subject = { oid, sub: oid, extra: { idtyp: "app", app_displayname: client.displayName ?? "Scopewise emulator client" } };
  }
  const issued = await deps.authority.issue({ aud: resource, ...subject.extra, oid: subject.oid, sub: subject.sub, appid: client.clientId, azp: client.clientId });
  sendJson(ctx.res, 200, {
    token_type: "Bearer",
    expires_in: issued.expiresIn,
    ext_expires_in: issued.expiresIn,
    access_token: issued.accessToken,
  });
  return true;
}

/** A resource as it appears in `aud`: the AKS server app by its GUID, URLs without trailing slash. */
function normalizeAudienceOut(resource: string): string {
  if (!resource) return "";
  const n = normalizeAudience(resource);
  if (n === "https://management.core.windows.net") return "https://management.core.windows.net/";
  return /^https?:\/\//.test(resource) ? resource.replace(/\/+$/, "") : resource;
}
