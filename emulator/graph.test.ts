import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { buildTestTenant, ids, T } from "./testdata/tenant";

/** A group of a partner tenant granted Reader on rg-app; the tenant file (wrongly) also lists it as a principal. */
const FOREIGN_GROUP = "dddddddd-0000-0000-0000-0000000000f1";

let h: EmulatorHandle;
let graph: string;

beforeAll(async () => {
  const tenant = buildTestTenant();
  tenant.roleAssignments.push({
    id: `${ids.rgApp}/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-0000000000f1`,
    name: "bbbbbbbb-0000-0000-0000-0000000000f1",
    type: "Microsoft.Authorization/roleAssignments",
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${T.readerRole}`, principalId: FOREIGN_GROUP, principalType: "ForeignGroup", scope: ids.rgApp },
  });
  tenant.principals.push({ id: FOREIGN_GROUP, "@odata.type": "#microsoft.graph.group", displayName: "partner-operators" });
  h = await startEmulator({ tenant });
  graph = await tokenFor(h, "https://graph.microsoft.com");
});
afterAll(async () => {
  await h?.close();
});

describe("Graph and principals of other tenants", () => {
  it("leaves a ForeignGroup out of directoryObjects/getByIds, as this tenant's directory cannot return it", async () => {
    const res = await call(h, "POST", "/v1.0/directoryObjects/getByIds", {
      token: graph,
      body: JSON.stringify({ ids: [FOREIGN_GROUP, T.appPrincipal, T.groupPrincipal] }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(res.json.value.map((o: { id: string }) => o.id).sort()).toEqual([T.appPrincipal, T.groupPrincipal].sort());
  });

  it("answers 404 for a direct read of it", async () => {
    const res = await call(h, "GET", `/v1.0/groups/${FOREIGN_GROUP}`, { token: graph });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("Request_ResourceNotFound");
  });

  it("still lists the assignment itself in ARM", async () => {
    const arm = await tokenFor(h, "https://management.azure.com");
    const res = await call(h, "GET", `${ids.rgApp}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`, { token: arm });
    expect(res.json.value.find((a: { properties: { principalId: string } }) => a.properties.principalId === FOREIGN_GROUP)?.properties.principalType).toBe("ForeignGroup");
  });
});
