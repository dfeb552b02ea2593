import { afterEach, describe, expect, it } from "vitest";
import type { TenantConsent } from "@/lib/tenant/types";
import { startEmulator, type EmulatorHandle } from "./server";
import { call } from "./testdata/http-client";
import { buildTestTenant, T } from "./testdata/tenant";

const AKS = "6dae42f8-4368-4678-94ff-3960e28e3630";
const client = { clientId: "0f0f0f0f-1111-2222-3333-444444444444", clientSecret: "app-secret", displayName: "Scopewise" };
const redirectUri = "http://localhost:3000/auth/callback";
const alice = { username: "alice@scopewise.test", password: "correct horse" };

let h: EmulatorHandle | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function emulator(consent?: TenantConsent, consentedResources?: string[]): Promise<EmulatorHandle> {
  const tenant = buildTestTenant();
  if (consent) tenant.consent = consent;
  if (consentedResources) tenant.users![0]!.consentedResources = consentedResources;
  h = await startEmulator({ tenant, clients: [client] });
  return h;
}

const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

function token(e: EmulatorHandle, params: Record<string, string>) {
  const body = new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, ...params }).toString();
  return call(e, "POST", `/${T.tenantId}/oauth2/v2.0/token`, { body, headers: formHeaders });
}

const password = (e: EmulatorHandle, scope: string) => token(e, { grant_type: "password", ...alice, scope: `${scope} offline_access` });

/** Signs Alice in at the authorize page asking for `scope` and redeems the code. */
async function signIn(e: EmulatorHandle, scope: string) {
  const params = new URLSearchParams({ client_id: client.clientId, response_type: "code", redirect_uri: redirectUri, scope: `openid offline_access ${scope}`, ...alice });
  const done = await call(e, "POST", `/${T.tenantId}/oauth2/v2.0/authorize`, { body: params.toString(), headers: formHeaders });
  const code = new URL(String(done.headers.location)).searchParams.get("code")!;
  return token(e, { grant_type: "authorization_code", code, redirect_uri: redirectUri, scope: `openid offline_access ${scope}` });
}

describe("delegated tokens for a resource that needs consent", () => {
  it("without a consent block every user may get a token for the AKS server app, as before", async () => {
    const e = await emulator();
    expect((await password(e, `${AKS}/.default`)).status).toBe(200);
  });

  it("refuses the AKS server app to a user who has not consented, with AADSTS65001 consent_required", async () => {
    const e = await emulator({});
    const res = await password(e, `${AKS}/.default`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: "invalid_grant", suberror: "consent_required", error_codes: [65001] });
    expect(res.json.error_description).toMatch(new RegExp(`^AADSTS65001: The user or administrator has not consented to use the application with ID '${client.clientId}' named 'Scopewise'`));
    // ARM needs no consent in this tenant.
    expect((await password(e, "https://management.azure.com/user_impersonation")).status).toBe(200);
  });

  it("issues it to a user who consented, and to everyone after an admin consented", async () => {
    expect((await password(await emulator({}, [AKS]), `${AKS}/.default`)).status).toBe(200);
    await h!.close();
    expect((await password(await emulator({ adminConsented: [AKS] }), `${AKS}/.default`)).status).toBe(200);
  });

  it("refuses a refresh for it silently, until the person consents at the sign-in page", async () => {
    const e = await emulator({});
    const arm = await signIn(e, "https://management.azure.com/user_impersonation");
    expect(arm.status).toBe(200);
    const silent = await token(e, { grant_type: "refresh_token", refresh_token: arm.json.refresh_token, scope: `${AKS}/.default` });
    expect(silent.json).toMatchObject({ error: "invalid_grant", suberror: "consent_required" });
    const consented = await signIn(e, `${AKS}/.default`);
    expect(consented.status).toBe(200);
    const again = await token(e, { grant_type: "refresh_token", refresh_token: consented.json.refresh_token, scope: `${AKS}/.default` });
    expect(again.status).toBe(200);
  });

  it("marks any resource the tenant lists as needing consent", async () => {
    const e = await emulator({ required: ["https://graph.microsoft.com"] });
    expect((await password(e, "https://graph.microsoft.com/Directory.Read.All")).json.error_codes).toEqual([65001]);
  });

  it("a resource behind MFA or Conditional Access answers interaction_required to every silent request", async () => {
    const e = await emulator({ interactionRequired: [AKS] }, [AKS]);
    const silent = await password(e, `${AKS}/.default`);
    expect(silent.status).toBe(400);
    expect(silent.json).toMatchObject({ error: "interaction_required", error_codes: [50076] });
    const interactive = await signIn(e, `${AKS}/.default`);
    expect(interactive.status).toBe(200);
    const refreshed = await token(e, { grant_type: "refresh_token", refresh_token: interactive.json.refresh_token, scope: `${AKS}/.default` });
    expect(refreshed.json.error).toBe("interaction_required");
  });
});
