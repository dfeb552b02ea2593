import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { indexInventory } from "@/lib/inventory/indexes";
import {
  azureIdentity,
  azureIdentityBinding,
  clusterId,
  deploymentWithPods,
  fic,
  managedCluster,
  miPrincipal,
  RG_ID,
  ROLE,
  roleAssignment,
  serviceAccount,
  SUB,
  SUB_ID,
  TENANT,
  tenant,
  uai,
} from "@/lib/inventory/fixtures.testing";
import { EdgeKind } from "@/lib/model/graph-schema";
import type { Finding } from "@/lib/model/findings";
import { managementGroupId } from "@/lib/model/scope";
import { managementGroupWire, resourceGroupWire, subscriptionWire } from "@/lib/tenant/builder/arm";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { nodeId } from "./node-id";
import { buildGraph } from "./build";
import { pathsBetween, whoCanReach } from "./questions";
import { scopeChain } from "./scope-chain";
import type { Graph } from "./types";
import { selectView } from "./view";

const C = clusterId("aks");
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/";
const SECRETS_RG = `${SUB_ID}/resourceGroups/rg-secrets`;
const VAULT = `${SECRETS_RG}/providers/Microsoft.KeyVault/vaults/kv-pay`;
const STORAGE = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/stdata`;
const MG_ROOT = managementGroupId("mg-root");
const MG_PLATFORM = managementGroupId("mg-platform");

function finding(partial: Partial<Finding> & Pick<Finding, "id" | "severity">): Finding {
  return { ruleId: "test-rule", baseSeverity: partial.severity, title: `finding ${partial.id}`, message: "m", evidence: [], fixes: [], ...partial };
}

/**
 * A Key Vault nobody holds a role on directly except one app, reached from above by the
 * kubelet (Contributor on the subscription), a pod-identity app (Reader on its resource group),
 * an identity on the management group, and a workload that can take over that identity.
 */
function scenario() {
  const kubelet = uai("aks-agentpool");
  const orders = uai("id-orders");
  const api = uai("id-api");
  const legacy = uai("id-legacy");
  const ops = uai("id-ops");
  const bystander = uai("id-bystander");
  const a = {
    kubeletSub: roleAssignment(SUB_ID, ROLE.Contributor, kubelet.properties.principalId),
    ordersRg: roleAssignment(SECRETS_RG, ROLE.Reader, orders.properties.principalId),
    apiVault: roleAssignment(VAULT, ROLE.Reader, api.properties.principalId),
    apiStorage: roleAssignment(STORAGE, ROLE.Owner, api.properties.principalId),
    opsMg: roleAssignment(MG_PLATFORM, ROLE.Owner, ops.properties.principalId),
    bystanderRg: roleAssignment(RG_ID, ROLE.Reader, bystander.properties.principalId),
  };
  const t = tenant({
    managementGroups: [
      managementGroupWire({ name: "mg-root", displayName: "Tenant Root Group", parent: null }),
      managementGroupWire({ name: "mg-platform", displayName: "Platform", parent: "mg-root" }),
    ],
    subscriptions: [subscriptionWire({ subscriptionId: SUB, displayName: "prod", tenantId: TENANT, managementGroupId: MG_PLATFORM })],
    resourceGroups: [resourceGroupWire(SUB, "rg-aks", "westeurope"), resourceGroupWire(SUB, "rg-secrets", "westeurope")],
    resources: [
      kubelet,
      orders,
      api,
      legacy,
      ops,
      bystander,
      managedCluster("aks", { kubelet, oidcIssuerUrl: ISSUER, workloadIdentity: true }),
      { id: VAULT, name: "kv-pay", type: "Microsoft.KeyVault/vaults", location: "westeurope", properties: {} },
      { id: STORAGE, name: "stdata", type: "Microsoft.Storage/storageAccounts", location: "westeurope", properties: {} },
    ],
    principals: [kubelet, orders, api, legacy, ops, bystander].map(miPrincipal),
    federatedIdentityCredentials: [fic(api, "api-fic", ISSUER, "system:serviceaccount:payments:api")],
    roleAssignments: Object.values(a),
    kubernetes: {
      [C]: [
        azureIdentity("orders", "orders-id", orders),
        azureIdentityBinding("orders", "orders-binding", "orders-id", "orders"),
        // The same pods also name id-api's client id: a second, shorter way to the vault.
        ...deploymentWithPods("orders", "orders-api", 2, { labels: { aadpodidbinding: "orders" }, env: { AZURE_CLIENT_ID: api.properties.clientId } }),
        serviceAccount("payments", "api", api.properties.clientId),
        ...deploymentWithPods("payments", "api", 2, { serviceAccountName: "api", labels: { "azure.workload.identity/use": "true" } }),
        ...deploymentWithPods("payments", "cron", 1, { env: { AZURE_CLIENT_ID: legacy.properties.clientId } }),
        ...deploymentWithPods("payments", "batch", 1, { env: { AZURE_CLIENT_ID: bystander.properties.clientId } }),
      ],
    },
  });
  const inventory = buildInventory(rawFromTenant(t), { scannedAt: "2026-01-01T00:00:00.000Z" });
  const findings = [
    finding({ id: "f-kubelet", severity: "high", principalId: kubelet.properties.principalId, roleAssignmentId: a.kubeletSub.id as string }),
    finding({
      id: "identity-escalation-path-1",
      ruleId: "identity-escalation-path",
      severity: "high",
      identityKey: legacy.properties.principalId,
      targetIds: [ops.id],
    }),
  ];
  const graph = buildGraph(inventory, findings);
  return { graph, index: indexInventory(inventory), ids: { kubelet, orders, api, legacy, ops, bystander } };
}

const { graph, index, ids } = scenario();
const idNode = (u: { properties: { principalId: string } }) => nodeId("identity", u.properties.principalId);
const label = (g: Graph, id: string) => g.nodes.find((n) => n.id === id)?.label;
const workload = (ns: string, name: string) => graph.nodes.find((n) => n.kind === "workload" && n.label === name && n.facts.some((f) => f.value === ns))!.id;

describe("scopeChain", () => {
  it("walks a resource up through its group and subscription to the management groups", () => {
    expect(scopeChain(VAULT, index)).toEqual([VAULT, SECRETS_RG, SUB_ID, MG_PLATFORM, MG_ROOT]);
  });

  it("stops at a cycle in the management-group data", () => {
    const dir = {
      subscriptionById: new Map([[SUB_ID.toLowerCase(), { managementGroupId: "mg-a" }]]),
      managementGroupById: new Map([
        [managementGroupId("mg-a").toLowerCase(), { parentId: managementGroupId("mg-b") }],
        [managementGroupId("mg-b").toLowerCase(), { parentId: managementGroupId("mg-a") }],
      ]),
    };
    expect(scopeChain(SUB_ID, dir)).toEqual([SUB_ID, managementGroupId("mg-a"), managementGroupId("mg-b")]);
  });
});

describe("escalation edges", () => {
  it("draws 'can take over' from the identity-escalation-path finding, marked with its severity", () => {
    const e = graph.edges.find((x) => x.kind === EdgeKind.EscalatesTo);
    expect(e).toMatchObject({ source: idNode(ids.legacy), target: idNode(ids.ops), severity: "high" });
  });

  it("leaves the cluster view's binding chains as they were: the taken-over identity is not pulled in", () => {
    const view = selectView(graph, { view: "cluster", clusterId: C });
    expect(view.nodes.some((n) => n.id === idNode(ids.legacy))).toBe(true);
    expect(view.nodes.some((n) => n.id === idNode(ids.ops))).toBe(false);
  });
});

describe("whoCanReach", () => {
  const answer = whoCanReach(graph, VAULT, index);
  const grantsBy = (u: { properties: { principalId: string } }) => answer.grants.filter((g) => g.identity === idNode(u));

  it("finds the grants on the vault and every scope above it, and marks inherited ones", () => {
    expect(grantsBy(ids.api).map((g) => [g.role.roleName, g.inherited])).toEqual([["Reader", false]]);
    expect(grantsBy(ids.orders).map((g) => [g.role.roleName, g.inherited, label(graph, g.scopeNodeId)])).toEqual([["Reader", true, "rg-secrets"]]);
    expect(grantsBy(ids.kubelet).map((g) => [g.role.roleName, label(graph, g.scopeNodeId)])).toEqual([["Contributor", "prod"]]);
    expect(grantsBy(ids.ops).map((g) => [g.role.roleName, label(graph, g.scopeNodeId)])).toEqual([["Owner", "Platform"]]);
    // id-api's Owner on a storage account and the bystander's Reader on another group do not reach the vault.
    expect(answer.grants.some((g) => g.role.roleName === "Owner" && g.identity === idNode(ids.api))).toBe(false);
    expect(grantsBy(ids.bystander)).toEqual([]);
  });

  it("lists each chain from a workload or cluster to the holder, most severe grant first", () => {
    const rows = answer.rows.map((r) => `${r.path.map((s) => label(graph, s.nodeId)).join(" → ")} | ${r.grant.role.roleName}`);
    expect(rows[0]).toBe("aks → aks-agentpool | Contributor");
    expect(rows).toContain("orders-api → orders-binding → orders-id → id-orders | Reader");
    expect(rows).toContain("orders-api → id-api | Reader");
    expect(rows).toContain("api → api → api-fic → id-api | Reader");
    // Through escalation: cron names id-legacy, which can take over id-ops, Owner on the management group.
    expect(rows).toContain("cron → id-legacy → id-ops | Owner");
    expect(rows.some((r) => r.startsWith("batch"))).toBe(false);
    const escalated = answer.rows.find((r) => r.grant.identity === idNode(ids.ops))!;
    expect(escalated.path.at(-1)!.via).toMatchObject({ kind: EdgeKind.EscalatesTo, severity: "high" });
  });

  it("highlights exactly what can act at the vault", () => {
    const nodes = new Set(answer.nodeIds);
    for (const id of [idNode(ids.kubelet), idNode(ids.orders), idNode(ids.api), idNode(ids.legacy), idNode(ids.ops), workload("payments", "cron")]) expect(nodes).toContain(id);
    expect(nodes).not.toContain(idNode(ids.bystander));
    expect(nodes).not.toContain(workload("payments", "batch"));
    expect(answer.edgeIds.some((e) => e.startsWith(`${EdgeKind.ScopeContains}:`))).toBe(true);
  });

  it("bounds the rows and says so", () => {
    const small = whoCanReach(graph, VAULT, index, { limit: 2 });
    expect(small.rows).toHaveLength(2);
    expect(small.truncated).toBe(true);
    expect(answer.truncated).toBe(false);
  });

  it("answers a scope the graph has no node for through its ancestors", () => {
    const other = whoCanReach(graph, `${SECRETS_RG}/providers/Microsoft.KeyVault/vaults/kv-new`, index);
    expect(other.target.chain[0]!.nodeId).toBeUndefined();
    expect(other.grants.every((g) => g.inherited)).toBe(true);
    expect(other.grants.map((g) => g.identity)).toContain(idNode(ids.orders));
  });
});

describe("pathsBetween", () => {
  it("returns the paths from a workload to the vault, shortest first", () => {
    const answer = pathsBetween(graph, workload("orders", "orders-api"), VAULT, index);
    const paths = answer.paths.map((p) => p.steps.map((s) => label(graph, s.nodeId)).join(" → "));
    expect(paths[0]).toBe("orders-api → id-api → kv-pay");
    expect(answer.paths[0]!.inherited).toBe(false);
    expect(paths).toContain("orders-api → orders-binding → orders-id → id-orders → rg-secrets");
    const lengths = answer.paths.map((p) => p.steps.length);
    expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
  });

  it("follows escalation and marks a grant held above the target as inherited", () => {
    const answer = pathsBetween(graph, workload("payments", "cron"), VAULT, index);
    expect(answer.paths.map((p) => p.steps.map((s) => label(graph, s.nodeId)).join(" → "))).toEqual(["cron → id-legacy → id-ops → Platform"]);
    expect(answer.paths[0]!.inherited).toBe(true);
  });

  it("says when there is no path, and bounds the number of paths", () => {
    const none = pathsBetween(graph, idNode(ids.bystander), VAULT, index);
    expect(none).toMatchObject({ reachable: false, paths: [] });
    const one = pathsBetween(graph, workload("orders", "orders-api"), VAULT, index, { limit: 1 });
    expect(one.paths).toHaveLength(1);
    expect(one.truncated).toBe(true);
  });
});
