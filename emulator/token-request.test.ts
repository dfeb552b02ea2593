import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalJWKSet, jwtVerify } from "jose";
import { parse as parseYaml } from "yaml";
import type { KubeWireObject } from "@/lib/model/wire";
import { startEmulator, type EmulatorHandle } from "./server";
import { call } from "./testdata/http-client";
import { kubeToken, rbacTenant, users } from "./testdata/rbac-tenant";
import { ids } from "./testdata/tenant";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/aks1/";

describe("TokenRequest (POST serviceaccounts/{name}/token) and the ServiceAccount issuer's documents", () => {
  let h: EmulatorHandle;
  let admin: string;
  let aks1: string;
  let aks2: string;
  const post = (server: string, ns: string, sa: string, body: unknown, token = admin) =>
    call(h, "POST", `${server}/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { token, body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });

  beforeAll(async () => {
    const tenant = rbacTenant({ azureRbac: false, podIdentity: false });
    tenant.kubernetes![ids.aks1.toLowerCase()]!.push({ apiVersion: "v1", kind: "Pod", metadata: { name: "api-bound", namespace: "payments", uid: "pod-uid-1" }, spec: { serviceAccountName: "api", containers: [] } });
    // nora holds exactly the applier ClusterRole of deploy/kubernetes; rita only the reader.
    const applier = parseYaml(readFileSync("deploy/kubernetes/scopewise-applier.yaml", "utf8")) as KubeWireObject;
    tenant.kubernetes![ids.aks2]!.push(
      applier,
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "nora-applier" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "scopewise-applier" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: users.nora.userPrincipalName }] },
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "payments", uid: "sa-uid-2" } },
    );
    h = await startEmulator({ tenant });
    admin = /token: (\S+)/.exec(h.kubeconfig())![1]!;
    aks1 = new URL(h.clusterServer(ids.aks1)!).pathname;
    aks2 = new URL(h.clusterServer(ids.aks2)!).pathname;
  });
  afterAll(() => h.close());

  it("answers 201 with the TokenRequest shape: spec echoed with defaults, status.token and status.expirationTimestamp", async () => {
    const res = await post(aks1, "payments", "api", { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: ["api://AzureADTokenExchange"] } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: "api", namespace: "payments" },
      spec: { audiences: ["api://AzureADTokenExchange"], expirationSeconds: 3600, boundObjectRef: null },
    });
    // Field for field what the API machinery's own TokenRequest fixture carries (lib/kubernetes/testdata/PROVENANCE.md).
    const fixture = JSON.parse(readFileSync("lib/kubernetes/testdata/tokenrequest-v1.json", "utf8")) as { spec: object; status: object };
    expect(Object.keys(res.json).sort()).toEqual(Object.keys(fixture).sort());
    expect(Object.keys(res.json.spec).filter((k) => !(k in fixture.spec))).toEqual([]);
    expect(Object.keys(res.json.status).sort()).toEqual(Object.keys(fixture.status).sort());
    expect(res.json.status.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(res.json.status.expirationTimestamp) - Date.now()).toBeGreaterThan(3590_000);
  });

  it("the token verifies against the JWKS the issuer's discovery document points to, and names the bound pod", async () => {
    const res = await post(aks1, "payments", "api", { spec: { audiences: ["api://AzureADTokenExchange"], expirationSeconds: 600, boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "api-bound", uid: "pod-uid-1" } } });
    expect(res.status).toBe(201);
    const key = /\/k8s\/([^/]+)/.exec(aks1)![1]!;
    const discovery = await call(h, "GET", `/oidc/${key}/.well-known/openid-configuration`);
    expect(discovery.json).toMatchObject({ issuer: ISSUER, id_token_signing_alg_values_supported: ["RS256"] });
    const jwks = await call(h, "GET", new URL(discovery.json.jwks_uri as string).pathname);
    const { payload } = await jwtVerify(res.json.status.token as string, createLocalJWKSet(jwks.json), { issuer: ISSUER, audience: "api://AzureADTokenExchange" });
    expect(payload).toMatchObject({ sub: "system:serviceaccount:payments:api", "kubernetes.io": { namespace: "payments", serviceaccount: { name: "api" }, pod: { name: "api-bound", uid: "pod-uid-1" } } });
  });

  it("a cluster without the OIDC issuer publishes no discovery document", async () => {
    const key = /\/k8s\/([^/]+)/.exec(aks2)![1]!;
    expect((await call(h, "GET", `/oidc/${key}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await call(h, "GET", `/oidc/${key}/openid/v1/jwks`)).status).toBe(404);
  });

  it("refuses bad bodies as the API server does: 422 below 600 s, 400 for a body that is not JSON, 404 / 409 / 400 for a bad pod binding", async () => {
    const short = await post(aks1, "payments", "api", { spec: { audiences: ["x"], expirationSeconds: 599 } });
    expect(short.status).toBe(422);
    expect(short.json).toMatchObject({ kind: "Status", reason: "Invalid" });
    expect(short.json.message).toContain("spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes");
    expect((await post(aks1, "payments", "api", "{not json")).status).toBe(400);
    expect((await post(aks1, "payments", "api", { spec: { boundObjectRef: { kind: "Pod", name: "gone" } } })).status).toBe(404);
    const recreated = await post(aks1, "payments", "api", { spec: { boundObjectRef: { kind: "Pod", name: "api-bound", uid: "old-uid" } } });
    expect(recreated.status).toBe(409);
    expect(recreated.json.message).toContain("does not match the UID in record");
    expect((await post(aks1, "payments", "api", { spec: { boundObjectRef: { kind: "Secret", name: "s" } } })).status).toBe(400);
  });

  it("a missing ServiceAccount is 404 with the API server's message", async () => {
    const res = await post(aks1, "payments", "nobody", { spec: {} });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ kind: "Status", reason: "NotFound", message: 'serviceaccounts "nobody" not found' });
  });

  it("deploy/kubernetes/scopewise-applier.yaml is enough for a token; the reader role is not", async () => {
    const nora = await kubeToken(h, users.nora);
    expect((await post(aks2, "payments", "api", { spec: { audiences: ["api://AzureADTokenExchange"] } }, nora)).status).toBe(201);
    // Authorized to read a workload's status: an absent Deployment is 404, not 403.
    expect((await call(h, "GET", `${aks2}/apis/apps/v1/namespaces/payments/deployments/web`, { token: nora })).status).toBe(404);
    const rita = await kubeToken(h, users.rita);
    expect((await post(aks2, "payments", "api", { spec: {} }, rita)).status).toBe(403);
  });

  it("is authorized as create serviceaccounts/token: a user with view only gets 403, a cluster admin gets a token", async () => {
    const victor = await kubeToken(h, users.victor);
    const denied = await post(aks2, "payments", "api", { spec: {} }, victor);
    expect(denied.status).toBe(403);
    expect(denied.json.message).toMatch(/^serviceaccounts "api" is forbidden: User "victor@scopewise.test" cannot create resource "serviceaccounts\/token" in API group "" in the namespace "payments"/);
    const ada = await kubeToken(h, users.ada);
    // ada is in the cluster-admin group: authorized, and then the missing ServiceAccount is what fails.
    expect((await post(aks2, "payments", "nobody", { spec: {} }, ada)).status).toBe(404);
  });
});
