import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantFormatError } from "@/lib/tenant/schema";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { buildTestTenant, ids, T } from "./testdata/tenant";

let h: EmulatorHandle;
let arm: string;

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant(), pageSize: 2 });
  arm = await tokenFor(h, "https://management.azure.com");
});
afterAll(async () => {
  await h?.close();
});

describe("startEmulator", () => {
  it("rejects a malformed tenant with the JSON path of the problem", async () => {
    const t = buildTestTenant();
    delete (t.roleAssignments[3]!.properties as Record<string, unknown>).principalId;
    const err = await startEmulator({ tenant: t }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantFormatError);
    expect((err as Error).message).toMatch(/\$\.roleAssignments\[3\]\.properties\.principalId/);
  });

  it("rejects failClusters that name no cluster", async () => {
    await expect(startEmulator({ tenant: buildTestTenant(), failClusters: [ids.acr] })).rejects.toThrow(/not a managedClusters resource/);
  });

  it("writes the CA it serves with to caFile", async () => {
    expect(await readFile(h.caFile, "utf8")).toBe(h.caPem);
    expect(h.url).toBe(`https://localhost:${h.port}`);
  });
});

describe("Entra ID endpoints", () => {
  it("serves OpenID metadata whose issuer matches the tokens", async () => {
    const res = await call(h, "GET", `/${T.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.json.issuer).toBe(`${h.url}/${T.tenantId}/v2.0`);
    expect(res.json.token_endpoint).toBe(`${h.url}/${T.tenantId}/oauth2/v2.0/token`);
    const keys = await call(h, "GET", `/${T.tenantId}/discovery/v2.0/keys`);
    expect(keys.json.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
  });

  it("answers AAD's error shapes for an unknown client and a bad scope", async () => {
    const form = (o: Record<string, string>) => ({ body: new URLSearchParams(o).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    const unknown = await call(h, "POST", `/${T.tenantId}/oauth2/v2.0/token`, form({ grant_type: "client_credentials", client_id: "x", client_secret: "y", scope: "https://graph.microsoft.com/.default" }));
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    const c = h.clients[0]!;
    const scope = await call(h, "POST", `/${T.tenantId}/oauth2/v2.0/token`, form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, scope: "https://graph.microsoft.com/User.Read" }));
    expect(scope.json.error).toBe("invalid_scope");
    const tenant = await call(h, "POST", `/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token`, form({ grant_type: "client_credentials" }));
    expect(tenant.json.error_codes).toEqual([90002]);
  });
});

describe("ARM authentication", () => {
  it("answers 401 AuthenticationFailed with a challenge when the header is missing", async () => {
    const res = await call(h, "GET", `/subscriptions?api-version=2022-12-01`);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("AuthenticationFailed");
    expect(res.headers["www-authenticate"]).toMatch(new RegExp(`^Bearer authorization_uri="${h.url}/${T.tenantId}"`));
  });

  it("answers 401 InvalidAuthenticationTokenAudience for a Graph token", async () => {
    const graph = await tokenFor(h, "https://graph.microsoft.com");
    const res = await call(h, "GET", `/subscriptions?api-version=2022-12-01`, { token: graph });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("InvalidAuthenticationTokenAudience");
  });

  it("answers 401 InvalidAuthenticationToken for a token it did not sign", async () => {
    const forged = arm.split(".").slice(0, 2).join(".") + ".AAAA";
    const res = await call(h, "GET", `/subscriptions?api-version=2022-12-01`, { token: forged });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("InvalidAuthenticationToken");
  });
});

describe("ARM wire behaviour", () => {
  it("requires api-version", async () => {
    const res = await call(h, "GET", `/subscriptions`, { token: arm });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("MissingApiVersionParameter");
  });

  it("pages with an absolute nextLink that keeps api-version and $filter", async () => {
    const filter = encodeURIComponent(`principalId eq '${T.appPrincipal}'`);
    const first = await call(h, "GET", `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${filter}`, { token: arm });
    expect(first.json.value).toHaveLength(2);
    const next = new URL(first.json.nextLink);
    expect(next.origin).toBe(h.url);
    expect(next.searchParams.get("api-version")).toBe("2022-04-01");
    expect(next.searchParams.get("$filter")).toBe(`principalId eq '${T.appPrincipal}'`);
    const second = await call(h, "GET", first.json.nextLink, { token: arm });
    expect(second.json.value).toHaveLength(2);
    expect(second.json.nextLink).toBeUndefined();
  });

  it("matches paths case-insensitively", async () => {
    const res = await call(h, "GET", `/SUBSCRIPTIONS/${T.sub1}/RESOURCEGROUPS/RG-APP?api-version=2021-04-01`, { token: arm });
    expect(res.status).toBe(200);
    expect(res.json.name).toBe("rg-app");
  });

  it("answers ARM's not-found codes and 405", async () => {
    const sub = await call(h, "GET", `/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups?api-version=1`, { token: arm });
    expect([sub.status, sub.json.error.code]).toEqual([404, "SubscriptionNotFound"]);
    const res = await call(h, "GET", `${ids.rgApp}/providers/Microsoft.Storage/storageAccounts/nope?api-version=1`, { token: arm });
    expect([res.status, res.json.error.code]).toEqual([404, "ResourceNotFound"]);
    const path = await call(h, "GET", `/nothing/here?api-version=1`, { token: arm });
    expect([path.status, path.json.error.code]).toEqual([404, "NotFound"]);
    const del = await call(h, "DELETE", `${ids.acr}?api-version=1`, { token: arm });
    expect(del.status).toBe(405);
  });

  it("rejects an unsupported role assignment filter with 400", async () => {
    const res = await call(h, "GET", `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent("roleDefinitionId eq 'x'")}`, { token: arm });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("UnsupportedQuery");
  });

  it("returns generic list items without properties", async () => {
    const res = await call(h, "GET", `/subscriptions/${T.sub1}/resources?api-version=2021-04-01&$top=100`, { token: arm });
    expect(res.json.value).toHaveLength(5);
    const aks = res.json.value.find((r: { name: string }) => r.name === "aks1");
    expect(aks.identity.type).toBe("SystemAssigned");
    expect(aks.properties).toBeUndefined();
  });
});

describe("Microsoft Graph", () => {
  it("resolves directory objects by id, leaving out unknown ids, with @odata.type", async () => {
    const graph = await tokenFor(h, "https://graph.microsoft.com");
    h.resetCounts();
    const res = await call(h, "POST", `/v1.0/directoryObjects/getByIds`, {
      token: graph,
      body: JSON.stringify({ ids: [T.kubeletPrincipal, T.deletedPrincipal, T.groupPrincipal] }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(res.json["@odata.context"]).toMatch(/\$metadata#directoryObjects$/);
    expect(res.json.value.map((o: { id: string; "@odata.type": string }) => [o.id, o["@odata.type"]])).toEqual([
      [T.kubeletPrincipal, "#microsoft.graph.servicePrincipal"],
      [T.groupPrincipal, "#microsoft.graph.group"],
    ]);
    const typed = await call(h, "POST", `/v1.0/directoryObjects/getByIds`, { token: graph, body: JSON.stringify({ ids: [T.kubeletPrincipal, T.groupPrincipal], types: ["group"] }) });
    expect(typed.json.value.map((o: { id: string }) => o.id)).toEqual([T.groupPrincipal]);
    expect(h.counts()["graph:getByIds"]).toBe(2);
  });

  it("refuses more than 1000 ids and an ARM token", async () => {
    const graph = await tokenFor(h, "https://graph.microsoft.com");
    const many = Array.from({ length: 1001 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);
    const res = await call(h, "POST", `/v1.0/directoryObjects/getByIds`, { token: graph, body: JSON.stringify({ ids: many }) });
    expect(res.status).toBe(400);
    const wrong = await call(h, "POST", `/v1.0/directoryObjects/getByIds`, { token: arm, body: JSON.stringify({ ids: [] }) });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe("InvalidAuthenticationToken");
  });
});

describe("counters and latency", () => {
  it("counts requests per route family and applies latency", async () => {
    h.resetCounts();
    await call(h, "GET", `/subscriptions?api-version=2022-12-01`, { token: arm });
    await call(h, "GET", `${ids.aks1}?api-version=2026-04-01`, { token: arm });
    await call(h, "GET", `/subscriptions?api-version=2022-12-01`);
    expect(h.counts()).toEqual({ "arm:subscriptions": 1, "arm:managedClusters": 1, "arm:unauthorized": 1 });
    h.setLatency(150);
    const t0 = Date.now();
    await call(h, "GET", `/subscriptions?api-version=2022-12-01`, { token: arm });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    h.setLatency(0);
  });
});
