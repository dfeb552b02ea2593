import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTenantFile } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import { armReadTarget, holdsAction, principalIdsFor } from "./access";
import type { RequestContext } from "./http";
import { startEmulator, type EmulatorHandle } from "./server";
import { TenantStore } from "./store";
import { call } from "./testdata/http-client";

let tenant: TenantFile;
let h: EmulatorHandle;
const client = { clientId: "5c4a1e2b-6f7d-4a8e-9b0c-1d2e3f405162", clientSecret: "scopewise-app-secret" };
const tokens: Record<string, string> = {};
let hub: string;
let prod: string;

async function userToken(upn: string, password: string): Promise<string> {
  const res = await call(h, "POST", `/${h.tenantId}/oauth2/v2.0/token`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", client_id: client.clientId, client_secret: client.clientSecret, username: upn, password, scope: "https://management.azure.com/.default" }).toString(),
  });
  expect(res.status).toBe(200);
  return res.json.access_token;
}

beforeAll(async () => {
  tenant = await loadTenantFile(new URL("../fixtures/tenants/demo.json", import.meta.url).pathname);
  hub = tenant.subscriptions.find((s) => s.displayName === "contoso-connectivity")!.subscriptionId;
  prod = tenant.subscriptions.find((s) => s.displayName === "contoso-payments-prod")!.subscriptionId;
  h = await startEmulator({ tenant, clients: [client] });
  tokens.bob = await userToken("bob.schmidt@contoso.com", "demo-reader");
  tokens.dana = await userToken("dana.okafor@contoso.com", "demo-platform-admin");
  tokens.alice = await userToken("alice.nguyen@contoso.com", "demo-security-lead");
  const app = await call(h, "POST", `/${h.tenantId}/oauth2/v2.0/token`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "https://management.azure.com/.default" }).toString(),
  });
  tokens.app = app.json.access_token;
});
afterAll(async () => {
  await h?.close();
});

const names = (res: { json: { value: { displayName: string }[] } }) => res.json.value.map((s) => s.displayName).sort();

describe("ARM answers per the token's user", () => {
  it("lists only the subscriptions a user can read", async () => {
    expect(names(await call(h, "GET", "/subscriptions?api-version=2022-12-01", { token: tokens.bob }))).toEqual(["contoso-connectivity"]);
    expect(names(await call(h, "GET", "/subscriptions?api-version=2022-12-01", { token: tokens.alice }))).toEqual(["contoso-payments-prod"]);
    // Dana holds Owner through her group's assignment on the contoso management group.
    expect(names(await call(h, "GET", "/subscriptions?api-version=2022-12-01", { token: tokens.dana }))).toEqual(["contoso-connectivity", "contoso-devtest", "contoso-payments-prod"]);
    expect(names(await call(h, "GET", "/subscriptions?api-version=2022-12-01", { token: tokens.app }))).toHaveLength(3);
  });

  it("answers 403 AuthorizationFailed, in ARM's words, for a scope the user cannot read", async () => {
    const res = await call(h, "GET", `/subscriptions/${prod}/resourceGroups?api-version=2021-04-01`, { token: tokens.bob });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("AuthorizationFailed");
    expect(res.json.error.message).toMatch(
      new RegExp(`^The client 'bob.schmidt@contoso.com' with object id '[0-9a-f-]{36}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read' over scope '/subscriptions/${prod}' or the scope is invalid.`),
    );
    const ok = await call(h, "GET", `/subscriptions/${hub}/resourceGroups?api-version=2021-04-01`, { token: tokens.bob });
    expect(ok.status).toBe(200);
    expect(ok.json.value.length).toBeGreaterThan(0);
  });

  it("lets a Reader read role assignments but not list cluster credentials (an action, not a read)", async () => {
    expect((await call(h, "GET", `/subscriptions/${hub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, { token: tokens.bob })).status).toBe(200);
    const cluster = tenant.resources.find((r) => r.type === "Microsoft.ContainerService/managedClusters" && r.id.includes(prod))!;
    const denied = await call(h, "POST", `${cluster.id}/listClusterUserCredential?api-version=2024-05-01`, { token: tokens.alice });
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain("'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'");
    expect((await call(h, "POST", `${cluster.id}/listClusterUserCredential?api-version=2024-05-01`, { token: tokens.dana })).status).toBe(200);
  });

  it("refuses a Reader's role assignment write with 403 and lets an Owner write", async () => {
    const scope = `/subscriptions/${hub}`;
    const body = JSON.stringify({ properties: { roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, principalId: tenant.users![2]!.id, principalType: "User" } });
    const path = `${scope}/providers/Microsoft.Authorization/roleAssignments/7f1c1a52-2b1d-4a55-9b0a-0c3b8d1e2f10?api-version=2022-04-01`;
    const refused = await call(h, "PUT", path, { token: tokens.bob, body, headers: { "content-type": "application/json" } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("AuthorizationFailed");
    expect(refused.json.error.message).toContain("Microsoft.Authorization/roleAssignments/write");
  });

  it("limits Resource Graph rows to the user's subscriptions", async () => {
    const res = await call(h, "POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01", {
      token: tokens.bob,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "resources | project id, subscriptionId" }),
    });
    expect(res.status).toBe(200);
    const subs = new Set((res.json.data as { subscriptionId: string }[]).map((r) => r.subscriptionId.toLowerCase()));
    expect([...subs]).toEqual([hub.toLowerCase()]);
  });
});

describe("rights evaluation", () => {
  it("expands group membership from the tenant file's users", () => {
    const store = new TenantStore(tenant);
    const dana = tenant.users!.find((u) => u.userPrincipalName.startsWith("dana"))!;
    const ids = principalIdsFor(store, { oid: dana.id, idtyp: "user" });
    expect(ids.has(dana.memberOf![0]!.toLowerCase())).toBe(true);
    expect(holdsAction(store, ids, `/subscriptions/${prod}`, "Microsoft.Authorization/roleAssignments/write")).toBe(true);
    const bob = tenant.users!.find((u) => u.userPrincipalName.startsWith("bob"))!;
    expect(holdsAction(store, new Set([bob.id]), `/subscriptions/${hub}/resourceGroups/rg-hub-dns`, "Microsoft.Network/dnszones/read")).toBe(true);
    expect(holdsAction(store, new Set([bob.id]), `/subscriptions/${hub}`, "Microsoft.Authorization/roleAssignments/write")).toBe(false);
  });

  it("maps ARM paths to the scope and action they read", () => {
    const ctx = (path: string, method = "GET") => {
      const segments = path.split("/").filter(Boolean);
      return { method, segments, lower: segments.map((s) => s.toLowerCase()) } as unknown as RequestContext;
    };
    expect(armReadTarget(ctx("/subscriptions/s1"))).toEqual({ scope: "/subscriptions/s1", action: "Microsoft.Resources/subscriptions/read" });
    expect(armReadTarget(ctx("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments"))).toEqual({
      scope: "/subscriptions/s1/resourceGroups/rg",
      action: "Microsoft.Authorization/roleAssignments/read",
    });
    expect(armReadTarget(ctx("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1/federatedIdentityCredentials"))).toEqual({
      scope: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1",
      action: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read",
    });
    expect(armReadTarget(ctx("/subscriptions"))).toBeUndefined();
    expect(armReadTarget(ctx("/providers/Microsoft.Management/managementGroups/contoso"))).toEqual({
      scope: "/providers/Microsoft.Management/managementGroups/contoso",
      action: "Microsoft.Management/managementGroups/read",
    });
  });
});

describe("writes through group membership", () => {
  it("lets Dana write a role assignment through her group's Owner role", async () => {
    const scope = `/subscriptions/${hub}`;
    const body = JSON.stringify({ properties: { roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/43d0d8ad-25c7-4714-9337-8ba259a9fe05`, principalId: tenant.users![2]!.id, principalType: "User" } });
    const path = `${scope}/providers/Microsoft.Authorization/roleAssignments/0d6b7c1e-5a4f-4e3b-9c2d-1f0e9d8c7b6a?api-version=2022-04-01`;
    const res = await call(h, "PUT", path, { token: tokens.dana, body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(201);
  });
});
