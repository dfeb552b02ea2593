import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { ClientSecretCredential } from "@azure/identity";
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMigrationTenant } from "@/lib/remediation/apply/testdata/migration-tenant";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { ids, T } from "./testdata/tenant";

let h: EmulatorHandle;
let msi: ManagedServiceIdentityClient;
let auth: AuthorizationManagementClient;
let kc: KubeConfig;

beforeAll(async () => {
  h = await startEmulator({ tenant: buildMigrationTenant(), rollout: { msPerPod: 0 } });
  const credential = new ClientSecretCredential(h.tenantId, h.clients[0]!.clientId, h.clients[0]!.clientSecret, { authorityHost: h.url, disableInstanceDiscovery: true, tlsOptions: { ca: h.caPem } });
  msi = new ManagedServiceIdentityClient(credential, T.sub1, { endpoint: h.url, tlsOptions: { ca: h.caPem } } as never);
  auth = new AuthorizationManagementClient(credential, T.sub1, { endpoint: h.url, tlsOptions: { ca: h.caPem } } as never);
  kc = new KubeConfig();
  kc.loadFromString(h.kubeconfig());
  kc.setCurrentContext("aks1");
});
afterAll(async () => {
  await h?.close();
});

const acrPull = `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/${T.acrPullRole}`;

describe("user-assigned identity writes", () => {
  it("creates an identity whose principal can be granted at once, then deletes it with its credentials", async () => {
    const created = await msi.userAssignedIdentities.createOrUpdate("rg-app", "id-reports", { location: "westeurope", tags: { app: "reports" } });
    expect(created.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.clientId).not.toBe(created.principalId);
    const again = await msi.userAssignedIdentities.createOrUpdate("rg-app", "id-reports", { location: "westeurope" });
    expect(again.principalId).toBe(created.principalId);
    const names: string[] = [];
    for await (const i of msi.userAssignedIdentities.listByResourceGroup("rg-app")) names.push(i.name!);
    expect(names).toContain("id-reports");

    await auth.roleAssignments.create(ids.acr, "eeeeeeee-0000-0000-0000-000000000001", { roleDefinitionId: acrPull, principalId: created.principalId! });
    await msi.federatedIdentityCredentials.createOrUpdate("rg-app", "id-reports", "reports", { issuer: "https://issuer.example/", subject: "system:serviceaccount:default:reports", audiences: ["api://AzureADTokenExchange"] });
    await msi.userAssignedIdentities.delete("rg-app", "id-reports");
    await expect(msi.userAssignedIdentities.get("rg-app", "id-reports")).rejects.toMatchObject({ statusCode: 404 });
    await expect(msi.federatedIdentityCredentials.get("rg-app", "id-reports", "reports")).rejects.toMatchObject({ statusCode: 404 });
    const token = await tokenFor(h, "https://management.azure.com");
    expect((await call(h, "DELETE", `${ids.rgApp}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-reports?api-version=2023-01-31`, { token })).status).toBe(204);
  });

  it("refuses a missing location and an invalid name", async () => {
    const token = await tokenFor(h, "https://management.azure.com");
    const noLocation = await call(h, "PUT", `${ids.rgApp}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x?api-version=2023-01-31`, { token, headers: { "content-type": "application/json" }, body: "{}" });
    expect([noLocation.status, noLocation.json.error.code]).toEqual([400, "LocationRequired"]);
    await expect(msi.userAssignedIdentities.createOrUpdate("rg-app", "-bad", { location: "westeurope" })).rejects.toMatchObject({ statusCode: 400, code: "InvalidResourceName" });
  });
});

describe("federated identity credential writes", () => {
  const issuer = "https://westeurope.oic.prod-aks.azure.com/tenant/aks1/";
  it("creates (201), replaces (200), refuses a duplicate subject and a bad issuer, deletes (200 then 204)", async () => {
    const token = await tokenFor(h, "https://management.azure.com");
    const path = `${ids.appIdentity}/federatedIdentityCredentials/reports?api-version=2023-01-31`;
    const body = (subject: string, iss = issuer) => JSON.stringify({ properties: { issuer: iss, subject, audiences: ["api://AzureADTokenExchange"] } });
    const headers = { "content-type": "application/json" };
    expect((await call(h, "PUT", path, { token, headers, body: body("system:serviceaccount:default:reports") })).status).toBe(201);
    expect((await call(h, "PUT", path, { token, headers, body: body("system:serviceaccount:default:reports2") })).status).toBe(200);
    const dup = await call(h, "PUT", `${ids.appIdentity}/federatedIdentityCredentials/other?api-version=2023-01-31`, { token, headers, body: body("system:serviceaccount:default:reports2") });
    expect(dup.status).toBe(409);
    const bad = await call(h, "PUT", path, { token, headers, body: body("x", "http://plain") });
    expect([bad.status, bad.json.error.message]).toEqual([400, expect.stringContaining("https")]);
    const listed: string[] = [];
    for await (const f of msi.federatedIdentityCredentials.list("rg-app", "payments-api")) listed.push(`${f.name}=${f.subject}`);
    expect(listed).toContain("reports=system:serviceaccount:default:reports2");
    expect((await call(h, "DELETE", path, { token })).status).toBe(200);
    expect((await call(h, "DELETE", path, { token })).status).toBe(204);
  });
});

describe("Kubernetes server-side apply and deletes", () => {
  const api = () => KubernetesObjectApi.makeApiClient(kc);
  const apply = (o: KubernetesObject, manager = "scopewise", force = false) => api().patch(o, undefined, undefined, manager, force, PatchStrategy.ServerSideApply);

  it("creates and merges a ServiceAccount, records the field manager, and removes fields the manager stops applying", async () => {
    const sa = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "reports", namespace: "default", annotations: { "azure.workload.identity/client-id": "c1", team: "x" } } };
    const created = await apply(sa);
    expect(created.metadata?.managedFields?.[0]).toMatchObject({ manager: "scopewise", operation: "Apply", fieldsV1: { "f:metadata": { "f:annotations": { "f:azure.workload.identity/client-id": {} } } } });
    await apply({ ...sa, metadata: { ...sa.metadata, annotations: { "azure.workload.identity/client-id": "c1" } } });
    const read = await kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: "reports", namespace: "default" });
    expect(read.metadata?.annotations).toEqual({ "azure.workload.identity/client-id": "c1" });
  });

  it("a field another manager applied conflicts (409) unless forced", async () => {
    const sa = (v: string) => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "reports", namespace: "default", annotations: { "azure.workload.identity/client-id": v } } });
    await expect(apply(sa("c2"), "kubectl")).rejects.toMatchObject({ code: 409 });
    const forced = await apply(sa("c2"), "kubectl", true);
    expect(forced.metadata?.annotations?.["azure.workload.identity/client-id"]).toBe("c2");
  });

  it("a changed pod template rolls the Deployment's pods out with the new labels and ServiceAccount", async () => {
    await apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "reports", namespace: "default" }, spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } }, spec: { serviceAccountName: "reports" } } } } as KubernetesObject);
    const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "default", labelSelector: "app=reports" })).items;
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata?.labels).toMatchObject({ app: "reports", aadpodidbinding: "reader", "azure.workload.identity/use": "true" });
      expect(p.spec?.serviceAccountName).toBe("reports");
      expect(p.spec?.containers[0]?.image).toBe("acrapp.azurecr.io/reports:1");
      expect(p.metadata?.ownerReferences?.[0]?.name).toBe(`reports-${p.metadata?.labels?.["pod-template-hash"]}`);
    }
  });

  it("refuses other patch types (415) and a missing fieldManager; deletes a binding (then 404)", async () => {
    const token = /token: (\S+)/.exec(h.kubeconfig())![1]!;
    const base = new URL(h.clusterServer(ids.aks1)!).pathname;
    const merge = await call(h, "PATCH", `${base}/api/v1/namespaces/default/serviceaccounts/reports?fieldManager=x`, { token, body: "{}", headers: { "content-type": "application/merge-patch+json" } });
    expect(merge.status).toBe(415);
    const noManager = await call(h, "PATCH", `${base}/api/v1/namespaces/default/serviceaccounts/reports`, { token, body: "{}", headers: { "content-type": "application/apply-patch+yaml" } });
    expect(noManager.status).toBe(422);
    const binding = { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", metadata: { name: "reader-binding", namespace: "default" } };
    await api().delete(binding);
    await expect(api().read(binding)).rejects.toMatchObject({ code: 404 });
    await expect(api().delete(binding)).rejects.toMatchObject({ code: 404 });
  });

  it("moves the cluster's resourceVersion on with every write and delete, never back", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const revision = async () => Number((await core.listNamespace({ limit: 1 })).metadata?.resourceVersion);
    const before = await revision();
    const sa = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "short-lived", namespace: "default" } };
    await apply(sa as KubernetesObject);
    const written = await revision();
    expect(written).toBeGreaterThan(before);
    await api().delete(sa);
    expect(await revision()).toBeGreaterThan(written);
  });
});

describe("failWrite and who may write", () => {
  it("fails exactly the nth write, whatever API it goes to", async () => {
    h.failWrite({ nth: 2, status: 403 });
    const sa = (n: string) => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: n, namespace: "default" } });
    const api = KubernetesObjectApi.makeApiClient(kc);
    await api.patch(sa("one"), undefined, undefined, "t", false, PatchStrategy.ServerSideApply);
    await expect(auth.roleAssignments.create(ids.acr, "eeeeeeee-0000-0000-0000-000000000009", { roleDefinitionId: acrPull, principalId: T.appPrincipal })).rejects.toMatchObject({ statusCode: 403, code: "AuthorizationFailed" });
    await api.patch(sa("three"), undefined, undefined, "t", false, PatchStrategy.ServerSideApply);
  });

  it("refuses a signed-in user without a role that grants the write, as ARM does", async () => {
    const body = new URLSearchParams({ grant_type: "password", client_id: h.clients[0]!.clientId, client_secret: h.clients[0]!.clientSecret, username: "alice@scopewise.test", password: "correct horse", scope: "https://management.azure.com/user_impersonation" }).toString();
    const token = (await call(h, "POST", `/${h.tenantId}/oauth2/v2.0/token`, { body, headers: { "content-type": "application/x-www-form-urlencoded" } })).json.access_token as string;
    const res = await call(h, "PUT", `${ids.acr}/providers/Microsoft.Authorization/roleAssignments/eeeeeeee-0000-0000-0000-000000000010?api-version=2022-04-01`, {
      token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ properties: { roleDefinitionId: acrPull, principalId: T.appPrincipal } }),
    });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatchObject({ code: "AuthorizationFailed", message: expect.stringContaining("Microsoft.Authorization/roleAssignments/write") });

    // User Access Administrator on the resource group (granted by the app) lets her write below it.
    await auth.roleAssignments.create(ids.rgApp, "eeeeeeee-0000-0000-0000-000000000011", {
      roleDefinitionId: `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9`,
      principalId: "eeeeeeee-0000-0000-0000-000000000001",
      principalType: "User",
    });
    const allowed = await call(h, "PUT", `${ids.acr}/providers/Microsoft.Authorization/roleAssignments/eeeeeeee-0000-0000-0000-000000000010?api-version=2022-04-01`, {
      token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ properties: { roleDefinitionId: acrPull, principalId: T.appPrincipal } }),
    });
    expect(allowed.status).toBe(201);
    expect(allowed.json.properties.createdBy).toBe("eeeeeeee-0000-0000-0000-000000000001");
  });
});
