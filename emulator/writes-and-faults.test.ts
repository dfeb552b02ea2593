import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ClientSecretCredential } from "@azure/identity";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { buildTestTenant, ids, T } from "./testdata/tenant";

let h: EmulatorHandle;
let client: AuthorizationManagementClient;

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant(), pageSize: 50 });
  const credential = new ClientSecretCredential(h.tenantId, h.clients[0]!.clientId, h.clients[0]!.clientSecret, {
    authorityHost: h.url,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: h.caPem },
  });
  client = new AuthorizationManagementClient(credential, T.sub1, { endpoint: h.url, tlsOptions: { ca: h.caPem } });
});
afterAll(async () => {
  await h?.close();
});

async function namesAt(scope: string): Promise<string[]> {
  const out: string[] = [];
  for await (const a of client.roleAssignments.listForScope(scope, { filter: "atScope()" })) out.push(a.name!);
  return out;
}

describe("role assignment writes", () => {
  const name = "dddddddd-0000-0000-0000-000000000001";
  const roleDefinitionId = `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/${T.acrPullRole}`;

  it("creates an assignment that later lists and gets show", async () => {
    const created = await client.roleAssignments.create(ids.acr, name, { roleDefinitionId, principalId: T.appPrincipal });
    expect(created.id).toBe(`${ids.acr}/providers/Microsoft.Authorization/roleAssignments/${name}`);
    expect(created.principalType).toBe("ServicePrincipal");
    expect(created.createdBy).toMatch(/^[0-9a-f-]{36}$/);
    expect(await namesAt(ids.acr)).toContain(name);
  });

  it("refuses a duplicate under another name, an unknown role and an unknown principal", async () => {
    await expect(client.roleAssignments.create(ids.acr, "dddddddd-0000-0000-0000-000000000002", { roleDefinitionId, principalId: T.appPrincipal })).rejects.toMatchObject({
      statusCode: 409,
      code: "RoleAssignmentExists",
    });
    await expect(
      client.roleAssignments.create(ids.acr, "dddddddd-0000-0000-0000-000000000003", { roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000", principalId: T.appPrincipal }),
    ).rejects.toMatchObject({ statusCode: 400, code: "RoleDefinitionDoesNotExist" });
    await expect(client.roleAssignments.create(ids.acr, "dddddddd-0000-0000-0000-000000000004", { roleDefinitionId, principalId: T.deletedPrincipal })).rejects.toMatchObject({
      statusCode: 400,
      code: "PrincipalNotFound",
    });
  });

  it("deletes an assignment (200 with the body, then 204)", async () => {
    const deleted = await client.roleAssignments.delete(ids.acr, name);
    expect(deleted.name).toBe(name);
    expect(await namesAt(ids.acr)).not.toContain(name);
    const token = await tokenFor(h, "https://management.azure.com");
    const again = await call(h, "DELETE", `${ids.acr}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`, { token });
    expect(again.status).toBe(204);
  });
});

describe("fault injection", () => {
  it("throttles ARM with 429 + Retry-After, which the SDK retries", async () => {
    h.resetCounts();
    h.injectFault({ family: "arm:roleAssignments", times: 1, status: 429, retryAfterSeconds: 1 });
    const t0 = Date.now();
    expect((await namesAt(ids.rgApp)).length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(h.counts()["arm:roleAssignments"]).toBe(2);
  });

  it("answers the raw 429 in ARM's shape and Kubernetes 503 as a Status", async () => {
    const token = await tokenFor(h, "https://management.azure.com");
    h.injectFault({ family: "arm:", times: 1, status: 429, retryAfterSeconds: 7 });
    const res = await call(h, "GET", `/subscriptions?api-version=2022-12-01`, { token });
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
    expect(res.json.error.code).toBe("TooManyRequests");

    const kc = new KubeConfig();
    kc.loadFromString(h.kubeconfig());
    kc.setCurrentContext("aks1");
    h.injectFault({ family: "k8s:pods", times: 1, status: 500 });
    await expect(kc.makeApiClient(CoreV1Api).listPodForAllNamespaces()).rejects.toMatchObject({ code: 500 });
    expect((await kc.makeApiClient(CoreV1Api).listPodForAllNamespaces({ limit: 100 })).items).toHaveLength(6);
  });
});
