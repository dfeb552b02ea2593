import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { buildTestTenant, ids, T } from "@/emulator/testdata/tenant";
import { buildDemo } from "@/fixtures/tenants/demo-scenario";
import { aksEntraServerAppId } from "@/lib/kubernetes/kubeconfig";
import { normalizeId } from "@/lib/model/scope";
import { loadTenantFile } from "@/lib/tenant/schema";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import type { KubeWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";
import { buildInventory } from "./build";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { collectTenant, ScanAuthenticationError, scanTenant } from "./scan";
import type { RawCollection } from "@/lib/model/wire";

/** Wraps a credential to record the scopes asked for, so tests can see which audience each call used. */
function recording(credential: TokenCredential): TokenCredential & { scopes: Set<string> } {
  const scopes = new Set<string>();
  return {
    scopes,
    getToken: (scope, options) => {
      for (const s of Array.isArray(scope) ? scope : [scope]) scopes.add(s);
      return credential.getToken(scope, options);
    },
  };
}

const kinds = (objects: KubeWireObject[] | undefined, kind: string) => (objects ?? []).filter((o) => o.kind === kind);
const byId = (raw: RawCollection, id: string) => raw.resources.find((r) => normalizeId(r.id) === normalizeId(id));

describe("collectTenant against the emulator (small pages)", () => {
  let tenant: TenantFile;
  let emulator: EmulatorHandle;
  let raw: RawCollection;
  let scopes: Set<string>;

  beforeAll(async () => {
    tenant = buildTestTenant();
    emulator = await startEmulator({ tenant, pageSize: 2 });
    const config = scanConfigForEmulator(emulator);
    const credential = recording(config.credential);
    scopes = credential.scopes;
    raw = await collectTenant({ ...config, credential, kubernetesPageSize: 2 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it("reads everything without errors", () => {
    expect(raw.errors).toEqual([]);
    expect(raw.tenantId).toBe(T.tenantId);
    expect(raw.subscriptions.map((s) => s.subscriptionId).sort()).toEqual([T.sub1, T.sub2]);
  });

  it("pages role assignments across many pages and keeps each assignment exactly once", () => {
    const got = raw.roleAssignments.map((a) => normalizeId(a.id));
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual(tenant.roleAssignments.map((a) => normalizeId(a.id)).sort());
    // 9 assignments apply in sub1 alone; at 2 per page that is 5 pages, plus sub2's pages.
    expect(emulator.counts()["arm:roleAssignments"]).toBeGreaterThanOrEqual(7);
  });

  it("keeps ARM objects in wire shape, properties nested", () => {
    const assignment = raw.roleAssignments.find((a) => a.name === "bbbbbbbb-0000-0000-0000-000000000007");
    expect(assignment?.properties).toMatchObject({ principalId: T.kubeletPrincipal, scope: ids.acr });
    expect((assignment as Record<string, unknown>).principalId).toBeUndefined();
    const cluster = byId(raw, ids.aks1);
    expect(cluster?.properties).toMatchObject({ identityProfile: { kubeletidentity: { objectId: T.kubeletPrincipal } } });
    const identity = byId(raw, ids.appIdentity);
    expect(identity?.properties).toMatchObject({ clientId: "cccccccc-0000-0000-0000-000000000002", principalId: T.appPrincipal });
    expect(identity?.tags).toEqual({ team: "payments" });
  });

  it("fetches full virtual networks (subnets) although ARM's generic list omits properties", () => {
    const vnet = byId(raw, ids.vnet);
    const subnets = (vnet?.properties as { subnets?: { id: string }[] } | undefined)?.subnets ?? [];
    expect(subnets.map((s) => s.id)).toContain(`${ids.vnet}/subnets/aks`);
    // Resources only the generic list covers stay as listed: no properties.
    expect(byId(raw, ids.acr)?.properties).toBeUndefined();
  });

  it("reads role definitions once per GUID (built-in and custom)", () => {
    const names = raw.roleDefinitions.map((d) => String(d.name).toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining([T.customRole, T.ownerRole, T.readerRole, T.acrPullRole]));
    const custom = raw.roleDefinitions.find((d) => d.name === T.customRole);
    expect(custom?.properties).toMatchObject({ roleName: "AKS Node Operator (custom)", type: "CustomRole" });
    // Built-in roles are listed once (first subscription); the second asks for custom roles only.
    const builtIn = raw.roleDefinitions.filter((d) => (d.properties as { type?: string }).type === "BuiltInRole").length;
    expect(builtIn).toBeGreaterThan(500);
    expect(emulator.counts()["arm:roleDefinitions"]).toBeLessThanOrEqual(Math.ceil(builtIn / 2) + 2);
  });

  it("reads federated identity credentials of every identity", () => {
    expect(raw.federatedIdentityCredentials.map((f) => f.name).sort()).toEqual(["api", "batch", "worker"]);
    expect(raw.federatedIdentityCredentials[0]?.properties).toHaveProperty("subject");
  });

  it("resolves principals through Graph; a deleted principal is simply absent", () => {
    const found = (raw.principals ?? []).map((p) => String(p.id));
    expect(found).toEqual(expect.arrayContaining([T.kubeletPrincipal, T.appPrincipal, T.groupPrincipal]));
    expect(found).not.toContain(T.deletedPrincipal);
    expect(emulator.counts()["graph:getByIds"]).toBe(1);
    expect(scopes.has("https://graph.microsoft.com/.default")).toBe(true);
  });

  it("reads the Entra-enabled cluster with an AKS-audience token instead of kubelogin", () => {
    expect(scopes.has(`${aksEntraServerAppId}/.default`)).toBe(true);
    expect(raw.kubernetesRead.map(normalizeId).sort()).toEqual([ids.aks1, ids.aks2].map(normalizeId).sort());
    const aks2 = Object.entries(raw.kubernetes).find(([id]) => normalizeId(id) === normalizeId(ids.aks2))?.[1];
    expect(kinds(aks2, "Pod")).toHaveLength(2);
  });

  it("pages Kubernetes lists and sets apiVersion and kind on every item", () => {
    const aks1 = Object.entries(raw.kubernetes).find(([id]) => normalizeId(id) === normalizeId(ids.aks1))?.[1] ?? [];
    const pods = kinds(aks1, "Pod");
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(["api-0", "api-1", "api-2", "api-3", "api-4", "nmi-abc"]);
    expect(pods.every((p) => p.apiVersion === "v1")).toBe(true);
    const azureIdentity = kinds(aks1, "AzureIdentity")[0];
    expect(azureIdentity?.apiVersion).toBe("aadpodidentity.k8s.io/v1");
    expect((azureIdentity?.spec as { resourceID?: string }).resourceID).toBe(ids.appIdentity);
    expect(kinds(aks1, "DaemonSet").map((d) => d.metadata.name)).toEqual(["nmi"]);
    // 6 pods at 2 per page, plus aks2's single page.
    expect(emulator.counts()["k8s:pods"]).toBeGreaterThanOrEqual(4);
  });

  it("uses every route family the scan needs", () => {
    const counts = emulator.counts();
    for (const family of [
      "entra:token",
      "arm:subscriptions",
      "arm:resourceGroups",
      "arm:resources",
      "arm:managedClusters",
      "arm:userAssignedIdentities",
      "arm:federatedIdentityCredentials",
      "arm:roleDefinitions",
      "arm:roleAssignments",
      "arm:managementGroups",
      "graph:getByIds",
      "k8s:namespaces",
      "k8s:serviceaccounts",
      "k8s:pods",
      "k8s:deployments",
      "k8s:daemonsets",
      "k8s:azureidentities",
      "k8s:azureidentitybindings",
    ]) {
      expect(counts[family], family).toBeGreaterThan(0);
    }
    expect(counts["arm:unauthorized"]).toBeUndefined();
    expect(counts["k8s:unauthorized"]).toBeUndefined();
  });

  it("reads the management groups", () => {
    expect(raw.managementGroups.map((m) => normalizeId(m.id))).toEqual([normalizeId(T.mg)]);
  });
});

describe("collectTenant failures", () => {
  it("throws a ScanAuthenticationError (401) when the client secret is wrong", async () => {
    const emulator = await startEmulator({ tenant: buildTestTenant() });
    try {
      const config = scanConfigForEmulator({ ...emulator, clients: [{ clientId: emulator.clients[0]!.clientId, clientSecret: "not-the-secret" }] });
      const failure = await collectTenant(config).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ScanAuthenticationError);
      expect((failure as ScanAuthenticationError).status).toBe(401);
      expect((failure as Error).message).toMatch(/could not get a token/);
      expect(emulator.counts()["arm:subscriptions"]).toBeUndefined();
    } finally {
      await emulator.close();
    }
  });

  it("reports a failing cluster once, with its id, and still reads the other cluster completely", async () => {
    const emulator = await startEmulator({ tenant: buildTestTenant(), pageSize: 3, failClusters: [ids.aks1] });
    try {
      const raw = await collectTenant(scanConfigForEmulator(emulator));
      expect(raw.errors).toHaveLength(1);
      expect(raw.errors[0]).toMatchObject({ source: expect.stringMatching(/^kubernetes:/), status: 500, cluster: expect.stringMatching(/managedClusters\/aks1$/i) });
      expect(raw.kubernetesRead.map(normalizeId)).toEqual([normalizeId(ids.aks2)]);
      const aks2 = Object.entries(raw.kubernetes).find(([id]) => normalizeId(id) === normalizeId(ids.aks2))?.[1];
      expect(kinds(aks2, "Pod").map((p) => p.metadata.name).sort()).toEqual(["api-0", "api-1"]);
      // The ARM side is unaffected.
      expect(raw.roleAssignments).toHaveLength(buildTestTenant().roleAssignments.length);
    } finally {
      await emulator.close();
    }
  });

  it("does not try to read a stopped cluster's Kubernetes API and says why", async () => {
    const tenant = buildTestTenant();
    const aks2 = tenant.resources.find((r) => normalizeId(r.id) === normalizeId(ids.aks2))!;
    aks2.properties = { ...aks2.properties, powerState: { code: "Stopped" } };
    const emulator = await startEmulator({ tenant });
    try {
      const raw = await collectTenant(scanConfigForEmulator(emulator));
      expect(raw.errors).toEqual([expect.objectContaining({ source: "kubernetes:cluster", code: "ClusterStopped", cluster: aks2.id })]);
      expect(raw.kubernetesRead.map(normalizeId)).toEqual([normalizeId(ids.aks1)]);
      // Only aks1's credentials were asked for.
      expect(emulator.counts()["arm:managedClusters"]).toBe(2 + 1);
    } finally {
      await emulator.close();
    }
  });

  it("reports a subscription the credential cannot see instead of failing the scan", async () => {
    const emulator = await startEmulator({ tenant: buildTestTenant() });
    try {
      const missing = "99999999-9999-9999-9999-999999999999";
      const raw = await collectTenant({ ...scanConfigForEmulator(emulator), subscriptions: [T.sub2, missing] });
      expect(raw.subscriptions.map((s) => s.subscriptionId)).toEqual([T.sub2]);
      expect(raw.errors).toEqual([expect.objectContaining({ source: "arm:subscriptions", scope: `/subscriptions/${missing}` })]);
      expect(raw.roleAssignments.every((a) => !String(a.properties?.scope).includes(T.sub1))).toBe(true);
    } finally {
      await emulator.close();
    }
  });

  it("resolves more than 1000 principals in Graph batches of at most 1000", async () => {
    const tenant = buildTestTenant();
    const extra = Array.from({ length: 1205 }, (_, n) => {
      const principalId = `dddddddd-0000-0000-0000-${String(n).padStart(12, "0")}`;
      const name = `eeeeeeee-0000-0000-0000-${String(n).padStart(12, "0")}`;
      return {
        id: `${ids.rgOther}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        name,
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          roleDefinitionId: `/subscriptions/${T.sub2}/providers/Microsoft.Authorization/roleDefinitions/${T.readerRole}`,
          principalId,
          principalType: "ServicePrincipal",
          scope: ids.rgOther,
        },
      };
    });
    // Half of them exist in the directory.
    tenant.roleAssignments.push(...extra);
    tenant.principals.push(...extra.filter((_, n) => n % 2 === 0).map((a) => ({ id: a.properties.principalId, displayName: a.name, servicePrincipalType: "Application" })));
    const emulator = await startEmulator({ tenant, pageSize: 500 });
    try {
      const raw = await collectTenant(scanConfigForEmulator(emulator));
      expect(raw.errors).toEqual([]);
      expect(emulator.counts()["graph:getByIds"]).toBe(2);
      expect(raw.principals).toHaveLength(3 + 603);
    } finally {
      await emulator.close();
    }
  });

  it("marks principals unresolved (null), not deleted, when Graph refuses the scan", async () => {
    const emulator = await startEmulator({ tenant: buildTestTenant() });
    try {
      // A token for ARM's audience is not a Graph token: Graph answers 401.
      const raw = await collectTenant({ ...scanConfigForEmulator(emulator), graphAudience: "https://management.azure.com" });
      expect(raw.principals).toBeNull();
      expect(raw.errors).toEqual([expect.objectContaining({ source: "graph:principals", status: 401 })]);
      expect(raw.errors[0]?.message).toMatch(/^authentication failed/);
      expect(emulator.counts()["graph:unauthorized"]).toBeGreaterThan(0);
      expect(raw.roleAssignments).toHaveLength(buildTestTenant().roleAssignments.length);
      const inventory = buildInventory(raw);
      expect(inventory.principalsResolved).toBe(false);
    } finally {
      await emulator.close();
    }
  });

  it("says so when the credential sees no subscription at all, rather than showing an empty tenant", async () => {
    const emulator = await startEmulator({
      tenant: { version: 1, tenantId: T.tenantId, subscriptions: [], resourceGroups: [], resources: [], roleAssignments: [], principals: [] },
    });
    try {
      const raw = await collectTenant(scanConfigForEmulator(emulator));
      expect(raw.subscriptions).toEqual([]);
      expect(raw.errors).toEqual([expect.objectContaining({ source: "arm:subscriptions", message: expect.stringMatching(/can see no subscriptions/) })]);
    } finally {
      await emulator.close();
    }
  });

  it("rejects an http endpoint as a configuration error", async () => {
    const emulator = await startEmulator({ tenant: buildTestTenant() });
    try {
      const config = { ...scanConfigForEmulator(emulator), armEndpoint: emulator.url.replace("https:", "http:") };
      await expect(collectTenant(config)).rejects.toThrow(/armEndpoint must be https/);
    } finally {
      await emulator.close();
    }
  });
});

describe("scanTenant: the live path agrees with the pure path", () => {
  const demoPath = path.resolve(__dirname, "../../fixtures/tenants/demo.json");
  const cases: [string, () => Promise<TenantFile>][] = [
    ["test tenant", async () => buildTestTenant()],
    ["demo scenario", async () => buildDemo().tenant],
  ];
  if (existsSync(demoPath)) cases.push(["demo.json", () => loadTenantFile(demoPath)]);

  it.each(cases)("%s: same clusters, identities, assignments and workloads", async (_name, load) => {
    const tenant = await load();
    const emulator = await startEmulator({ tenant, pageSize: 50 });
    try {
      const live = await scanTenant(scanConfigForEmulator(emulator));
      const pure = buildInventory(rawFromTenant(tenant));
      expect(live.errors).toEqual([]);
      const ids = (items: { id?: string; key?: string }[]) => items.map((i) => normalizeId(String(i.id ?? i.key))).sort();
      expect(ids(live.clusters)).toEqual(ids(pure.clusters));
      expect(ids(live.subscriptions)).toEqual(ids(pure.subscriptions));
      expect(ids(live.managementGroups)).toEqual(ids(pure.managementGroups));
      // Each subscription's parent group comes from the groups' `$expand=children` (ARM's subscription list omits it).
      const parents = (subs: { id: string; managementGroupId?: string }[]) =>
        subs.map((s) => `${normalizeId(s.id)}>${s.managementGroupId ? normalizeId(s.managementGroupId) : "-"}`).sort();
      expect(parents(live.subscriptions)).toEqual(parents(pure.subscriptions));
      expect(ids(live.resourceGroups)).toEqual(ids(pure.resourceGroups));
      expect(ids(live.resources)).toEqual(ids(pure.resources));
      expect(ids(live.roleDefinitions)).toEqual(ids(pure.roleDefinitions));
      // Clusters are built from the full managedClusters GET shape: identical, field for field.
      expect(live.clusters).toEqual(pure.clusters);
      expect(ids(live.roleAssignments)).toEqual(ids(pure.roleAssignments));
      expect(ids(live.userAssignedIdentities)).toEqual(ids(pure.userAssignedIdentities));
      expect(ids(live.federatedCredentials)).toEqual(ids(pure.federatedCredentials));
      expect(ids(live.identities)).toEqual(ids(pure.identities));
      expect(live.identities.map((i) => `${i.key}:${i.kind}`).sort()).toEqual(pure.identities.map((i) => `${i.key}:${i.kind}`).sort());
      expect(ids(live.kubernetes.pods)).toEqual(ids(pure.kubernetes.pods));
      expect(ids(live.workloads)).toEqual(ids(pure.workloads));
      expect(live.links.length).toBe(pure.links.length);
      expect(live.principals.length).toBe(pure.principals.length);
      expect(live.principalsResolved).toBe(true);
      // Roles: the live path reads every built-in role from ARM; the pure path knows them from the catalog.
      for (const a of live.roleAssignments) expect(a.roleName, a.id).toBeDefined();
    } finally {
      await emulator.close();
    }
  });
});
