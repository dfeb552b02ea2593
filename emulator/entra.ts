import { timingSafeEqual } from "node:crypto";
import { aadError } from "./aad-error";
import { exchangeClientAssertion, type FederatedExchangeDeps } from "./federated-exchange";
import type { ConsentState, DelegatedGrant } from "./consent";
import { HttpError, sendJson, type RequestContext } from "./http";
import { normalizeAudience, stableGuid, type TokenAuthority } from "./tokens";
import { serveAuthorize, type Grant, type SignInState } from "./sign-in";
import type { TenantStore } from "./store";

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  displayName?: string;
  /** Redirect URIs registered for sign-in (exact match, as Entra compares them); absent = any. */
  redirectUris?: string[];
}

/** The object id of a client's service principal: stable per client id, as in a real directory. */
export function servicePrincipalObjectId(clientId: string): string {
  return stableGuid(`servicePrincipal:${clientId.toLowerCase()}`);
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
  signIn: SignInState;
  consent: ConsentState;
  federated: FederatedExchangeDeps;
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
    "oauth2/v2.0/authorize",
    "oauth2/v2.0/logout",
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
  if (rest === "oauth2/v2.0/authorize") {
    ctx.count("entra:authorize");
    await serveAuthorize(ctx, {
      users: deps.store.tenant.users ?? [],
      isClient: (id) => deps.clients.some((c) => c.clientId.toLowerCase() === id.toLowerCase()),
      isRedirectUri: (id, uri) => {
        const c = deps.clients.find((x) => x.clientId.toLowerCase() === id.toLowerCase());
        return !c?.redirectUris || c.redirectUris.includes(uri);
      },
      state: deps.signIn,
    });
    return true;
  }
  if (rest === "oauth2/v2.0/logout") {
    ctx.count("entra:logout");
    const target = ctx.url.searchParams.get("post_logout_redirect_uri");
    if (target && /^https?:\/\//.test(target)) {
      ctx.res.writeHead(302, { location: target }).end();
    } else {
      ctx.res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>Signed out</title><p>You signed out of your account.</p>");
    }
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
  const grant = form.get("grant_type") ?? "";
  let clientId = form.get("client_id") ?? "";
  let clientSecret = form.get("client_secret") ?? "";
  const basic = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
    clientId = decodeURIComponent(id ?? "");
    clientSecret = decodeURIComponent(secret ?? "");
  }
  if (grant === "client_credentials" && (form.has("client_assertion") || form.has("client_assertion_type"))) {
    await exchangeClientAssertion(ctx, deps.federated, form);
    return true;
  }
  if (!["client_credentials", "password", "authorization_code", "refresh_token"].includes(grant)) {
    throw aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`);
  }
  if (!clientId) throw aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  const client = deps.clients.find((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
  if (!client) {
    throw aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${t}'.`);
  }
  // A confidential client must authenticate; public clients (PKCE without a secret) may omit it for delegated grants.
  if (grant === "client_credentials" && !clientSecret) {
    throw aadError(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
  }
  if (clientSecret && !sameSecret(clientSecret, client.clientSecret)) {
    throw aadError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
  }

  if (grant === "client_credentials") {
    const scope = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
    if (scope.length !== 1 || !scope[0]!.endsWith("/.default")) {
      throw aadError(400, "invalid_scope", 1002012, `The provided value for scope ${form.get("scope") ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const oid = servicePrincipalObjectId(client.clientId);
    const issued = await deps.authority.issue({
      aud: normalizeAudienceOut(scope[0]!.replace(/\/\.default$/, "")),
      oid,
      sub: oid,
      appid: client.clientId,
      azp: client.clientId,
      idtyp: "app",
      app_displayname: client.displayName ?? "Scopewise emulator client",
    });
    sendJson(ctx.res, 200, { token_type: "Bearer", expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.accessToken });
    return true;
  }

  let delegated: Grant;
  if (grant === "password") {
    // Resource-owner password grant for the tenant's emulator-only users (no real directory behind it).
    const username = (form.get("username") ?? "").toLowerCase();
    const user = (deps.store.tenant.users ?? []).find((u) => u.userPrincipalName.toLowerCase() === username);
    if (!user || !sameSecret(form.get("password") ?? "", user.password)) {
      throw aadError(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");
    }
    delegated = { clientId: client.clientId, user, scopes: (form.get("scope") ?? "").split(/\s+/).filter(Boolean) };
  } else if (grant === "authorization_code") {
    const redeemed = deps.signIn.redeemCode(form.get("code") ?? "", client.clientId, form.get("redirect_uri"), form.get("code_verifier"));
    if (typeof redeemed === "string") throw aadError(400, "invalid_grant", Number(/AADSTS(\d+)/.exec(redeemed)?.[1] ?? 70000), redeemed.replace(/^AADSTS\d+: /, ""));
    delegated = redeemed;
  } else {
    const redeemed = deps.signIn.redeemRefreshToken(form.get("refresh_token") ?? "", client.clientId);
    if (!redeemed) throw aadError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the refresh token is not valid.");
    delegated = redeemed;
  }
  // Delegated tokens: the first non-OIDC scope names the resource (`<resource>/<permission>`).
  const requested = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
  const scopes = requested.length ? requested : delegated.scopes;
  const resourceScope = scopes.find((s) => !OIDC_SCOPES.includes(s));
  if (!resourceScope) throw aadError(400, "invalid_scope", 70011, "The provided request must include a resource scope (for example https://management.azure.com/user_impersonation).");
  const cut = resourceScope.lastIndexOf("/");
  const resource = normalizeAudienceOut(cut > 0 ? resourceScope.slice(0, cut) : resourceScope);
  const permission = cut > 0 ? resourceScope.slice(cut + 1) : "user_impersonation";
  const user = delegated.user;
  deps.consent.check(grant as DelegatedGrant, user, client, resource, grant === "authorization_code" ? delegated.scopes : []);
  const userClaims = { oid: user.id, sub: user.id, upn: user.userPrincipalName, preferred_username: user.userPrincipalName, name: user.displayName };
  const issued = await deps.authority.issue({ aud: resource, ...userClaims, appid: client.clientId, azp: client.clientId, idtyp: "user", scp: permission === ".default" ? "user_impersonation" : permission });
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: scopes.filter((s) => !OIDC_SCOPES.includes(s)).join(" "),
    expires_in: issued.expiresIn,
    ext_expires_in: issued.expiresIn,
    access_token: issued.accessToken,
    // MSAL keys accounts by client_info: the user's object id and home tenant.
    client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: t })).toString("base64url"),
  };
  if (scopes.includes("openid") || grant !== "refresh_token") {
    const idToken = await deps.authority.issue({ aud: client.clientId, ...userClaims, ver: "2.0", ...(delegated.nonce ? { nonce: delegated.nonce } : {}) });
    body.id_token = idToken.accessToken;
  }
  if (scopes.includes("offline_access") || grant === "refresh_token") body.refresh_token = deps.signIn.issueRefreshToken({ ...delegated, scopes });
  sendJson(ctx.res, 200, body);
  return true;
}

const OIDC_SCOPES = ["openid", "profile", "offline_access", "email"];

/** A resource as it appears in `aud`: the AKS server app by its GUID, URLs without trailing slash. */
function normalizeAudienceOut(resource: string): string {
  if (!resource) return "";
  const n = normalizeAudience(resource);
  if (n === "https://management.core.windows.net") return "https://management.core.windows.net/";
  return /^https?:\/\//.test(resource) ? resource.replace(/\/+$/, "") : resource;
}
