import { ConfidentialClientApplication, CryptoProvider, type INetworkModule } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call } from "./testdata/http-client";
import { buildTestTenant, T } from "./testdata/tenant";

let h: EmulatorHandle;
const client = { clientId: "0f0f0f0f-1111-2222-3333-444444444444", clientSecret: "app-secret" };
const redirectUri = "http://localhost:3000/api/auth/callback";

/** msal-node's HTTP goes through this module so it can trust the emulator's CA. */
function networkModule(): INetworkModule {
  const send = async <T,>(method: string, url: string, options?: { headers?: Record<string, string>; body?: string }) => {
    const res = await call(h, method, url, { headers: options?.headers, body: options?.body });
    const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    return { status: res.status, headers, body: (res.json ?? {}) as T };
  };
  return { sendGetRequestAsync: (url, options) => send("GET", url, options), sendPostRequestAsync: (url, options) => send("POST", url, options) };
}

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant(), clients: [client] });
});
afterAll(async () => {
  await h?.close();
});

function form(page: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(m[1]!, m[2]!.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
  }
  return fields;
}

describe("interactive sign-in (authorization code + PKCE)", () => {
  it("signs a tenant user in through msal-node and issues a delegated ARM token", async () => {
    const msal = new ConfidentialClientApplication({
      auth: { clientId: client.clientId, clientSecret: client.clientSecret, authority: `${h.url}/${T.tenantId}`, knownAuthorities: [new URL(h.url).host] },
      system: { networkClient: networkModule() },
    });
    const pkce = await new CryptoProvider().generatePkceCodes();
    const scopes = ["https://management.azure.com/user_impersonation"];
    const authUrl = await msal.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: "S256", state: "s-1" });
    expect(authUrl.startsWith(`${h.url}/${T.tenantId}/oauth2/v2.0/authorize?`)).toBe(true);

    const page = await call(h, "GET", authUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="password">Password</label>');

    const fields = form(page.text);
    fields.set("username", "alice@scopewise.test");
    fields.set("password", "wrong");
    const refused = await call(h, "POST", authUrl, { body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(refused.text).toContain("Your account or password is incorrect.");

    fields.set("password", "correct horse");
    const done = await call(h, "POST", authUrl, { body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(done.status).toBe(302);
    const back = new URL(String(done.headers.location));
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get("state")).toBe("s-1");

    const result = await msal.acquireTokenByCode({ code: back.searchParams.get("code")!, scopes, redirectUri, codeVerifier: pkce.verifier });
    expect(result.account?.username).toBe("alice@scopewise.test");
    expect(result.account?.name).toBe("Alice Admin");
    const claims = JSON.parse(Buffer.from(result.accessToken.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ aud: "https://management.azure.com", oid: "eeeeeeee-0000-0000-0000-000000000001", scp: "user_impersonation", tid: T.tenantId });

    // The delegated token is accepted by ARM.
    const subs = await call(h, "GET", "/subscriptions?api-version=2022-12-01", { token: result.accessToken });
    expect(subs.status).toBe(200);

    // A code is redeemed once.
    await expect(msal.acquireTokenByCode({ code: back.searchParams.get("code")!, scopes, redirectUri, codeVerifier: pkce.verifier })).rejects.toThrow(/AADSTS70008/);
  });

  it("rejects a wrong PKCE verifier", async () => {
    const params = new URLSearchParams({ client_id: client.clientId, response_type: "code", redirect_uri: redirectUri, scope: "openid https://management.azure.com/.default", code_challenge: "abc", code_challenge_method: "S256", username: "alice@scopewise.test", password: "correct horse" });
    const done = await call(h, "POST", `/${T.tenantId}/oauth2/v2.0/authorize`, { body: params.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    const code = new URL(String(done.headers.location)).searchParams.get("code")!;
    const token = await call(h, "POST", `/${T.tenantId}/oauth2/v2.0/token`, {
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: client.clientId, client_secret: client.clientSecret, code, redirect_uri: redirectUri, code_verifier: "not-it" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(token.status).toBe(400);
    expect(token.json.error).toBe("invalid_grant");
    expect(token.json.error_codes).toEqual([50148]);
  });
});

describe("registered redirect URIs", () => {
  it("refuses to send a code to a redirect URI the app registration does not list", async () => {
    const registered = { clientId: "0f0f0f0f-5555-6666-7777-888888888888", clientSecret: "s", redirectUris: ["http://localhost:3000/auth/callback"] };
    const e = await startEmulator({ tenant: buildTestTenant(), clients: [registered] });
    try {
      const authorize = (uri: string) =>
        call(e, "GET", `/${T.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: registered.clientId, response_type: "code", redirect_uri: uri, scope: "openid" })}`);
      const refused = await authorize("https://evil.example/auth/callback");
      expect(refused.status).toBe(400);
      expect(refused.json.error_description).toMatch(/^AADSTS50011: The redirect URI 'https:\/\/evil.example\/auth\/callback' specified in the request does not match/);
      expect((await authorize("http://localhost:3000/auth/callback")).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});
