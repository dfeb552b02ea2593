import { describe, expect, it } from "vitest";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import type { TenantFile } from "@/lib/tenant/types";
import { buildInventory, INVALID_PAYLOAD } from "./build";
import { indexInventory } from "./indexes";
import {
  clusterId,
  deploymentWithPods,
  managedCluster,
  miPrincipal,
  RG_ID,
  ROLE,
  roleAssignment,
  SUB_ID,
  tenant,
  uai,
  guid,
  pod,
} from "./fixtures.testing";

const build = (t: TenantFile) => buildInventory(rawFromTenant(t), { scannedAt: "2026-01-01T00:00:00.000Z" });

describe("buildInventory: identity classification", () => {
  it("classifies a user-assigned control plane, its kubelet and an add-on identity", () => {
    const cp = uai("id-aks-cp");
    const kubelet = uai("aks-agentpool");
    const oms = uai("omsagent-aks");
    const t = tenant({
      resources: [cp, kubelet, oms, managedCluster("aks", { controlPlane: cp, kubelet, addons: { omsagent: { identity: oms } } })],
      principals: [miPrincipal(cp), miPrincipal(kubelet), miPrincipal(oms)],
    });
    const inv = build(t);
    const idx = indexInventory(inv);
    const byName = (n: string) => inv.identities.find((i) => i.displayName === n)!;
    expect(inv.errors).toEqual([]);
    expect(byName("id-aks-cp")).toMatchObject({ kind: "control-plane", key: cp.properties.principalId, clientId: cp.properties.clientId, resourceId: cp.id, clusterIds: [clusterId("aks")], existsInDirectory: true });
    expect(byName("aks-agentpool")).toMatchObject({ kind: "kubelet", uses: [{ kind: "kubelet", clusterId: clusterId("aks") }] });
    expect(byName("omsagent-aks")).toMatchObject({ kind: "addon", uses: [{ kind: "addon", addon: "omsagent", clusterId: clusterId("aks") }] });
    expect(inv.identities).toHaveLength(3);
    expect(idx.identityByClientId.get(kubelet.properties.clientId.toLowerCase())?.kind).toBe("kubelet");
  });

  it("classifies a system-assigned control plane by principal id, attached to the cluster", () => {
    const principalId = guid("5");
    const inv = build(tenant({ resources: [managedCluster("aks", { controlPlane: "system", systemPrincipalId: principalId })] }));
    const cp = inv.identities.find((i) => i.kind === "control-plane")!;
    expect(cp).toMatchObject({ key: principalId, principalId, systemAssignedTo: clusterId("aks"), displayName: "aks" });
    expect(inv.clusters[0]?.controlPlane).toEqual({ type: "SystemAssigned", principalId });
  });

  it("resolves a service-principal cluster's client id to its Graph object, as both control plane and kubelet", () => {
    const appId = guid("c");
    const objectId = guid("b");
    const t = tenant({
      resources: [managedCluster("legacy", { controlPlane: { servicePrincipal: appId } })],
      principals: [{ id: objectId, appId, displayName: "legacy-aks-sp", servicePrincipalType: "Application" }],
      roleAssignments: [roleAssignment(RG_ID, ROLE.Contributor, objectId)],
    });
    const inv = build(t);
    const sp = inv.identities.find((i) => i.clientId === appId)!;
    expect(sp).toMatchObject({ key: objectId, principalId: objectId, kind: "control-plane", displayName: "legacy-aks-sp", existsInDirectory: true });
    expect(sp.uses.map((u) => u.kind)).toEqual(["control-plane", "kubelet"]);
    expect(inv.identities).toHaveLength(1);
    expect(inv.roleAssignments[0]).toMatchObject({ roleName: "Contributor", scopeLevel: "resourceGroup" });
  });

  it("keeps every job of an identity that is both kubelet and an app identity (env AZURE_CLIENT_ID)", () => {
    const kubelet = uai("aks-agentpool");
    const t = tenant({
      resources: [kubelet, managedCluster("aks", { controlPlane: "system", kubelet })],
      kubernetes: { [clusterId("aks")]: deploymentWithPods("shop", "cart", 2, { env: { AZURE_CLIENT_ID: kubelet.properties.clientId } }) },
    });
    const inv = build(t);
    const id = inv.identities.find((i) => i.resourceId === kubelet.id)!;
    expect(id.kind).toBe("kubelet");
    expect(id.uses).toEqual([
      { kind: "kubelet", clusterId: clusterId("aks") },
      { kind: "app", clusterId: clusterId("aks"), mechanism: "env-client-id" },
    ]);
    const link = inv.links.find((l) => l.mechanism === "env-client-id")!;
    expect(link).toMatchObject({ identityKey: id.key, workloadId: `${clusterId("aks")}/namespaces/shop/Deployment/cart`, complete: true });
    expect(link.podIds).toHaveLength(2);
  });

  it("registers role-assignment principals: users and groups as other, unknown ones as not in the directory", () => {
    const user = guid("u");
    const group = guid("g");
    const gone = guid("f");
    const loneUai = uai("id-unused");
    const t = tenant({
      resources: [loneUai],
      principals: [
        { id: user, "@odata.type": "#microsoft.graph.user", displayName: "Ana", userPrincipalName: "ana@contoso.com" },
        { id: group, "@odata.type": "#microsoft.graph.group", displayName: "Ops" },
      ],
      roleAssignments: [roleAssignment(SUB_ID, ROLE.Owner, user, "User"), roleAssignment(SUB_ID, ROLE.Reader, group, "Group"), roleAssignment(RG_ID, ROLE.Reader, gone)],
    });
    const inv = build(t);
    const get = (p: string) => inv.identities.find((i) => i.principalId === p)!;
    expect(get(user)).toMatchObject({ kind: "other", principalType: "User", displayName: "Ana", existsInDirectory: true });
    expect(get(group)).toMatchObject({ kind: "other", principalType: "Group" });
    expect(get(gone)).toMatchObject({ kind: "service-principal", existsInDirectory: false });
    // A UAI no assignment names was never looked up in Graph: unknown, not deleted.
    expect(get(loneUai.properties.principalId)).toMatchObject({ kind: "service-principal", existsInDirectory: undefined, displayName: "id-unused" });
  });

  it("leaves directory existence unknown when Graph could not be read", () => {
    const raw = rawFromTenant(tenant({ roleAssignments: [roleAssignment(SUB_ID, ROLE.Reader, guid("f"))] }));
    const inv = buildInventory({ ...raw, principals: null, errors: [{ source: "graph:principals", message: "403" }] });
    expect(inv.principalsResolved).toBe(false);
    expect(inv.identities[0]?.existsInDirectory).toBeUndefined();
    expect(inv.errors).toEqual([{ source: "graph:principals", message: "403" }]);
  });

  it("registers system-assigned identities of other resources", () => {
    const vault = {
      id: `${RG_ID}/providers/Microsoft.KeyVault/vaults/kv-shop`,
      name: "kv-shop",
      type: "Microsoft.KeyVault/vaults",
      identity: { type: "SystemAssigned", principalId: guid("9") },
      properties: {},
    };
    const inv = build(tenant({ resources: [vault] }));
    expect(inv.identities).toEqual([expect.objectContaining({ systemAssignedTo: vault.id, displayName: "kv-shop", kind: "service-principal" })]);
  });
});

describe("buildInventory: resolution and errors", () => {
  it("resolves role names by GUID, dedupes assignments listed twice, and keeps a role name undefined for an unknown definition", () => {
    const p = guid("b");
    const a = roleAssignment(SUB_ID, ROLE.AcrPull, p);
    const unknown = roleAssignment(SUB_ID, "00000000-dead-beef-0000-000000000000", p);
    const inv = build(tenant({ roleAssignments: [a, { ...a, id: a.id.toUpperCase() }, unknown] }));
    expect(inv.roleAssignments).toHaveLength(2);
    expect(inv.roleAssignments[0]?.roleName).toBe("AcrPull");
    expect(inv.roleAssignments[1]?.roleName).toBeUndefined();
    expect(inv.roleDefinitions.length).toBeGreaterThan(900);
  });

  it("turns a broken object into a SourceError naming it and builds the rest", () => {
    const good = uai("id-good");
    const broken = { ...uai("id-broken"), properties: { principalId: guid("b") } };
    const badPod = { apiVersion: "v1", kind: "Pod", metadata: { namespace: "x" }, spec: {} };
    const t = tenant({
      resources: [good, broken, managedCluster("aks", { controlPlane: "system" })],
      roleAssignments: [{ id: `${SUB_ID}/providers/Microsoft.Authorization/roleAssignments/r1`, properties: { principalId: "p" } }],
      kubernetes: { [clusterId("aks")]: [badPod, pod("x", "fine")] as never },
    });
    const inv = build(t);
    expect(inv.userAssignedIdentities.map((u) => u.name)).toEqual(["id-good"]);
    expect(inv.clusters).toHaveLength(1);
    expect(inv.kubernetes.pods.map((p) => p.name)).toEqual(["fine"]);
    expect(inv.errors).toEqual([
      expect.objectContaining({ source: "arm:userAssignedIdentities", code: INVALID_PAYLOAD, scope: broken.id, message: expect.stringContaining("properties.clientId is missing") }),
      expect.objectContaining({ source: "arm:roleAssignments", message: expect.stringContaining("properties.roleDefinitionId is missing") }),
      expect.objectContaining({ source: "kubernetes:pods", cluster: clusterId("aks"), message: expect.stringContaining("metadata.name is missing") }),
    ]);
  });

  it("prefers a full GET body over a generic-list row for the same resource, and maps Kubernetes keys to the cluster id casing", () => {
    const cluster = managedCluster("aks", { controlPlane: "system", oidcIssuerUrl: "https://issuer/" });
    const row = { id: cluster.id.toLowerCase(), name: "aks", type: "microsoft.containerservice/managedclusters" };
    const raw = rawFromTenant(tenant({ resources: [row, cluster], kubernetes: { [cluster.id.toUpperCase()]: [pod("ns", "p")] } }));
    const inv = buildInventory(raw);
    expect(inv.resources).toHaveLength(1);
    expect(inv.clusters[0]?.oidcIssuerUrl).toBe("https://issuer/");
    expect(inv.kubernetes.pods[0]?.clusterId).toBe(cluster.id);
    expect(inv.kubernetes.readClusterIds).toEqual([cluster.id]);
  });
});
