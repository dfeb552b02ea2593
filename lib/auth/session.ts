import "server-only";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { InteractionRequiredAuthError, type ConfidentialClientApplication } from "@azure/msal-node";
import type { SignInSettings } from "@/lib/env";
import { newOpaqueId, readCookie, signValue, SIGN_IN_COOKIE, verifySignedValue } from "./cookie";
import { getSession, SESSION_PURPOSE, sessionIdFromCookie } from "./session-cookie";
import { armUserScope, createMsalClient, newAuthRequestSecrets, SIGN_IN_SCOPES } from "./msal";
import { safeReturnTo } from "./return-to";
import type { Session, SessionStore, SessionUser } from "./session-store";

export { getSession, sessionIdFromCookie };

/** Why a sign-in could not complete; `message` is for people, shown on the sign-in error page. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "SignInError";
  }
}

/**
 * The session's tokens can no longer be renewed silently (refresh token expired or revoked,
 * consent withdrawn): the person has to sign in again. Named like @azure/identity's error so
 * the scan reports it as a credential failure, not as missing data.
 */
export class AuthenticationRequiredError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuthenticationRequiredError";
  }
}

/**
 * Entra refused a token for one resource other than ARM (the AKS server app, Graph) without
 * interaction: consent is missing (AADSTS65001, `code` consent_required) or MFA / Conditional
 * Access wants the person at a prompt (`code` interaction_required). The session is fine: ARM
 * still works. Readers report it for what needed that resource.
 */
export class ResourceTokenRefusedError extends Error {
  constructor(
    message: string,
    readonly code: "consent_required" | "interaction_required",
    readonly resource: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ResourceTokenRefusedError";
  }
}

const SIGN_IN_PURPOSE = "sign-in";

/** What the OAuth 2.0 / OpenID Connect authorization errors Entra returns mean, in fixed words (RFC 6749 4.1.2.1, OIDC Core 3.1.2.6). */
const OAUTH_ERRORS: Record<string, string> = {
  access_denied: "the sign-in was declined, or consent to Scopewise's permissions was not given",
  consent_required: "an administrator must consent to Scopewise's permissions first",
  interaction_required: "Entra ID needs more from you (multi-factor authentication or a Conditional Access step)",
  login_required: "you are not signed in to Entra ID",
  invalid_request: "the sign-in request was not valid",
  invalid_scope: "Scopewise asked for permissions this tenant does not offer",
  unauthorized_client: "this app registration may not sign people in this way",
  unsupported_response_type: "this app registration may not sign people in this way",
  server_error: "Entra ID had an error; try again",
  temporarily_unavailable: "Entra ID is busy; try again shortly",
};

/**
 * Starts a sign-in: PKCE verifier, state and nonce kept on the server; the browser gets the
 * Entra authorize URL and a cookie binding this sign-in to it (the signed state).
 */
export async function beginSignIn(settings: SignInSettings, store: SessionStore, returnTo: string, clientAddress?: string): Promise<{ url: string; flowCookieValue: string }> {
  const secrets = await newAuthRequestSecrets();
  const state = newOpaqueId();
  const nonce = newOpaqueId();
  await store.savePending({ state, nonce, codeVerifier: secrets.verifier, returnTo: safeReturnTo(returnTo), createdAt: Date.now(), ...(clientAddress ? { client: clientAddress } : {}) });
  const client = createMsalClient(settings);
  const url = await client.getAuthCodeUrl({
    scopes: [armUserScope(settings), ...SIGN_IN_SCOPES],
    redirectUri: settings.redirectUri,
    codeChallenge: secrets.challenge,
    codeChallengeMethod: "S256",
    state,
    nonce,
    responseMode: "query",
    prompt: "select_account",
  });
  return { url, flowCookieValue: signValue(settings.sessionSecret, SIGN_IN_PURPOSE, state) };
}

/**
 * Finishes a sign-in from the callback's query: the state must be the one this browser
 * started (cookie) and still pending (one use), the code is redeemed with the PKCE verifier,
 * and the id token must carry the nonce and the configured tenant. Returns a new session
 * (a fresh id: a session id planted before sign-in is never promoted).
 */
export async function completeSignIn(
  settings: SignInSettings,
  store: SessionStore,
  query: URLSearchParams,
  cookieHeader: string | null,
): Promise<{ session: Session; cookieValue: string; returnTo: string }> {
  const error = query.get("error");
  if (error) {
    // Anyone can send a browser to the callback with any error text: the page says only fixed
    // words and Entra's error code; the description goes to the server log, escaped.
    const description = query.get("error_description") ?? "";
    console.warn(`sign-in refused by Entra ID: ${JSON.stringify({ error, error_description: description.slice(0, 2000) })}`);
    const code = OAUTH_ERRORS[error] ? error : "error";
    const aadsts = /^AADSTS(\d{4,8})\b/.exec(description)?.[1];
    throw new SignInError(`Entra ID refused the sign-in: ${OAUTH_ERRORS[code] ?? "see the server log for its reason"} (${code}${aadsts ? `, AADSTS${aadsts}` : ""}).`, code);
  }
  const state = query.get("state");
  const code = query.get("code");
  if (!state || !code) throw new SignInError("The sign-in response is missing its code or state; start the sign-in again.", "invalid_response");
  const flowState = verifySignedValue(settings.sessionSecret, SIGN_IN_PURPOSE, readCookie(cookieHeader, SIGN_IN_COOKIE));
  if (flowState !== state) {
    throw new SignInError("This sign-in was not started in this browser (state does not match); start the sign-in again.", "state_mismatch");
  }
  const pending = await store.takePending(state);
  if (!pending) throw new SignInError("This sign-in expired or was already used; start the sign-in again.", "state_expired");

  const client = createMsalClient(settings);
  let result;
  try {
    result = await client.acquireTokenByCode(
      { code, scopes: [armUserScope(settings)], redirectUri: settings.redirectUri, codeVerifier: pending.codeVerifier, state: pending.state },
      { code, state, nonce: pending.nonce },
    );
  } catch (err) {
    const e = err as { errorCode?: string; errorMessage?: string; message?: string };
    const text = e.errorMessage || e.message || String(err);
    throw new SignInError(`Could not redeem the sign-in code: ${/AADSTS\d+:[^\r\n]*?(?=\s+Trace ID:|$)/.exec(text)?.[0] ?? text}`, e.errorCode ?? "token_error");
  }
  const claims = (result.idTokenClaims ?? {}) as { nonce?: string; tid?: string; oid?: string; preferred_username?: string; upn?: string; name?: string };
  // MSAL checks the nonce when given one; checked here as well so a library change cannot drop it silently.
  if (claims.nonce !== pending.nonce) throw new SignInError("The id token's nonce does not match this sign-in; start the sign-in again.", "nonce_mismatch");
  if (!claims.tid || claims.tid.toLowerCase() !== settings.tenantId.toLowerCase()) {
    throw new SignInError(`This account belongs to another tenant (${claims.tid ?? "unknown"}); Scopewise is configured for ${settings.tenantId}.`, "wrong_tenant");
  }
  if (!claims.oid || !result.account) throw new SignInError("The id token names no user (no oid claim).", "no_user");
  const user: SessionUser = {
    oid: claims.oid,
    tenantId: claims.tid,
    username: claims.preferred_username ?? claims.upn ?? claims.oid,
    name: claims.name ?? claims.preferred_username ?? claims.oid,
  };
  const now = Date.now();
  const session: Session = {
    id: newOpaqueId(),
    user,
    tokenCache: client.getTokenCache().serialize(),
    homeAccountId: result.account.homeAccountId,
    createdAt: now,
    lastSeenAt: now,
  };
  const old = sessionIdFromCookie(settings, cookieHeader);
  if (old) await endSession(store, old);
  await store.saveSession(session);
  clients().set(session.id, client);
  return { session, cookieValue: signValue(settings.sessionSecret, SESSION_PURPOSE, session.id), returnTo: pending.returnTo };
}

/** Forgets a session and its tokens on the server. */
export async function endSession(store: SessionStore, sessionId: string): Promise<void> {
  clients().delete(sessionId);
  await store.deleteSession(sessionId);
}

// One MSAL client per live session, keyed by session id; rebuilt from the stored cache when missing.
const holder = globalThis as { __scopewiseMsalClients?: Map<string, ConfidentialClientApplication> };
function clients(): Map<string, ConfidentialClientApplication> {
  holder.__scopewiseMsalClients ??= new Map();
  return holder.__scopewiseMsalClients;
}

/**
 * A TokenCredential acting as the signed-in person: tokens for any resource (ARM, Graph) come
 * from the session's cache, renewed silently with its refresh token. The renewed cache is
 * written back to the session store.
 */
export function sessionCredential(settings: SignInSettings, store: SessionStore, session: Session): TokenCredential {
  return {
    async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      let client = clients().get(session.id);
      if (!client) {
        client = createMsalClient(settings, session.tokenCache);
        clients().set(session.id, client);
      }
      const account = await client.getTokenCache().getAccountByHomeId(session.homeAccountId);
      if (!account) {
        await endSession(store, session.id);
        throw new AuthenticationRequiredError("your session holds no account any more; sign in again");
      }
      const wanted = Array.isArray(scopes) ? scopes : [scopes];
      try {
        const result = await client.acquireTokenSilent({ account, scopes: wanted });
        session.tokenCache = client.getTokenCache().serialize();
        if (await store.getSession(session.id)) await store.saveSession(session);
        return { token: result.accessToken, expiresOnTimestamp: (result.expiresOn ?? new Date(Date.now() + 300_000)).getTime() };
      } catch (err) {
        if (err instanceof InteractionRequiredAuthError) {
          const resource = resourceOf(wanted[0] ?? "");
          if (resource !== armResource(settings)) {
            // Consent or MFA missing for another resource (an AKS cluster's server app, Graph): only
            // what needs it fails. Ending the session would send the person to a sign-in that cannot
            // fix it, and back again: a sign-in loop.
            const code = isConsentMissing(err) ? "consent_required" : "interaction_required";
            throw new ResourceTokenRefusedError(`Entra refused a token for ${resource} without interaction (${code}): ${err.errorMessage || err.message}`, code, resource, { cause: err });
          }
          // The sign-in resource itself cannot be renewed: the session is over and the next page load goes to sign-in.
          await endSession(store, session.id);
          throw new AuthenticationRequiredError(`your sign-in expired and could not be renewed (${err.errorCode}); sign in again`, { cause: err });
        }
        throw err;
      }
    },
  };
}

/** The resource a scope names: `https://management.azure.com/.default` → `https://management.azure.com`, `<app id>/.default` → the app id. */
function resourceOf(scope: string): string {
  const cut = scope.lastIndexOf("/");
  return (cut > 0 ? scope.slice(0, cut) : scope).replace(/\/+$/, "").toLowerCase();
}

function armResource(settings: SignInSettings): string {
  return resourceOf(armUserScope(settings));
}

/** AADSTS65001 (invalid_grant, suberror consent_required): the user or an admin has not consented. */
function isConsentMissing(err: InteractionRequiredAuthError): boolean {
  return err.errorCode === "consent_required" || err.subError === "consent_required" || /AADSTS65001/.test(err.errorMessage ?? err.message);
}
