import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { buildTestTenant, ids, T } from "./testdata/tenant";

let h: EmulatorHandle;
let token: string;

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant(), pageSize: 50 });
  token = await tokenFor(h, "https://management.azure.com");
});
afterAll(async () => {
  await h?.close();
});

const json = { "content-type": "application/json" };
const graph = (body: Record<string, unknown>) => call(h, "POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01", { token, body: JSON.stringify(body), headers: json });
const arm = (method: string, id: string, body?: unknown) => call(h, method, `${id}?api-version=2023-01-31`, { token, headers: json, ...(body ? { body: JSON.stringify(body) } : {}) });

/** Changes after `since`, the way a rescan asks for them. */
async function changesSince(table: "resourcechanges" | "resourcecontainerchanges", since: string, subscriptions?: string[]) {
  const res = await graph({
    query: `${table} | extend changeTime = todatetime(properties.changeAttributes.timestamp) | where changeTime > datetime(${since}) | project id, type, targetResourceId = tostring(properties.targetResourceId), targetResourceType = tostring(properties.targetResourceType), changeType = tostring(properties.changeType), changes = properties.changes, subscriptionId`,
    ...(subscriptions ? { subscriptions } : {}),
  });
  expect(res.status, res.text).toBe(200);
  return res.json.data as { id: string; type: string; targetResourceId: string; targetResourceType: string; changeType: string; changes: Record<string, { newValue: string }>; subscriptionId: string }[];
}

describe("Resource Graph change tables", () => {
  it("record the emulator's own identity and federated-credential writes, in Azure's row shape", async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const fic = `${ids.appIdentity}/federatedIdentityCredentials/orders-new`;
    expect((await arm("PUT", fic, { properties: { issuer: "https://issuer.example/", subject: "system:serviceaccount:orders:api", audiences: ["api://AzureADTokenExchange"] } })).status).toBe(201);
    const identity = `${ids.rgApp}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-new`;
    expect((await arm("PUT", identity, { location: "westeurope" })).status).toBe(201);
    expect((await arm("DELETE", identity)).status).toBe(200);

    const rows = await changesSince("resourcechanges", since);
    expect(rows.map((r) => [r.targetResourceId, r.changeType])).toEqual([
      [fic, "Create"],
      [identity, "Create"],
      [identity, "Delete"],
    ]);
    expect(rows[0]).toMatchObject({ type: "microsoft.resources/changes", targetResourceType: "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials", subscriptionId: T.sub1 });
    expect(rows[0]!.id).toMatch(new RegExp(`^${fic}/providers/Microsoft.Resources/changes/[0-9a-f-]{36}$`));
    // Role assignments are authorization resources: change analysis does not track them.
    await call(h, "PUT", `${ids.rgApp}/providers/Microsoft.Authorization/roleAssignments/cccccccc-0000-4000-8000-000000000001?api-version=2022-04-01`, {
      token,
      headers: json,
      body: JSON.stringify({ properties: { roleDefinitionId: `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/${T.readerRole}`, principalId: T.appPrincipal, principalType: "ServicePrincipal" } }),
    });
    expect((await changesSince("resourcechanges", since)).length).toBe(3);
  });

  it("record a change applied to the tenant, with the properties that changed, and only for the queried subscriptions", async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const cluster = (await arm("GET", ids.aks1)).json as { id: string; properties: Record<string, unknown> };
    h.putResource({ ...cluster, properties: { ...cluster.properties, oidcIssuerProfile: { enabled: false } } });
    const rows = await changesSince("resourcechanges", since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ targetResourceId: ids.aks1, targetResourceType: "microsoft.containerservice/managedclusters", changeType: "Update" });
    expect(rows[0]!.changes["properties.oidcIssuerProfile.enabled"]?.newValue).toBe("false");
    expect(await changesSince("resourcechanges", since, [T.sub2])).toEqual([]);
    expect((await arm("GET", ids.aks1)).json.properties.oidcIssuerProfile).toEqual({ enabled: false });
  });

  it("put resource groups in resourcecontainerchanges and each resource deleted with its group in resourcechanges", async () => {
    const since = new Date(Date.now() - 1).toISOString();
    h.deleteResource(ids.rgOther);
    expect((await changesSince("resourcecontainerchanges", since)).map((r) => [r.targetResourceId, r.targetResourceType, r.changeType])).toEqual([
      [ids.rgOther, "microsoft.resources/subscriptions/resourcegroups", "Delete"],
    ]);
    expect((await changesSince("resourcechanges", since)).map((r) => r.targetResourceId)).toContain(ids.aks2);
    expect((await changesSince("resourcechanges", new Date().toISOString())).length).toBe(0);
  });
});
