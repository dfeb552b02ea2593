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
    // sub2's two assignments; by default (AtScopeAndBelow) nothing inherited from above it.
    expect(seen.map((id) => id.slice(-2)).sort()).toEqual(["10", "11"]);
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

  it("scopes a query that projects subscriptionId away, as ARG evaluates it only over the given subscriptions", async () => {
    const res = await query({ subscriptions: [T.sub2], query: "resources | project id" });
    expect(res.json.data.map((r: { id: string }) => r.id)).toEqual([ids.aks2]);
  });

  it("answers ARG's InvalidQuery error for unsupported KQL", async () => {
    const res = await query({ query: "resources | summarize count() by type" });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].code).toBe("InvalidQuery");
  });
});

describe("Resource Graph authorizationScopeFilter", () => {
  const assignments = "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | project id";
  const definitions = "authorizationresources | where type =~ 'microsoft.authorization/roledefinitions' | project id, name, roleType = properties.type";
  const suffixes = async (body: Record<string, unknown>) => {
    const res = await query({ ...body, options: { $top: 1000, ...(body.options as object) } });
    expect(res.status).toBe(200);
    return res.json.data.map((r: { id: string }) => r.id.slice(-2)).sort();
  };

  it("leaves out management-group and root assignments by default (AtScopeAndBelow)", async () => {
    expect(await suffixes({ subscriptions: [T.sub1], query: assignments })).toEqual(["03", "04", "05", "06", "07", "08", "09"]);
  });

  it("AtScopeAboveAndBelow adds what the subscription inherits from its management group and the root", async () => {
    const options = { authorizationScopeFilter: "AtScopeAboveAndBelow" };
    expect(await suffixes({ subscriptions: [T.sub1], query: assignments, options })).toEqual(["01", "02", "03", "04", "05", "06", "07", "08", "09"]);
    // sub2 sits under no declared management group: only the root is above it.
    expect(await suffixes({ subscriptions: [T.sub2], query: assignments, options })).toEqual(["01", "10", "11"]);
  });

  it("AtScopeAndAbove and AtScopeExact leave out what is below the subscription", async () => {
    expect(await suffixes({ subscriptions: [T.sub1], query: assignments, options: { authorizationScopeFilter: "AtScopeAndAbove" } })).toEqual(["01", "02", "03", "04"]);
    expect(await suffixes({ subscriptions: [T.sub1], query: assignments, options: { authorizationScopeFilter: "AtScopeExact" } })).toEqual(["03", "04"]);
  });

  it("scopes by management group: the group and below by default, the group and above with AtScopeAndAbove", async () => {
    expect(await suffixes({ managementGroups: ["platform"], query: assignments })).toEqual(["02", "03", "04", "05", "06", "07", "08", "09"]);
    expect(await suffixes({ managementGroups: ["platform"], query: assignments, options: { authorizationScopeFilter: "AtScopeAndAbove" } })).toEqual(["01", "02"]);
  });

  it("returns built-in role definitions (stored at the root) only with a filter that looks above", async () => {
    const below = await query({ subscriptions: [T.sub1], query: definitions, options: { $top: 1000 } });
    expect(below.json.data).toEqual([expect.objectContaining({ name: T.customRole, roleType: "CustomRole" })]);
    const all = await query({ subscriptions: [T.sub1], query: definitions, options: { $top: 1000, authorizationScopeFilter: "AtScopeAboveAndBelow" } });
    expect(all.json.totalRecords).toBeGreaterThan(900);
    expect(all.json.data.some((r: { name: string }) => r.name === T.ownerRole)).toBe(true);
    expect(all.json.data.some((r: { name: string }) => r.name === T.customRole)).toBe(true);
  });

  it("refuses a filter value ARG does not know", async () => {
    const res = await query({ subscriptions: [T.sub1], query: assignments, options: { authorizationScopeFilter: "AtScopeAndSideways" } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("authorizationScopeFilter");
  });
});
