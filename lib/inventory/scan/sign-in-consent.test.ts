import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { sessionCredential } from "@/lib/auth/session";
import { MemorySessionStore } from "@/lib/auth/session-store";
import { signIn, signInSettingsFor, testAppRegistration } from "@/lib/auth/sign-in.testing";
import type { SignInSettings } from "@/lib/env";
import { aksEntraServerAppId } from "@/lib/kubernetes/kubeconfig";
import { normalizeId } from "@/lib/model/scope";
import { loadTenantFile } from "@/lib/tenant/schema";
import type { TenantFile } from "@/lib/tenant/types";
import { scanTenant } from "./index";

/**
 * `npm run demo -- --sign-in`'s path: a person signs in (msal-node, authorization code + PKCE) and
 * the scan reads with their session's delegated tokens. The demo tenant's consent block makes the
 * AKS server app need each person's consent: Dana gave it, Wei did not.
 */
describe("a signed-in scan of Entra-enabled clusters without consent to the AKS server app", () => {
  let h: EmulatorHandle;
  let tenant: TenantFile;
  let settings: SignInSettings;

  beforeAll(async () => {
    tenant = await loadTenantFile("fixtures/tenants/demo.json");
    h = await startEmulator({ tenant, clients: [testAppRegistration] });
    settings = signInSettingsFor(h);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const scanAs = async (upn: string, password: string) => {
    const store = new MemorySessionStore();
    const { session } = await signIn(h, settings, store, upn, password);
    const inventory = await scanTenant({ credential: sessionCredential(settings, store, session), tenantId: h.tenantId, armEndpoint: h.armEndpoint, graphEndpoint: h.graphEndpoint, caPem: h.caPem });
    return { inventory, store, session };
  };
  const aadClusters = () => tenant.resources.filter((r) => /managedClusters$/i.test(String(r.type)) && r.properties?.aadProfile).map((r) => normalizeId(r.id));

  it("shows the ARM data, marks each Entra cluster 'consent needed for cluster access' naming the permission, and keeps the session", async () => {
    const { inventory, store, session } = await scanAs("wei.chen@contoso.com", "demo-sre");
    // ARM is read as Wei: the clusters, identities and role assignments of payments-prod are there.
    expect(inventory.clusters.map((c) => c.name).sort()).toEqual(["aks-orders-prod", "aks-payments-prod"]);
    expect(inventory.roleAssignments.length).toBeGreaterThan(20);
    const consent = inventory.errors.filter((e) => e.code === "consent_required");
    expect(consent.map((e) => normalizeId(e.cluster!)).sort()).toEqual(aadClusters().filter((id) => inventory.clusters.some((c) => normalizeId(c.id) === id)).sort());
    for (const e of consent) {
      expect(e).toMatchObject({ source: "kubernetes:credentials", status: 401 });
      expect(e.message).toMatch(/^consent needed for cluster access: Entra answered AADSTS65001/);
      expect(e.message).toContain(`the delegated permission user.read of Azure Kubernetes Service AAD Server (application ${aksEntraServerAppId})`);
    }
    expect(inventory.kubernetes.readClusterIds).toEqual([]);
    // The sign-in is not over: no loop back to the sign-in page.
    expect(await store.getSession(session.id)).toBeDefined();
    await expect(sessionCredential(settings, store, session).getToken("https://management.azure.com/.default")).resolves.toMatchObject({ token: expect.any(String) });
  }, 60_000);

  it("a person who consented reads the same clusters' workloads", async () => {
    const { inventory } = await scanAs("dana.okafor@contoso.com", "demo-platform-admin");
    expect(inventory.errors.filter((e) => e.code === "consent_required")).toEqual([]);
    expect(inventory.kubernetes.readClusterIds.map(normalizeId)).toEqual(expect.arrayContaining(aadClusters()));
  }, 60_000);

  it("MFA or Conditional Access on the AKS server app is interaction_required for that cluster, not an ended session", async () => {
    const strict = structuredClone(tenant);
    strict.consent = { interactionRequired: [aksEntraServerAppId] };
    const e = await startEmulator({ tenant: strict, clients: [testAppRegistration] });
    try {
      const s = signInSettingsFor(e);
      const store = new MemorySessionStore();
      const { session } = await signIn(e, s, store, "dana.okafor@contoso.com", "demo-platform-admin");
      const inventory = await scanTenant({ credential: sessionCredential(s, store, session), tenantId: e.tenantId, armEndpoint: e.armEndpoint, graphEndpoint: e.graphEndpoint, caPem: e.caPem });
      const refused = inventory.errors.filter((x) => x.code === "interaction_required");
      expect(refused.map((x) => normalizeId(x.cluster!)).sort()).toEqual(aadClusters().sort());
      expect(refused[0]!.message).toMatch(/^consent needed for cluster access: Entra wants an interactive sign-in \(MFA or Conditional Access\)/);
      expect(await store.getSession(session.id)).toBeDefined();
    } finally {
      await e.close();
    }
  }, 60_000);
});
