import { createHash, randomBytes } from "node:crypto";
import type { TenantUser } from "@/lib/tenant/types";
import { HttpError, type RequestContext } from "./http";

/**
 * The interactive half of Entra sign-in for the tenant file's emulator-only `users`: the
 * authorize endpoint (authorization code + PKCE, as msal-node's getAuthCodeUrl builds it) with a
 * small sign-in form, one-time codes and refresh tokens.
 */

export interface Grant {
  clientId: string;
  user: TenantUser;
  scopes: string[];
  nonce?: string;
}

interface PendingCode extends Grant {
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expires: number;
}

const CODE_TTL_MS = 5 * 60 * 1000;

export class SignInState {
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, Grant>();

  issueCode(code: Omit<PendingCode, "expires">): string {
    const value = randomBytes(32).toString("base64url");
    this.codes.set(value, { ...code, expires: Date.now() + CODE_TTL_MS });
    return value;
  }

  /** Redeems a code once; checks client, redirect URI and the PKCE verifier (S256 or plain). */
  redeemCode(code: string, clientId: string, redirectUri: string | null, verifier: string | null): Grant | string {
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expires < Date.now()) return "AADSTS70008: The provided authorization code or refresh token has expired or was already redeemed.";
    if (pending.clientId.toLowerCase() !== clientId.toLowerCase()) return "AADSTS70000: The provided authorization code was issued to another client.";
    if (redirectUri !== pending.redirectUri) return "AADSTS70000: The redirect_uri does not match the one used in the authorization request.";
    if (pending.codeChallenge) {
      if (!verifier) return "AADSTS50148: The code_verifier is missing.";
      const computed = pending.codeChallengeMethod === "plain" ? verifier : createHash("sha256").update(verifier).digest("base64url");
      if (computed !== pending.codeChallenge) return "AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.";
    }
    return { clientId: pending.clientId, user: pending.user, scopes: pending.scopes, nonce: pending.nonce };
  }

  issueRefreshToken(grant: Grant): string {
    const value = randomBytes(48).toString("base64url");
    this.refreshTokens.set(value, { ...grant, nonce: undefined });
    return value;
  }

  redeemRefreshToken(token: string, clientId: string): Grant | undefined {
    const grant = this.refreshTokens.get(token);
    if (!grant || grant.clientId.toLowerCase() !== clientId.toLowerCase()) return undefined;
    return grant;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function renderSignIn(params: URLSearchParams, users: TenantUser[], error?: string): string {
  const hidden = [...params].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join("\n      ");
  const hint = users.length
    ? `<p class="hint">Accounts in this tenant file: ${users.map((u) => `<code>${escapeHtml(u.userPrincipalName)}</code>`).join(", ")}</p>`
    : `<p class="hint">This tenant file has no <code>users</code>: add some to sign in.</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to your account</title>
<style>body{font-family:system-ui,sans-serif;background:#f2f2f2;display:flex;justify-content:center;padding-top:10vh}
main{background:#fff;padding:2rem 2.5rem;width:22rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}label{display:block;margin-top:1rem}
input[type=text],input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.5rem 1.5rem;background:#0067b8;color:#fff;border:0}
.error{color:#e81123}.hint{font-size:.8rem;color:#555}</style></head>
<body><main>
  <h1>Sign in</h1>
  <p>Scopewise local emulator</p>
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
  <form method="post">
      ${hidden}
    <label for="username">Email or username</label>
    <input id="username" name="username" type="text" autocomplete="username" required>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
  </form>
  ${hint}
</main></body></html>`;
}

function sendHtml(ctx: RequestContext, status: number, html: string): void {
  ctx.res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html).toString(), "cache-control": "no-store" });
  ctx.res.end(html);
}

/** Errors the authorize endpoint cannot redirect (bad client or redirect URI) are shown, as Entra does. */
function authorizeError(message: string): HttpError {
  return new HttpError(400, { error: "invalid_request", error_description: message });
}

export interface AuthorizeDeps {
  users: TenantUser[];
  isClient(clientId: string): boolean;
  /** Whether the app registration lists this redirect URI (apps that list none accept any, for tests). */
  isRedirectUri(clientId: string, redirectUri: string): boolean;
  state: SignInState;
}

/**
 * `GET /{tenant}/oauth2/v2.0/authorize` shows the sign-in form; `POST` checks the user and
 * redirects to `redirect_uri` with `code` and `state` (response_mode query, or form_post).
 */
export async function serveAuthorize(ctx: RequestContext, deps: AuthorizeDeps): Promise<void> {
  const params = ctx.method === "POST" ? new URLSearchParams(await ctx.readBody()) : ctx.url.searchParams;
  const clientId = params.get("client_id") ?? "";
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!deps.isClient(clientId)) throw authorizeError(`AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`);
  let redirect: URL;
  try {
    redirect = new URL(redirectUri);
  } catch {
    throw authorizeError(`AADSTS50011: The redirect URI '${redirectUri}' specified in the request is not valid.`);
  }
  if (!deps.isRedirectUri(clientId, redirectUri)) {
    // Entra shows this on its own page rather than redirecting: the URI may be an attacker's.
    throw authorizeError(`AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`);
  }
  if (params.get("response_type") !== "code") throw authorizeError("AADSTS900144: Only response_type=code is supported.");
  const method = params.get("code_challenge_method") ?? (params.get("code_challenge") ? "plain" : undefined);
  if (method && method !== "S256" && method !== "plain") throw authorizeError(`AADSTS501491: Invalid code_challenge_method '${method}'.`);

  const formParams = new URLSearchParams([...params].filter(([k]) => k !== "username" && k !== "password"));
  if (ctx.method === "GET") return sendHtml(ctx, 200, renderSignIn(formParams, deps.users));
  if (ctx.method !== "POST") throw new HttpError(405, { error: "invalid_request", error_description: "Method not allowed" });

  const username = (params.get("username") ?? "").trim().toLowerCase();
  const user = deps.users.find((u) => u.userPrincipalName.toLowerCase() === username);
  if (!user || user.password !== (params.get("password") ?? "")) {
    return sendHtml(ctx, 200, renderSignIn(formParams, deps.users, "Your account or password is incorrect."));
  }
  const code = deps.state.issueCode({
    clientId,
    user,
    redirectUri,
    scopes: (params.get("scope") ?? "").split(/\s+/).filter(Boolean),
    nonce: params.get("nonce") ?? undefined,
    codeChallenge: params.get("code_challenge") ?? undefined,
    codeChallengeMethod: method,
  });
  const state = params.get("state");
  if (params.get("response_mode") === "form_post") {
    const fields = { code, ...(state ? { state } : {}) };
    const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`).join("");
    return sendHtml(ctx, 200, `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`);
  }
  redirect.searchParams.set("code", code);
  if (state) redirect.searchParams.set("state", state);
  ctx.res.writeHead(302, { location: redirect.toString(), "cache-control": "no-store" });
  ctx.res.end();
}
