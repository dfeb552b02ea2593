import { get } from "node:https";
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK, type JWTPayload } from "jose";
import { normalizeId } from "@/lib/model/scope";
import { aadError } from "./aad-error";
import { sendJson, type RequestContext } from "./http";
import type { AppCredentialStore } from "./graph-writes";
import type { TenantStore } from "./store";
import type { TokenAuthority } from "./tokens";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const WIF_DOCS = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";
const UAI_TYPE = "microsoft.managedidentity/userassignedidentities";

export interface FederatedExchangeDeps {
  store: TenantStore;
  authority: TokenAuthority;
  appCredentials: AppCredentialStore;
  /** The CA the emulator's own HTTPS certificate chains to: issuer documents are fetched over TLS. */
  caPem: string;
  /** Where an issuer's discovery document is served (the emulator's stand-in for DNS), or undefined. */
  discoveryUrlOf(issuer: string): string | undefined;
  /** A credential written less than this long ago is not seen yet (Entra's propagation delay). */
  propagationMs: number;
}

interface Credential {
  issuer: string;
  subject: string;
  audiences: string[];
  /** When it was last written (ms since epoch); undefined for credentials from the tenant file. */
  writtenAt?: number;
}

interface Caller {
  displayName: string;
  clientId: string;
  principalId: string;
  credentials: Credential[];
}

/** The user-assigned identity (by properties.clientId) or the application (by appId) a client_id names. */
function callerOf(deps: FederatedExchangeDeps, clientId: string): Caller | undefined {
  const id = clientId.toLowerCase();
  for (const r of deps.store.resources.values()) {
    if (String(r.type ?? "").toLowerCase() !== UAI_TYPE || String(r.properties?.clientId ?? "").toLowerCase() !== id) continue;
    const credentials = (deps.store.federatedCredentials.get(normalizeId(r.id)) ?? []).map((f) => {
      const p = (f.properties ?? {}) as { issuer?: string; subject?: string; audiences?: string[] };
      return { issuer: p.issuer ?? "", subject: p.subject ?? "", audiences: p.audiences ?? [], writtenAt: deps.store.changes.lastWrite(f.id) };
    });
    return { displayName: String(r.name ?? ""), clientId, principalId: String(r.properties?.principalId ?? ""), credentials };
  }
  const sp = [...deps.store.principals.values()].find((p) => String(p.appId ?? "").toLowerCase() === id);
  if (!sp) return undefined;
  const credentials = deps.appCredentials.list(clientId).map((c) => ({ issuer: c.issuer, subject: c.subject, audiences: c.audiences, writtenAt: deps.appCredentials.writtenAt(c.id) }));
  return { displayName: String(sp.displayName ?? ""), clientId, principalId: String(sp.id ?? ""), credentials };
}

function fetchJson(url: string, caPem: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, { ca: caPem, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`${url} answered ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch (e) {
          reject(e as Error);
        }
      });
    }).on("error", reject);
  });
}

const invalidClient = (code: number, text: string) => aadError(401, "invalid_client", code, text);

/**
 * Verifies the assertion's signature as Entra does: the issuer's discovery document (its
 * `issuer` must equal the token's), then its JWKS, then the key the token's `kid` names.
 */
async function verifySignature(deps: FederatedExchangeDeps, assertion: string, issuer: string): Promise<void> {
  const discoveryUrl = deps.discoveryUrlOf(issuer);
  let keys: JWK[];
  try {
    if (!discoveryUrl) throw new Error("no discovery document");
    const doc = (await fetchJson(discoveryUrl, deps.caPem)) as { issuer?: unknown; jwks_uri?: unknown };
    if (doc.issuer !== issuer || typeof doc.jwks_uri !== "string") throw new Error("discovery document names another issuer");
    keys = (((await fetchJson(doc.jwks_uri, deps.caPem)) as { keys?: JWK[] }).keys ?? []).filter((k) => typeof k === "object" && k);
  } catch {
    throw invalidClient(50166, `Request to External OIDC endpoint failed. The metadata of identity provider ${issuer} could not be retrieved.`);
  }
  const { kid, alg } = decodeProtectedHeader(assertion);
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) {
    throw invalidClient(7000272, `The certificate with identifier ${kid ?? ""} used to sign the federated credential could not be found in the metadata of identity provider ${issuer}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`);
  }
  try {
    await compactVerify(assertion, await importJWK(jwk, alg ?? "RS256"), { algorithms: ["RS256"] });
  } catch {
    throw aadError(400, "invalid_request", 50027, "JWT token is invalid or malformed. The signature of the client assertion does not verify with the issuer's key.");
  }
}

/** Which federated credential matches, or Entra's refusal naming the first claim none matches. */
function matchCredential(caller: Caller, claims: JWTPayload, now: number, propagationMs: number): void {
  const issuer = String(claims.iss ?? "");
  const subject = String(claims.sub ?? "");
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
  const visible = caller.credentials.filter((c) => c.writtenAt === undefined || now - c.writtenAt >= propagationMs);
  if (visible.length === 0) {
    throw aadError(400, "invalid_request", 70021, `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audiences.join(",")}'. ${WIF_DOCS}`);
  }
  const byIssuer = visible.filter((c) => c.issuer === issuer);
  if (byIssuer.length === 0) {
    throw invalidClient(700211, `No matching federated identity record found for presented assertion issuer '${issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOCS}`);
  }
  const bySubject = byIssuer.filter((c) => c.subject === subject);
  if (bySubject.length === 0) {
    // Matching has been case-sensitive since 2024; Entra says so when only the case differs.
    if (byIssuer.some((c) => c.subject.toLowerCase() === subject.toLowerCase())) {
      throw invalidClient(7002138, `No matching federated identity record found for presented assertion subject '${subject}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOCS}`);
    }
    throw invalidClient(700213, `No matching federated identity record found for presented assertion subject '${subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOCS}`);
  }
  if (!bySubject.some((c) => c.audiences.some((a) => audiences.includes(a)))) {
    throw invalidClient(700212, `No matching federated identity record found for presented assertion audience '${audiences.join(",")}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOCS}`);
  }
}

/**
 * The client-credentials grant with a JWT client assertion (workload identity federation):
 * accepted only when a federated identity credential of the identity or application matches
 * the assertion's issuer, subject (case-sensitive) and audience, the issuer's published key
 * verifies its signature, and it is within its lifetime. Answers an ARM (or other `.default`)
 * access token for the identity, or Entra's AADSTS refusal.
 */
export async function exchangeClientAssertion(ctx: RequestContext, deps: FederatedExchangeDeps, form: URLSearchParams): Promise<void> {
  ctx.count("entra:federated");
  const tenant = deps.store.tenant.tenantId;
  if (form.get("client_assertion_type") !== JWT_BEARER) {
    throw aadError(400, "invalid_request", 700023, `Client assertion type must be '${JWT_BEARER}'; got '${form.get("client_assertion_type") ?? ""}'.`);
  }
  const clientId = form.get("client_id") ?? "";
  if (!clientId) throw aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  const caller = callerOf(deps, clientId);
  if (!caller) throw aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
  const assertion = form.get("client_assertion") ?? "";
  let claims: JWTPayload;
  try {
    decodeProtectedHeader(assertion);
    claims = decodeJwt(assertion);
  } catch {
    throw aadError(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
  }
  const nowMs = Date.now();
  matchCredential(caller, claims, nowMs, deps.propagationMs);
  await verifySignature(deps, assertion, String(claims.iss));
  const now = Math.floor(nowMs / 1000);
  const skew = 300;
  if (typeof claims.exp !== "number" || claims.exp + skew < now || (typeof claims.nbf === "number" && claims.nbf - skew > now)) {
    const iso = (s: unknown) => (typeof s === "number" ? new Date(s * 1000).toISOString() : "unknown");
    throw aadError(400, "invalid_client", 700024, `Client assertion is not within its valid time range. Current time: ${new Date(nowMs).toISOString()}, assertion valid from ${iso(claims.nbf ?? claims.iat)}, expiry time of assertion ${iso(claims.exp)}.`);
  }
  const scope = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
  if (scope.length !== 1 || !scope[0]!.endsWith("/.default")) {
    throw aadError(400, "invalid_scope", 1002012, `The provided value for scope ${form.get("scope") ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const issued = await deps.authority.issue({
    aud: scope[0]!.replace(/\/\.default$/, "").replace(/\/+$/, ""),
    oid: caller.principalId,
    sub: caller.principalId,
    appid: caller.clientId,
    azp: caller.clientId,
    idtyp: "app",
    app_displayname: caller.displayName,
  });
  sendJson(ctx.res, 200, { token_type: "Bearer", expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.accessToken });
}
