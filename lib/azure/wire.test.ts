import { describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { getWire, listWire, wireCapturePolicy } from "@/lib/azure/wire";
import { WireListError } from "@/lib/model/source-error";
import { toSourceError } from "@/lib/model/source-error";

const credential: TokenCredential = {
  getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3600_000 }),
};

/** An HTTP client that serves fixed pages by path + skip token, as ARM does with nextLink. */
function pagedHttpClient(pages: Record<string, { status: number; body: unknown }>): HttpClient & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      urls.push(request.url);
      const url = new URL(request.url);
      const key = `${url.pathname}${url.searchParams.get("$skiptoken") ? `#${url.searchParams.get("$skiptoken")}` : ""}`;
      const page = pages[key];
      const status = page?.status ?? 404;
      const body = page?.body ?? { error: { code: "NotFound", message: `no page ${key}` } };
      return { request, status, headers: createHttpHeaders({ "content-type": "application/json" }), bodyAsText: JSON.stringify(body) };
    },
  };
}

const sub = "00000000-0000-0000-0000-00000000aaaa";
const base = "https://arm.test";
const assignmentsPath = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments`;

function assignment(n: number) {
  return {
    id: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/ra-${n}`,
    name: `ra-${n}`,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
      principalId: `p-${n}`,
      principalType: "ServicePrincipal",
      scope: `/subscriptions/${sub}`,
      // A field this SDK version does not model: the wire copy must keep it.
      futureField: { nested: n },
    },
  };
}

function nextLink(path: string, token: string): string {
  return `${base}${path}?api-version=2022-04-01&$skiptoken=${token}`;
}

function authorizationClient(httpClient: HttpClient) {
  return new AuthorizationManagementClient(credential, sub, {
    endpoint: base,
    httpClient,
    additionalPolicies: [{ policy: wireCapturePolicy, position: "perCall" }],
    retryOptions: { maxRetries: 0 },
  });
}

describe("listWire", () => {
  it("collects every page of a classic SDK list with properties still nested", async () => {
    const http = pagedHttpClient({
      [assignmentsPath]: { status: 200, body: { value: [assignment(1), assignment(2)], nextLink: nextLink(assignmentsPath, "p2") } },
      [`${assignmentsPath}#p2`]: { status: 200, body: { value: [assignment(3), assignment(4)], nextLink: nextLink(assignmentsPath, "p3") } },
      [`${assignmentsPath}#p3`]: { status: 200, body: { value: [assignment(5)] } },
    });
    const client = authorizationClient(http);
    const items = await listWire(() => client.roleAssignments.listForSubscription());
    expect(items.map((i) => i.name)).toEqual(["ra-1", "ra-2", "ra-3", "ra-4", "ra-5"]);
    const first = items[0] as ReturnType<typeof assignment>;
    // The SDK model flattens properties (principalId at the top); the wire copy does not.
    expect(first.properties.principalId).toBe("p-1");
    expect(first.properties.futureField).toEqual({ nested: 1 });
    expect((first as Record<string, unknown>).principalId).toBeUndefined();
    expect(http.urls).toHaveLength(3);
  });

  it("captures next pages of the modular container service client, which drops caller options on nextLink calls", async () => {
    const path = `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters`;
    const cluster = (n: number) => ({
      id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c${n}`,
      name: `c${n}`,
      type: "Microsoft.ContainerService/managedClusters",
      location: "westeurope",
      properties: { kubernetesVersion: "1.30.0", identityProfile: { kubeletidentity: { objectId: `k-${n}` } } },
    });
    const http = pagedHttpClient({
      [path]: { status: 200, body: { value: [cluster(1)], nextLink: `${base}${path}?api-version=2026-04-01&$skiptoken=b` } },
      [`${path}#b`]: { status: 200, body: { value: [cluster(2)], nextLink: `${base}${path}?api-version=2026-04-01&$skiptoken=c` } },
      [`${path}#c`]: { status: 200, body: { value: [cluster(3)] } },
    });
    const client = new ContainerServiceClient(credential, sub, {
      endpoint: base,
      httpClient: http,
      additionalPolicies: [{ policy: wireCapturePolicy, position: "perCall" }],
      retryOptions: { maxRetries: 0 },
    });
    const items = await listWire(() => client.managedClusters.list());
    expect(items.map((i) => i.name)).toEqual(["c1", "c2", "c3"]);
    expect((items[2]?.properties as { identityProfile: { kubeletidentity: { objectId: string } } }).identityProfile.kubeletidentity.objectId).toBe("k-3");
  });

  it("keeps concurrent lists on one client apart", async () => {
    const other = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions`;
    const http = pagedHttpClient({
      [assignmentsPath]: { status: 200, body: { value: [assignment(1)], nextLink: nextLink(assignmentsPath, "p2") } },
      [`${assignmentsPath}#p2`]: { status: 200, body: { value: [assignment(2)] } },
      [other]: { status: 200, body: { value: [{ id: `${other}/x`, name: "x", properties: { roleName: "X" } }], nextLink: nextLink(other, "q") } },
      [`${other}#q`]: { status: 200, body: { value: [{ id: `${other}/y`, name: "y", properties: { roleName: "Y" } }] } },
    });
    const client = authorizationClient(http);
    const [assignments, definitions] = await Promise.all([
      listWire(() => client.roleAssignments.listForSubscription()),
      listWire(() => client.roleDefinitions.list(`subscriptions/${sub}`)),
    ]);
    expect(assignments.map((a) => a.name)).toEqual(["ra-1", "ra-2"]);
    expect(definitions.map((d) => d.name)).toEqual(["x", "y"]);
    // The scope is passed without its leading slash so the path has no "//".
    expect(http.urls.some((u) => new URL(u).pathname === other)).toBe(true);
  });

  it("reports a failed page with the pages already read and the ARM error code", async () => {
    const http = pagedHttpClient({
      [assignmentsPath]: { status: 200, body: { value: [assignment(1), assignment(2)], nextLink: nextLink(assignmentsPath, "p2") } },
      [`${assignmentsPath}#p2`]: {
        status: 403,
        body: { error: { code: "AuthorizationFailed", message: "The client does not have authorization to perform action." } },
      },
    });
    const client = authorizationClient(http);
    const failure = await listWire(() => client.roleAssignments.listForSubscription()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WireListError);
    expect((failure as WireListError).partial.map((i) => i.name)).toEqual(["ra-1", "ra-2"]);
    const sourceError = toSourceError(failure, { source: "arm:roleAssignments", scope: `/subscriptions/${sub}` });
    expect(sourceError).toMatchObject({ source: "arm:roleAssignments", status: 403, code: "AuthorizationFailed", scope: `/subscriptions/${sub}` });
    expect(sourceError.message).toMatch(new RegExp(`^you lack rights on /subscriptions/${sub}`));
  });
});

describe("getWire", () => {
  it("returns the raw body of a single request", async () => {
    const path = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/ra-7`;
    const http = pagedHttpClient({ [path]: { status: 200, body: assignment(7) } });
    const client = authorizationClient(http);
    const body = await getWire(() => client.roleAssignments.getById(`subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/ra-7`));
    expect((body.properties as { principalId: string }).principalId).toBe("p-7");
  });
});
