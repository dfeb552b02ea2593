import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ClientSecretCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startEmulator, type EmulatorHandle } from "./server";
import { buildTestTenant, ids, T } from "./testdata/tenant";

let h: EmulatorHandle;
let credential: ClientSecretCredential;
/** How every ARM client trusts the emulator: its endpoint plus the CA through `tlsOptions`. */
let clientOptions: { endpoint: string; tlsOptions: { ca: string } };

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant(), pageSize: 2 });
  credential = new ClientSecretCredential(h.tenantId, h.clients[0]!.clientId, h.clients[0]!.clientSecret, {
    authorityHost: h.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: h.caPem },
  });
  clientOptions = { endpoint: h.armEndpoint, tlsOptions: { ca: h.caPem } };
});
afterAll(async () => {
  await h?.close();
});

describe("Entra ID through @azure/identity", () => {
  it("issues an RS256 token for ARM with tenant, object id and expiry", async () => {
    const token = await credential.getToken("https://management.azure.com/.default");
    const [header, payload] = token.token.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
    expect(header.alg).toBe("RS256");
    expect(payload.aud).toBe("https://management.azure.com");
    expect(payload.tid).toBe(T.tenantId);
    expect(payload.appid).toBe(h.clients[0]!.clientId);
    expect(payload.iss).toBe(`${h.url}/${T.tenantId}/v2.0`);
    expect(payload.exp - payload.iat).toBe(3600);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3500_000);
  });

  it("refuses a wrong client secret with AAD's invalid_client", async () => {
    const bad = new ClientSecretCredential(h.tenantId, h.clients[0]!.clientId, "wrong", { authorityHost: h.url, disableInstanceDiscovery: true, tlsOptions: { ca: h.caPem } });
    await expect(bad.getToken("https://management.azure.com/.default")).rejects.toThrow(/AADSTS7000215/);
  });
});

describe("ARM through the Azure SDKs", () => {
  it("lists subscriptions", async () => {
    const subs = await all(new SubscriptionClient(credential, clientOptions).subscriptions.list());
    expect(subs.map((s) => s.subscriptionId).sort()).toEqual([T.sub1, T.sub2]);
    expect(subs.find((s) => s.subscriptionId === T.sub1)?.displayName).toBe("hub");
  });

  it("lists role assignments for a subscription across pages (at, above and below the subscription)", async () => {
    h.resetCounts();
    const client = new AuthorizationManagementClient(credential, T.sub1, clientOptions);
    const list = await all(client.roleAssignments.listForSubscription());
    const names = list.map((a) => Number(a.name!.slice(-2)));
    // root (1), management group (2), subscription (3, 4), resource group (5, 6), resource (7), child resource (8), node RG (9)
    expect(names.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.counts()["arm:roleAssignments"]).toBe(5); // 9 items at 2 per page
    expect(list[0]!.principalId).toBeDefined();
    expect(list[0]!.roleDefinitionId).toMatch(/\/providers\/Microsoft\.Authorization\/roleDefinitions\//);
  });

  it("includes inherited assignments when listing a resource group, and atScope() drops those below", async () => {
    const client = new AuthorizationManagementClient(credential, T.sub1, clientOptions);
    const rg = await all(client.roleAssignments.listForResourceGroup("RG-APP"));
    expect(rg.map((a) => Number(a.name!.slice(-2))).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const atScope = await all(client.roleAssignments.listForResourceGroup("rg-app", { filter: "atScope()" }));
    expect(atScope.map((a) => Number(a.name!.slice(-2))).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("filters by principalId at, above and below, combines atScope() with assignedTo() and refuses it with principalId, as ARM does", async () => {
    const client = new AuthorizationManagementClient(credential, T.sub1, clientOptions);
    const byPrincipal = await all(client.roleAssignments.listForSubscription({ filter: `principalId eq '${T.kubeletPrincipal}'` }));
    expect(byPrincipal.map((a) => Number(a.name!.slice(-2))).sort((a, b) => a - b)).toEqual([3, 5, 7]);
    const assignedTo = await all(client.roleAssignments.listForScope(ids.rgApp, { filter: `assignedTo('${T.appPrincipal}')` }));
    expect(assignedTo.map((a) => Number(a.name!.slice(-2))).sort((a, b) => a - b)).toEqual([2, 4, 6, 8]);
    const both = await all(client.roleAssignments.listForScope(ids.rgApp, { filter: `atScope() and assignedTo('${T.appPrincipal}')` }));
    expect(both.map((a) => Number(a.name!.slice(-2))).sort((a, b) => a - b)).toEqual([2, 4, 6]);
    await expect(all(client.roleAssignments.listForScope(ids.rgApp, { filter: `atScope() and principalId eq '${T.appPrincipal}'` }))).rejects.toMatchObject({
      statusCode: 400,
      code: "UnsupportedQuery",
    });
  });

  it("lists at a resource and a management group scope", async () => {
    const client = new AuthorizationManagementClient(credential, T.sub1, clientOptions);
    const acr = await all(client.roleAssignments.listForScope(ids.acr));
    expect(acr.map((a) => Number(a.name!.slice(-2))).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const mg = await all(client.roleAssignments.listForScope(T.mg, { filter: "atScope()" }));
    expect(mg.map((a) => Number(a.name!.slice(-2))).sort((a, b) => a - b)).toEqual([1, 2]);
  });

  it("gets a role assignment by id and answers 404 for an unknown one", async () => {
    const client = new AuthorizationManagementClient(credential, T.sub1, clientOptions);
    const id = `${ids.acr}/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000007`;
    expect((await client.roleAssignments.getById(id)).principalId).toBe(T.kubeletPrincipal);
    await expect(client.roleAssignments.get(ids.acr, "bbbbbbbb-0000-0000-0000-000000000099")).rejects.toMatchObject({ statusCode: 404, code: "RoleAssignmentNotFound" });
  });

  it("lists and gets role definitions, built-in and custom", async () => {
    const client = new AuthorizationManagementClient(credential, T.sub1, clientOptions);
    const owner = await all(client.roleDefinitions.list(`/subscriptions/${T.sub1}`, { filter: "roleName eq 'Owner'" }));
    expect(owner).toHaveLength(1);
    expect(owner[0]!.id).toBe(`/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/${T.ownerRole}`);
    expect(owner[0]!.permissions?.[0]?.actions).toEqual(["*"]);
    const custom = await all(client.roleDefinitions.list(ids.rgApp, { filter: "type eq 'CustomRole'" }));
    expect(custom.map((d) => d.roleName)).toEqual(["AKS Node Operator (custom)"]);
    // The custom role is assignable only in sub1.
    expect(await all(client.roleDefinitions.list(`/subscriptions/${T.sub2}`, { filter: "type eq 'CustomRole'" }))).toHaveLength(0);
    const got = await client.roleDefinitions.get("/", T.ownerRole);
    expect(got.roleName).toBe("Owner");
    expect(got.id).toBe(`/providers/Microsoft.Authorization/roleDefinitions/${T.ownerRole}`);
    const byId = await client.roleDefinitions.getById(`/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/${T.customRole}`);
    expect(byId.roleType).toBe("CustomRole");
    await expect(client.roleDefinitions.get("/", "00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ statusCode: 404, code: "RoleDefinitionDoesNotExist" });
  });

  it("lists managed clusters and returns a user kubeconfig pointing at the emulator", async () => {
    const client = new ContainerServiceClient(credential, T.sub1, clientOptions);
    const clusters = await all(client.managedClusters.list());
    expect(clusters.map((c) => c.name)).toEqual(["aks1"]);
    expect(clusters[0]!.identityProfile?.kubeletidentity?.objectId).toBe(T.kubeletPrincipal);
    const byRg = await all(client.managedClusters.listByResourceGroup("rg-app"));
    expect(byRg).toHaveLength(1);
    const creds = await client.managedClusters.listClusterUserCredentials("rg-app", "aks1");
    expect(creds.kubeconfigs?.[0]?.name).toBe("clusterUser");
    const kubeconfig = parse(Buffer.from(creds.kubeconfigs![0]!.value!).toString("utf8"));
    expect(kubeconfig.clusters[0].cluster.server).toBe(h.clusterServer(ids.aks1));
    expect(Buffer.from(kubeconfig.clusters[0].cluster["certificate-authority-data"], "base64").toString()).toBe(h.caPem);
    expect(kubeconfig.users[0].user.token).toMatch(/^ey/);
  });

  it("gives an AAD-enabled cluster's user kubeconfig a kubelogin exec plugin, like AKS", async () => {
    const client = new ContainerServiceClient(credential, T.sub2, clientOptions);
    const creds = await client.managedClusters.listClusterUserCredentials("rg-other", "aks2");
    const kubeconfig = parse(Buffer.from(creds.kubeconfigs![0]!.value!).toString("utf8"));
    expect(kubeconfig.users[0].user.exec.command).toBe("kubelogin");
    expect(kubeconfig.users[0].user.exec.args).toContain("6dae42f8-4368-4678-94ff-3960e28e3630");
    await expect(client.managedClusters.get("rg-other", "nope")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
  });

  it("lists user-assigned identities and their federated credentials across pages", async () => {
    const client = new ManagedServiceIdentityClient(credential, T.sub1, clientOptions);
    const identities = await all(client.userAssignedIdentities.listBySubscription());
    expect(identities.map((i) => i.name).sort()).toEqual(["aks1-agentpool", "payments-api"]);
    expect(identities.find((i) => i.name === "payments-api")?.principalId).toBe(T.appPrincipal);
    h.resetCounts();
    const fics = await all(client.federatedIdentityCredentials.list("rg-app", "payments-api"));
    expect(fics.map((f) => f.subject)).toEqual(["system:serviceaccount:payments:api", "system:serviceaccount:payments:worker", "system:serviceaccount:payments:batch"]);
    expect(h.counts()["arm:federatedIdentityCredentials"]).toBe(2);
    const one = await client.federatedIdentityCredentials.get("rg-app", "payments-api", "worker");
    expect(one.audiences).toEqual(["api://AzureADTokenExchange"]);
  });

  it("lists generic resources with $filter, without properties, and gets any resource by id", async () => {
    const client = new ResourceManagementClient(credential, T.sub1, clientOptions);
    const identities = await all(client.resources.list({ filter: "resourceType eq 'Microsoft.ManagedIdentity/userAssignedIdentities'" }));
    expect(identities.map((r) => r.name).sort()).toEqual(["aks1-agentpool", "payments-api"]);
    expect(identities.every((r) => r.properties === undefined)).toBe(true);
    const either = await all(
      client.resources.listByResourceGroup("rg-app", { filter: "resourceType eq 'Microsoft.ContainerRegistry/registries' or resourceType eq 'Microsoft.Network/virtualNetworks'" }),
    );
    expect(either.map((r) => r.name).sort()).toEqual(["acrapp", "vnet-app"]);
    const acr = await client.resources.getById(ids.acr, "2023-07-01");
    expect(acr.properties).toEqual({ loginServer: "acrapp.azurecr.io" });
    const subnet = await client.resources.getById(`${ids.vnet}/subnets/aks`, "2024-05-01");
    expect(subnet.properties).toEqual({ addressPrefix: "10.0.0.0/22" });
    const rgs = await all(client.resourceGroups.list());
    expect(rgs.map((r) => r.name).sort()).toEqual(["MC_rg-app_aks1_westeurope", "rg-app"]);
    expect(rgs.find((r) => r.name!.startsWith("MC_"))?.managedBy).toBe(ids.aks1);
    await expect(client.resourceGroups.get("missing")).rejects.toMatchObject({ statusCode: 404, code: "ResourceGroupNotFound" });
  });
});
