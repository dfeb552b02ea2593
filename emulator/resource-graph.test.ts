import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { buildTestTenant, ids, T } from "./testdata/tenant";

let h: EmulatorHandle;
let token: string;

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant(), pageSize: 4 });
  token = await tokenFor(h, "https://management.azure.com");
});
afterAll(async () => {
  await h?.close();
});

function query(body: Record<string, unknown>) {
  return call(h, "POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01", {
    token,
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
}

describe("Resource Graph", () => {
  it("filters resources by lower-cased type and projects columns", async () => {
    const res = await query({ query: "resources | where type =~ 'Microsoft.ContainerService/managedClusters' | project id, name, kubelet = properties.identityProfile.kubeletidentity.objectId | order by name asc" });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual([
      { id: ids.aks1, name: "aks1", kubelet: T.kubeletPrincipal },
      { id: ids.aks2, name: "aks2", kubelet: null },
    ]);
    expect(res.json.totalRecords).toBe(2);
  });

  it("pages role assignments with $skipToken and keeps the subscription scope", async () => {
    const q = "authorizationresources | where type == 'microsoft.authorization/roleassignments' | project id, principalId = properties.principalId, subscriptionId";
    const seen: string[] = [];
    let skipToken: string | undefined;
    let pages = 0;
    do {
      const res = await query({ subscriptions: [T.sub2], query: q, options: skipToken ? { $skipToken: skipToken } : {} });
      expect(res.status).toBe(200);
      seen.push(...res.json.data.map((r: { id: string }) => r.id));
      skipToken = res.json.$skipToken;
      pages++;
    } while (skipToken);
    // sub2's two assignments plus the tenant-level ones (root and management group).
    expect(seen.map((id) => id.slice(-2)).sort()).toEqual(["01", "02", "10", "11"]);
    expect(pages).toBe(1);
    const all = await query({ query: q, options: { $top: 5 } });
    expect(all.json.count).toBe(5);
    expect(all.json.totalRecords).toBe(11);
    const rest = await query({ query: q, options: { $skipToken: all.json.$skipToken } });
    expect(rest.json.count).toBe(5);
  });

  it("supports in~, and/or, parentheses and management group scope", async () => {
    const res = await query({
      managementGroups: ["platform"],
      query: "resources | where type in~ ('microsoft.managedidentity/userassignedidentities', 'Microsoft.ContainerRegistry/registries') and (name startswith 'pay' or name == 'acrapp') | project name",
    });
    expect(res.json.data.map((r: { name: string }) => r.name).sort()).toEqual(["acrapp", "payments-api"]);
  });

  it("answers ARG's InvalidQuery error for unsupported KQL", async () => {
    const res = await query({ query: "resources | summarize count() by type" });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].code).toBe("InvalidQuery");
  });
});
