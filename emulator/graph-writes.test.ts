import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTenantFile } from "@/lib/tenant/schema";
import { startEmulator, type EmulatorHandle } from "./server";
import { call } from "./testdata/http-client";

let h: EmulatorHandle;
const client = { clientId: "5c4a1e2b-6f7d-4a8e-9b0c-1d2e3f405162", clientSecret: "scopewise-app-secret" };
const tokens: Record<string, string> = {};
const GRAPH = "https://graph.microsoft.com/.default";
/** sp-payments-fx-rates-legacy in the demo tenant. */
const APP = "0b05bf54-fbdc-5aba-b53d-078c5e3c96bd";
const path = (appId = APP) => `/v1.0/applications(appId='${appId}')/federatedIdentityCredentials`;
const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "aks-payments-fx", issuer: "https://oidc.example/issuer/", subject: "system:serviceaccount:payments:fx", audiences: ["api://AzureADTokenExchange"], ...over });
const json = { "content-type": "application/json" };

async function token(params: Record<string, string>): Promise<string> {
  const res = await call(h, "POST", `/${h.tenantId}/oauth2/v2.0/token`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, ...params }).toString(),
  });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

beforeAll(async () => {
  const tenant = await loadTenantFile(new URL("../fixtures/tenants/demo.json", import.meta.url).pathname);
  h = await startEmulator({ tenant, clients: [client] });
  tokens.app = await token({ grant_type: "client_credentials", scope: GRAPH });
  tokens.armApp = await token({ grant_type: "client_credentials", scope: "https://management.azure.com/.default" });
  // Dana's group holds Owner on the contoso management group; Alice holds User Access Administrator (not Owner) on one subscription.
  tokens.dana = await token({ grant_type: "password", username: "dana.okafor@contoso.com", password: "demo-platform-admin", scope: GRAPH });
  tokens.alice = await token({ grant_type: "password", username: "alice.nguyen@contoso.com", password: "demo-security-lead", scope: GRAPH });
});
afterAll(async () => {
  await h?.close();
});

describe("Graph application federated identity credentials", () => {
  it("creates (201 with an id), lists, gets by name and deletes by id (204)", async () => {
    const created = await call(h, "POST", path(), { token: tokens.app, headers: json, body: body() });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "aks-payments-fx", issuer: "https://oidc.example/issuer/", audiences: ["api://AzureADTokenExchange"], description: null });
    const listed = await call(h, "GET", path(), { token: tokens.app });
    expect(listed.json.value.map((c: { id: string }) => c.id)).toEqual([created.json.id]);
    expect((await call(h, "GET", `${path()}/AKS-payments-fx`, { token: tokens.app })).json.id).toBe(created.json.id);
    const duplicate = await call(h, "POST", path(), { token: tokens.app, headers: json, body: body({ name: "other-name" }) });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error.code).toBe("Request_MultipleObjectsWithSameKeyValue");
    expect((await call(h, "DELETE", `${path()}/${created.json.id}`, { token: tokens.app })).status).toBe(204);
    expect((await call(h, "GET", path(), { token: tokens.app })).json.value).toEqual([]);
    expect((await call(h, "DELETE", `${path()}/${created.json.id}`, { token: tokens.app })).status).toBe(404);
  });

  it("validates the body with 400 in Graph's error shape, naming the property", async () => {
    for (const [over, property] of [
      [{ name: "" }, "name"],
      [{ issuer: "http://plain.example/" }, "issuer"],
      [{ subject: "" }, "subject"],
      [{ audiences: [] }, "audiences"],
    ] as const) {
      const res = await call(h, "POST", path(), { token: tokens.app, headers: json, body: body(over) });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "Request_BadRequest", message: expect.stringContaining(`'${property}'`) });
    }
    expect((await call(h, "POST", path(), { token: tokens.app, headers: json, body: "{" })).json.error.code).toBe("BadRequest");
  });

  it("needs a Graph token, and an app that exists", async () => {
    expect((await call(h, "GET", path(), { token: tokens.armApp })).status).toBe(401);
    const missing = await call(h, "GET", path("00000000-0000-4000-8000-00000000abcd"), { token: tokens.app });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("Request_ResourceNotFound");
  });

  it("lets an owner-level admin write and refuses other users with 403 Authorization_RequestDenied", async () => {
    const refused = await call(h, "POST", path(), { token: tokens.alice, headers: json, body: body({ name: "by-alice" }) });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("Authorization_RequestDenied");
    // Reading is not a write: Alice may list.
    expect((await call(h, "GET", path(), { token: tokens.alice })).status).toBe(200);
    const byDana = await call(h, "POST", path(), { token: tokens.dana, headers: json, body: body({ name: "by-dana" }) });
    expect(byDana.status).toBe(201);
    expect((await call(h, "DELETE", `${path()}/by-dana`, { token: tokens.dana })).status).toBe(204);
  });
});
