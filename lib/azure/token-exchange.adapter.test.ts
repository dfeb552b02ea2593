import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { call, tokenFor } from "@/emulator/testdata/http-client";
import { buildTestTenant, ids } from "@/emulator/testdata/tenant";
import { requestServiceAccountToken } from "@/lib/kubernetes/service-account-token";
import { exchangeServiceAccountToken } from "./token-exchange";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/aks1/";
const AUDIENCE = "api://AzureADTokenExchange";
const APP_CLIENT = "cccccccc-0000-0000-0000-000000000002";
/** An app registration (not a managed identity): its federated credentials live in Graph. */
const APP_REGISTRATION = "dddddddd-0000-0000-0000-0000000000b1";

function kubeConfigOf(h: EmulatorHandle, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(h.kubeconfig());
  kc.setCurrentContext(context);
  return kc;
}

describe("ServiceAccount token → Entra exchange, through @kubernetes/client-node and @azure/identity", () => {
  let h: EmulatorHandle;
  let aks1: KubeConfig;
  const exchange = (assertion: string, clientId = APP_CLIENT) => exchangeServiceAccountToken({ authorityHost: h.authorityHost, tenantId: h.tenantId, clientId, assertion, caPem: h.caPem });
  const saToken = (serviceAccount = "api", audience = AUDIENCE) => requestServiceAccountToken(aks1, { namespace: "payments", serviceAccount, audience });

  beforeAll(async () => {
    const tenant = buildTestTenant();
    // A second ServiceAccount whose name differs from a federated subject only in case.
    tenant.kubernetes![ids.aks1.toLowerCase()]!.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "API", namespace: "payments", uid: "u-upper" } });
    tenant.kubernetes![ids.aks1.toLowerCase()]!.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "stranger", namespace: "payments", uid: "u-stranger" } });
    tenant.principals.push({ "@odata.type": "#microsoft.graph.servicePrincipal", id: "aaaaaaaa-0000-0000-0000-0000000000b1", appId: APP_REGISTRATION, displayName: "orders-app", servicePrincipalType: "Application" });
    tenant.kubernetes![ids.aks2]!.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default", uid: "u-default" } });
    h = await startEmulator({ tenant, ficPropagationMs: 400 });
    aks1 = kubeConfigOf(h, "aks1");
  });
  afterAll(() => h.close());

  it("requestServiceAccountToken returns an RS256 JWT from the cluster's OIDC issuer for the ServiceAccount", async () => {
    const { token, expiresAt } = await requestServiceAccountToken(aks1, { namespace: "payments", serviceAccount: "api", audience: AUDIENCE, expirationSeconds: 1200 });
    const claims = decodeJwt(token);
    expect(decodeProtectedHeader(token).alg).toBe("RS256");
    expect(claims).toMatchObject({ iss: ISSUER, sub: "system:serviceaccount:payments:api", aud: [AUDIENCE], "kubernetes.io": { namespace: "payments", serviceaccount: { name: "api" } } });
    expect(claims.exp! - claims.iat!).toBe(1200);
    expect(Date.parse(expiresAt)).toBe(claims.exp! * 1000);
  });

  it("a token whose issuer, subject and audience a federated credential trusts is exchanged", async () => {
    const result = await exchange((await saToken()).token);
    expect(result).toMatchObject({ ok: true });
    expect((result as { expiresOn: number }).expiresOn).toBeGreaterThan(Date.now());
    expect(JSON.stringify(result)).not.toMatch(/eyJ/);
  });

  it("another ServiceAccount of the same cluster is refused with AADSTS700213 (subject)", async () => {
    const result = await exchange((await saToken("stranger")).token);
    expect(result).toMatchObject({ ok: false, code: "AADSTS700213" });
    expect((result as { message: string }).message).toContain("system:serviceaccount:payments:stranger");
    expect((result as { message: string }).message).not.toMatch(/Trace ID/);
  });

  it("a subject that differs only in case is refused: matching is case-sensitive (AADSTS7002138)", async () => {
    expect(await exchange((await saToken("API")).token)).toMatchObject({ ok: false, code: "AADSTS7002138" });
  });

  it("a token for another audience is refused with AADSTS700212", async () => {
    expect(await exchange((await saToken("api", "api://Other")).token)).toMatchObject({ ok: false, code: "AADSTS700212" });
  });

  const putCredential = async (name: string, issuer: string, subject: string) => {
    const arm = await tokenFor(h, "https://management.azure.com");
    const body = JSON.stringify({ properties: { issuer, subject, audiences: [AUDIENCE] } });
    const res = await call(h, "PUT", `${ids.appIdentity}/federatedIdentityCredentials/${name}?api-version=2023-01-31`, { token: arm, body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(201);
  };

  it("a cluster without the OIDC issuer signs with the in-cluster issuer: no credential trusts it (AADSTS700211), and one that does cannot find its keys (AADSTS50166)", async () => {
    const aks2 = kubeConfigOf(h, "aks2");
    const { token } = await requestServiceAccountToken(aks2, { namespace: "default", serviceAccount: "default", audience: AUDIENCE });
    expect(decodeJwt(token).iss).toBe("https://kubernetes.default.svc.cluster.local");
    expect(await exchange(token)).toMatchObject({ ok: false, code: "AADSTS700211" });
    await putCredential("in-cluster", "https://kubernetes.default.svc.cluster.local", "system:serviceaccount:default:default");
    await new Promise((r) => setTimeout(r, 450));
    expect(await exchange(token)).toMatchObject({ ok: false, code: "AADSTS50166" });
  });

  it("a credential written through ARM is seen after the propagation delay, not before", async () => {
    await putCredential("stranger", ISSUER, "system:serviceaccount:payments:stranger");
    const { token } = await saToken("stranger");
    expect(await exchange(token)).toMatchObject({ ok: false, code: "AADSTS700213" });
    await new Promise((r) => setTimeout(r, 450));
    expect(await exchange(token)).toMatchObject({ ok: true });
  });

  /** A JWT with the right claims, signed by a key that is not the cluster's. */
  async function forged(claims: Record<string, unknown>, kid?: string): Promise<string> {
    const { privateKey } = await generateKeyPair("RS256");
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: "system:serviceaccount:payments:api", aud: [AUDIENCE], iss: ISSUER, ...claims })
      .setProtectedHeader({ alg: "RS256", ...(kid ? { kid } : {}) })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  }

  it("a forged token is refused: unknown key id (AADSTS7000272), or the cluster's key id with another key's signature (AADSTS50027)", async () => {
    expect(await exchange(await forged({}, "not-a-published-kid"))).toMatchObject({ ok: false, code: "AADSTS7000272" });
    const realKid = decodeProtectedHeader((await saToken()).token).kid!;
    expect(await exchange(await forged({}, realKid))).toMatchObject({ ok: false, code: "AADSTS50027" });
  });

  it("an expired token is refused with AADSTS700024", async () => {
    const { token } = await saToken();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 3600 * 1000 });
    try {
      expect(await exchange(token)).toMatchObject({ ok: false, code: "AADSTS700024" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("an app registration's federated credential (created through Graph) is honoured for its appId", async () => {
    const { token } = await saToken("stranger");
    expect(await exchange(token, APP_REGISTRATION)).toMatchObject({ ok: false, code: "AADSTS70021" });
    const graph = await tokenFor(h, "https://graph.microsoft.com");
    const body = JSON.stringify({ name: "orders", issuer: ISSUER, subject: "system:serviceaccount:payments:stranger", audiences: [AUDIENCE] });
    const created = await call(h, "POST", `/v1.0/applications(appId='${APP_REGISTRATION}')/federatedIdentityCredentials`, { token: graph, body, headers: { "content-type": "application/json" } });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 450));
    expect(await exchange(token, APP_REGISTRATION)).toMatchObject({ ok: true });
    expect(await exchange(token, "eeeeeeee-0000-0000-0000-00000000dead")).toMatchObject({ ok: false, code: "AADSTS700016" });
  });

  it("once the identity's federated credentials are deleted through ARM, the same token is refused with AADSTS70021", async () => {
    const { token } = await saToken();
    const arm = await tokenFor(h, "https://management.azure.com");
    for (const name of ["api", "worker", "batch", "in-cluster", "stranger"]) {
      const res = await call(h, "DELETE", `${ids.appIdentity}/federatedIdentityCredentials/${name}?api-version=2023-01-31`, { token: arm });
      expect(res.status).toBeLessThan(300);
    }
    const result = await exchange(token);
    expect(result).toMatchObject({ ok: false, code: "AADSTS70021" });
    expect((result as { message: string }).message).toContain(`Assertion Issuer: '${ISSUER}'`);
  });
});
