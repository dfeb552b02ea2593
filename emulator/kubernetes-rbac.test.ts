import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call } from "./testdata/http-client";
import { kubeToken, rbacTenant, users } from "./testdata/rbac-tenant";
import { ids } from "./testdata/tenant";

const handles: EmulatorHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.map((x) => x.close()));
});

describe("Kubernetes RBAC for Entra users (aad-pod-identity not installed, Azure RBAC on)", () => {
  let h: EmulatorHandle;
  const get = async (user: { userPrincipalName: string }, path: string, method = "GET") => call(h, method, `${h.clusterServer(ids.aks2)}${path}`, { token: await kubeToken(h, user) });

  beforeAll(async () => {
    h = await startEmulator({ tenant: rbacTenant({ azureRbac: true, podIdentity: false }) });
    handles.push(h);
  });

  it("refuses a user without rights with the API server's 403 Status", async () => {
    const res = await get(users.nora, "/api/v1/pods");
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods is forbidden: User "nora@scopewise.test" cannot list resource "pods" in API group "" at the cluster scope: User does not have access to the resource in Azure. Update role assignment to allow access.',
      reason: "Forbidden",
      details: { kind: "pods" },
      code: 403,
    });
  });

  it("authorizes before resolving: an absent CRD is 403 without rights and 404 with them", async () => {
    const refused = await get(users.nora, "/apis/aadpodidentity.k8s.io/v1/azureidentities");
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe('azureidentities.aadpodidentity.k8s.io is forbidden: User "nora@scopewise.test" cannot list resource "azureidentities" in API group "aadpodidentity.k8s.io" at the cluster scope: User does not have access to the resource in Azure. Update role assignment to allow access.');
    expect(refused.json.details).toEqual({ group: "aadpodidentity.k8s.io", kind: "azureidentities" });
    const admin = await get(users.ada, "/apis/aadpodidentity.k8s.io/v1/azureidentities");
    expect(admin.status).toBe(404);
  });

  it("tells the absent CRD group through discovery, which every signed-in user may read", async () => {
    const apis = await get(users.nora, "/apis");
    expect(apis.status).toBe(200);
    expect(apis.json.groups.map((g: { name: string }) => g.name)).not.toContain("aadpodidentity.k8s.io");
    expect((await get(users.nora, "/apis/aadpodidentity.k8s.io")).status).toBe(404);
  });

  it("admits the aadProfile admin groups as cluster-admin", async () => {
    const res = await get(users.ada, "/api/v1/pods");
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeGreaterThan(0);
  });

  it("admits Azure RBAC data actions: AKS RBAC Reader lists pods but not custom resources", async () => {
    expect((await get(users.azure, "/api/v1/pods")).status).toBe(200);
    expect((await get(users.azure, "/api/v1/namespaces")).status).toBe(200);
    expect((await get(users.azure, "/apis/aadpodidentity.k8s.io/v1/azureidentities")).status).toBe(403);
  });

  it("limits a RoleBinding to its namespace and says where a request was refused", async () => {
    expect((await get(users.pat, "/api/v1/namespaces/payments/pods")).status).toBe(200);
    const other = await get(users.pat, "/api/v1/namespaces/default/pods");
    expect(other.status).toBe(403);
    expect(other.json.message).toMatch(/cannot list resource "pods" in API group "" in the namespace "default"/);
    expect((await get(users.pat, "/api/v1/pods")).json.message).toMatch(/at the cluster scope/);
  });

  it("refuses a write the user's role does not allow, before anything changes", async () => {
    const res = await get(users.victor, "/api/v1/namespaces/payments/serviceaccounts/api?fieldManager=t", "DELETE");
    expect(res.status).toBe(403);
    expect(res.json.message).toMatch(/User "victor@scopewise.test" cannot delete resource "serviceaccounts"/);
  });
});

describe("Kubernetes RBAC where aad-pod-identity is installed and Azure RBAC is off", () => {
  let h: EmulatorHandle;
  const get = async (user: { userPrincipalName: string }, path: string) => call(h, "GET", `${h.clusterServer(ids.aks2)}${path}`, { token: await kubeToken(h, user) });

  beforeAll(async () => {
    h = await startEmulator({ tenant: rbacTenant({ azureRbac: false, podIdentity: true }) });
    handles.push(h);
  });

  it("serves the CRD group in discovery and to a user whose role covers it", async () => {
    const apis = await get(users.nora, "/apis");
    expect(apis.json.groups.map((g: { name: string }) => g.name)).toContain("aadpodidentity.k8s.io");
    expect((await get(users.rita, "/apis/aadpodidentity.k8s.io/v1/azureidentities")).json.items).toHaveLength(1);
  });

  it("the built-in view role reads pods but not the aad-pod-identity resources", async () => {
    expect((await get(users.victor, "/api/v1/pods")).status).toBe(200);
    const crd = await get(users.victor, "/apis/aadpodidentity.k8s.io/v1/azureidentities");
    expect(crd.status).toBe(403);
    // Without Azure RBAC the API server adds nothing about Azure.
    expect(crd.json.message).toBe('azureidentities.aadpodidentity.k8s.io is forbidden: User "victor@scopewise.test" cannot list resource "azureidentities" in API group "aadpodidentity.k8s.io" at the cluster scope');
  });

  it("an Azure role assignment grants nothing in Kubernetes when Azure RBAC is off", async () => {
    expect((await get(users.azure, "/api/v1/pods")).status).toBe(403);
  });
});
