import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import {
  azureIdentity,
  azureIdentityBinding,
  clusterId,
  deploymentWithPods,
  fic,
  managedCluster,
  miPrincipal,
  pod,
  RG_ID,
  ROLE,
  roleAssignment,
  serviceAccount,
  SUB_ID,
  tenant,
  uai,
} from "@/lib/inventory/fixtures.testing";
import { EDGE_KINDS, type EdgeKind } from "@/lib/model/graph-schema";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";
import { buildGraph } from "./build";
import { collapseGraph, defaultCollapsed } from "./collapse";
import { nodeId } from "@/lib/graph/node-id";
import { RELATIONS } from "./relations";
import { tracePaths } from "./paths";
import type { Graph, GraphEdge } from "./types";
import { searchNodes, selectView } from "./view";

const C = clusterId("aks");
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/";
const STORAGE = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/stdata`;
const KV_RG = `${SUB_ID}/resourceGroups/rg-secrets`;

/** One cluster with every mechanism: control plane, kubelet, add-on, pod identity, workload identity, AZURE_CLIENT_ID. */
function scenario() {
  const cp = uai("id-aks-cp");
  const kubelet = uai("aks-agentpool");
  const oms = uai("omsagent-aks");
  const podId = uai("id-orders");
  const wiId = uai("id-api");
  const envId = uai("id-legacy");
  const cred = fic(wiId, "api-fic", ISSUER, "system:serviceaccount:payments:api");
  const assignments = {
    kubeletContributor: roleAssignment(SUB_ID, ROLE.Contributor, kubelet.properties.principalId),
    kubeletAcr: roleAssignment(RG_ID, ROLE.AcrPull, kubelet.properties.principalId),
    cpNetwork: roleAssignment(RG_ID, ROLE.Contributor, cp.properties.principalId),
    wiReader: roleAssignment(STORAGE, ROLE.Reader, wiId.properties.principalId),
    wiOwner: roleAssignment(STORAGE, ROLE.Owner, wiId.properties.principalId),
    podIdReader: roleAssignment(KV_RG, ROLE.Reader, podId.properties.principalId),
  };
  const t = tenant({
    resources: [
      cp,
      kubelet,
      oms,
      podId,
      wiId,
      envId,
      managedCluster("aks", { controlPlane: cp, kubelet, addons: { omsagent: { identity: oms } }, oidcIssuerUrl: ISSUER, workloadIdentity: true }),
      { id: STORAGE, name: "stdata", type: "Microsoft.Storage/storageAccounts", location: "westeurope", properties: {} },
    ],
    resourceGroups: [
      { id: RG_ID, name: "rg-aks", type: "Microsoft.Resources/resourceGroups", location: "westeurope" },
      { id: KV_RG, name: "rg-secrets", type: "Microsoft.Resources/resourceGroups", location: "westeurope" },
    ],
    principals: [cp, kubelet, oms, podId, wiId, envId].map(miPrincipal),
    federatedIdentityCredentials: [cred],
    roleAssignments: Object.values(assignments),
    kubernetes: {
      [C]: [
        azureIdentity("orders", "orders-id", podId),
        azureIdentityBinding("orders", "orders-binding", "orders-id", "orders"),
        ...deploymentWithPods("orders", "orders-api", 3, { labels: { aadpodidbinding: "orders", app: "orders" } }),
        serviceAccount("payments", "api", wiId.properties.clientId),
        ...deploymentWithPods("payments", "api", 2, { serviceAccountName: "api", labels: { app: "api", "azure.workload.identity/use": "true" } }),
        ...deploymentWithPods("payments", "cron", 1, { env: { AZURE_CLIENT_ID: envId.properties.clientId } }),
        // Pods with no Azure identity: counted on their namespace, not drawn.
        ...deploymentWithPods("payments", "web", 4),
        pod("payments", "debug"),
      ],
    },
  });
  const inventory = buildInventory(rawFromTenant(t), { scannedAt: "2026-01-01T00:00:00.000Z" });
  return { inventory, ids: { cp, kubelet, oms, podId, wiId, envId }, cred, assignments };
}

const idNode = (principalId: string) => nodeId("identity", principalId);
const edgeBetween = (g: Graph, kind: EdgeKind, source: string, target: string): GraphEdge | undefined =>
  g.edges.find((e) => e.kind === kind && e.source === source && e.target === target);
const node = (g: Graph, id: string) => g.nodes.find((n) => n.id === id);

function finding(partial: Partial<Finding> & Pick<Finding, "id" | "severity">): Finding {
  return { ruleId: "test-rule", baseSeverity: partial.severity, title: `finding ${partial.id}`, message: "m", evidence: [], fixes: [], ...partial };
}

describe("graph schema and relations", () => {
  it("declares every relation with the ends its edge kind allows, one relation per edge kind", () => {
    for (const r of RELATIONS) {
      const spec = EDGE_KINDS[r.id];
      for (const k of r.from) expect(spec.from).toContain(k);
      for (const k of r.to) expect(spec.to).toContain(k);
    }
    expect(new Set(RELATIONS.map((r) => r.id)).size).toBe(RELATIONS.length);
    expect(RELATIONS.map((r) => r.id).sort()).toEqual(Object.keys(EDGE_KINDS).sort());
  });
});

describe("buildGraph on a one-cluster tenant", () => {
  const { inventory, ids, cred, assignments } = scenario();
  const g = buildGraph(inventory);
  const cluster = nodeId("cluster", C);

  it("connects the cluster to its control-plane, kubelet and add-on identities, labelled with the job", () => {
    expect(edgeBetween(g, "uses-identity", cluster, idNode(ids.cp.properties.principalId))?.label).toBe("control plane");
    expect(edgeBetween(g, "uses-identity", cluster, idNode(ids.kubelet.properties.principalId))?.label).toBe("kubelet");
    expect(edgeBetween(g, "uses-identity", cluster, idNode(ids.oms.properties.principalId))?.label).toBe("add-on omsagent");
    expect(node(g, idNode(ids.kubelet.properties.principalId))).toMatchObject({ label: "aks-agentpool", identityKind: "kubelet" });
  });

  it("draws the workload-identity chain workload → service account → federated credential → identity → role at scope", () => {
    const workload = nodeId("workload", `${C}/namespaces/payments/Deployment/api`);
    const sa = nodeId("service-account", `${C}/namespaces/payments/serviceaccounts/api`);
    const ficNode = nodeId("federated-credential", cred.id);
    const identity = idNode(ids.wiId.properties.principalId);
    const storage = nodeId("resource", STORAGE);
    expect(edgeBetween(g, "runs-as", workload, sa)).toBeDefined();
    expect(edgeBetween(g, "trusted-via", sa, ficNode)?.broken).toBeUndefined();
    expect(edgeBetween(g, "federates-to", ficNode, identity)).toBeDefined();
    const role = edgeBetween(g, "holds-role", identity, storage)!;
    expect(role.roles?.map((r) => r.roleName).sort()).toEqual(["Owner", "Reader"]);
    expect(role.label).toContain("Owner");
    expect(role.refs).toEqual(expect.arrayContaining([assignments.wiOwner.id, assignments.wiReader.id]));
    // The scope sits under its resource group, subscription and nothing else.
    expect(edgeBetween(g, "scope-contains", nodeId("resource-group", RG_ID), storage)).toBeDefined();
    expect(edgeBetween(g, "scope-contains", nodeId("subscription", SUB_ID), nodeId("resource-group", RG_ID))).toBeDefined();
    expect(node(g, storage)).toMatchObject({ label: "stdata", sublabel: "Microsoft.Storage/storageAccounts", parentId: nodeId("resource-group", RG_ID) });
  });

  it("draws the aad-pod-identity chain workload → AzureIdentityBinding → AzureIdentity → identity", () => {
    const workload = nodeId("workload", `${C}/namespaces/orders/Deployment/orders-api`);
    const binding = nodeId("pod-identity-binding", `${C}/namespaces/orders/azureidentitybindings/orders-binding`);
    const ai = nodeId("azure-identity", `${C}/namespaces/orders/azureidentities/orders-id`);
    const identity = idNode(ids.podId.properties.principalId);
    expect(edgeBetween(g, "bound-via", workload, binding)?.label).toBe("aadpodidbinding=orders");
    expect(edgeBetween(g, "binds-azure-identity", binding, ai)).toBeDefined();
    expect(edgeBetween(g, "azure-identity-for", ai, identity)).toBeDefined();
    expect(edgeBetween(g, "holds-role", identity, nodeId("resource-group", KV_RG))?.label).toBe("Reader");
    expect(node(g, workload)).toMatchObject({ label: "orders-api", counts: { pods: 3 }, parentId: nodeId("namespace", `${C}/namespaces/orders`) });
  });

  it("draws AZURE_CLIENT_ID as a direct workload → identity edge", () => {
    const workload = nodeId("workload", `${C}/namespaces/payments/Deployment/cron`);
    expect(edgeBetween(g, "client-id-env", workload, idNode(ids.envId.properties.principalId))?.mechanism).toBe("env-client-id");
  });

  it("groups pods into workloads and counts every workload and pod on the namespace, drawing only those with an Azure identity", () => {
    const ns = node(g, nodeId("namespace", `${C}/namespaces/payments`))!;
    // api (2), cron (1), web (4), the bare pod debug (1)
    expect(ns.counts).toEqual({ workloads: 4, pods: 8 });
    expect(ns.sublabel).toBe("4 workloads · 8 pods");
    const drawn = g.nodes.filter((n) => n.kind === "workload" && n.parentId === ns.id).map((n) => n.label).sort();
    expect(drawn).toEqual(["api", "cron"]);
    expect(edgeBetween(g, "has-namespace", cluster, ns.id)).toBeDefined();
    expect(node(g, cluster)?.counts).toEqual({ workloads: 5, pods: 11 });
  });

  it("leaves every edge neutral when there are no findings", () => {
    expect(g.edges.every((e) => e.severity === undefined && e.findingIds.length === 0)).toBe(true);
    expect(g.findings).toEqual({});
  });

  it("attaches findings to the role edge of their assignment, to targeted objects, and to the identity, with the highest severity", () => {
    const findings = [
      finding({ id: "f-owner", severity: "critical", identityKey: ids.wiId.properties.principalId, roleAssignmentId: assignments.wiOwner.id, scope: STORAGE, roleName: "Owner" }),
      finding({ id: "f-reader", severity: "low", identityKey: ids.wiId.properties.principalId, roleAssignmentId: assignments.wiReader.id }),
      finding({ id: "f-kubelet", severity: "high", identityKey: ids.kubelet.properties.principalId, roleAssignmentId: assignments.kubeletContributor.id }),
      finding({ id: "f-binding", severity: "medium", targetIds: [`${C}/namespaces/orders/azureidentitybindings/orders-binding`] }),
      finding({ id: "f-pod", severity: "low", targetIds: [`${C}/namespaces/orders/pods/orders-api-7d9f8c6b5-abcd0`] }),
    ];
    const fg = buildGraph(inventory, findings);
    const storageEdge = edgeBetween(fg, "holds-role", idNode(ids.wiId.properties.principalId), nodeId("resource", STORAGE))!;
    expect(storageEdge.severity).toBe("critical");
    expect(storageEdge.findingIds.sort()).toEqual(["f-owner", "f-reader"]);
    expect(storageEdge.roles?.find((r) => r.roleName === "Owner")).toMatchObject({ severity: "critical", findingIds: ["f-owner"] });
    expect(storageEdge.roles?.find((r) => r.roleName === "Reader")).toMatchObject({ severity: "low", findingIds: ["f-reader"] });

    const kubeletSub = edgeBetween(fg, "holds-role", idNode(ids.kubelet.properties.principalId), nodeId("subscription", SUB_ID))!;
    expect(kubeletSub).toMatchObject({ severity: "high", findingIds: ["f-kubelet"] });
    // The kubelet's AcrPull at the resource group is not part of that finding.
    expect(edgeBetween(fg, "holds-role", idNode(ids.kubelet.properties.principalId), nodeId("resource-group", RG_ID))?.severity).toBeUndefined();
    expect(node(fg, idNode(ids.kubelet.properties.principalId))).toMatchObject({ severity: "high", findingIds: ["f-kubelet"] });

    expect(node(fg, nodeId("pod-identity-binding", `${C}/namespaces/orders/azureidentitybindings/orders-binding`))).toMatchObject({ severity: "medium" });
    expect(node(fg, nodeId("workload", `${C}/namespaces/orders/Deployment/orders-api`))?.findingIds).toEqual(["f-pod"]);
    expect(fg.findings["f-owner"]).toEqual({ id: "f-owner", ruleId: "test-rule", severity: "critical", title: "finding f-owner", roleName: "Owner", scope: STORAGE });
  });
});

describe("views, collapsing and paths", () => {
  const { inventory, ids, assignments } = scenario();
  const findings = [finding({ id: "f-kubelet", severity: "high", identityKey: ids.kubelet.properties.principalId, roleAssignmentId: assignments.kubeletContributor.id })];
  const g = buildGraph(inventory, findings);

  it("shows an identity's full chain both ways and nothing of other identities", () => {
    const v = selectView(g, { view: "identity", identityKey: ids.podId.properties.principalId });
    const labels = v.nodes.map((n) => n.label).sort();
    expect(labels).toEqual(["aks", "id-orders", "orders", "orders-api", "orders-binding", "orders-id", "prod", "rg-secrets"].sort());
    expect(v.edges.some((e) => e.kind === "holds-role" && e.label === "Reader")).toBe(true);
  });

  it("keeps only flagged grants and who can reach them in over-broad mode", () => {
    const v = selectView(g, { view: "cluster", clusterId: C }, { overBroadOnly: true });
    expect(v.edges.filter((e) => e.kind === "holds-role").map((e) => e.findingIds)).toEqual([["f-kubelet"]]);
    expect(v.nodes.map((n) => n.label).sort()).toEqual(["aks", "aks-agentpool", "prod"].sort());
  });

  it("filters scopes to one subscription, keeping the rest of the chain", () => {
    const v = selectView(g, { view: "tenant" }, { subscriptionId: "00000000-0000-0000-0000-000000000000" });
    expect(v.nodes.some((n) => n.kind === "subscription" || n.kind === "resource-group" || n.kind === "resource")).toBe(false);
    expect(v.nodes.some((n) => n.kind === "workload")).toBe(true);
  });

  it("collapses a namespace into one node that takes its workloads' edges and counts them", () => {
    const ns = nodeId("namespace", `${C}/namespaces/orders`);
    const c = collapseGraph(g, new Set([ns]));
    expect(c.nodes.find((n) => n.id === ns)).toMatchObject({ collapsed: true, counts: { hidden: 3 } });
    expect(c.nodes.some((n) => n.kind === "workload" && n.label === "orders-api")).toBe(false);
    // workload→binding, binding→AzureIdentity are inside; AzureIdentity → identity is re-pointed.
    expect(edgeBetween(c, "azure-identity-for", ns, idNode(ids.podId.properties.principalId))).toBeDefined();
    expect(c.edges.every((e) => e.source !== e.target)).toBe(true);
  });

  it("collapses a scope subtree, merging role edges and keeping the highest severity", () => {
    const sub = nodeId("subscription", SUB_ID);
    const c = collapseGraph(g, new Set([sub]));
    const kubelet = c.edges.find((e) => e.kind === "holds-role" && e.source === idNode(ids.kubelet.properties.principalId))!;
    expect(kubelet.target).toBe(sub);
    expect(kubelet.count).toBe(2);
    expect(kubelet.severity).toBe("high");
    expect(kubelet.roles?.map((r) => r.roleName).sort()).toEqual(["AcrPull", "Contributor"]);
    expect(defaultCollapsed(g, { tenant: true }).size).toBe(2);
    expect(defaultCollapsed(g, { tenant: false }).size).toBe(0);
  });

  it("traces every path from a workload through a node to the scopes it reaches", () => {
    const sa = nodeId("service-account", `${C}/namespaces/payments/serviceaccounts/api`);
    const { paths } = tracePaths(g, sa);
    expect(paths).toHaveLength(1);
    const kinds = paths[0]!.map((s) => g.nodes.find((n) => n.id === s.nodeId)!.kind);
    expect(kinds).toEqual(["workload", "service-account", "federated-credential", "identity", "resource"]);
    expect(paths[0]![4]!.via?.label).toBe("Owner, Reader");
    const kubeletPaths = tracePaths(g, idNode(ids.kubelet.properties.principalId)).paths;
    expect(kubeletPaths.map((p) => p[p.length - 1]!.via?.severity)).toEqual(expect.arrayContaining(["high", undefined]));
  });

  it("finds nodes by name, exact matches first", () => {
    expect(searchNodes(g, "orders").map((n) => n.label)[0]).toBe("orders");
    expect(searchNodes(g, "AGENTPOOL").map((n) => n.label)).toEqual(["aks-agentpool"]);
  });
});

describe("buildGraph on the demo tenant", () => {
  const demo = parseTenant(JSON.parse(readFileSync(path.join(process.cwd(), "fixtures/tenants/demo.json"), "utf8")), "demo.json");
  const inventory: Inventory = buildInventory(rawFromTenant(demo), { scannedAt: "2026-01-01T00:00:00.000Z" });
  const g = buildGraph(inventory);

  it("draws every cluster, every identity link and every AKS identity job", () => {
    expect(g.nodes.filter((n) => n.kind === "cluster")).toHaveLength(inventory.clusters.length);
    const chainEnds = g.edges.filter((e) => e.kind === "azure-identity-for" || e.kind === "federates-to" || e.kind === "client-id-env" || (e.kind === "trusted-via" && e.target.startsWith("identity:")));
    const linked = new Set(inventory.links.map((l) => idNode(l.identityKey)));
    expect(new Set(chainEnds.map((e) => e.target))).toEqual(linked);
    const kubelets = inventory.identities.filter((i) => i.uses.some((u) => u.kind === "kubelet"));
    for (const k of kubelets) expect(g.edges.some((e) => e.kind === "uses-identity" && e.target === idNode(k.key) && e.label?.includes("kubelet"))).toBe(true);
  });

  it("gives every role assignment of a drawn identity exactly one role entry", () => {
    const drawn = new Set(g.nodes.filter((n) => n.kind === "identity").map((n) => normalizeId(n.entityId)));
    const principals = new Set(inventory.identities.filter((i) => drawn.has(normalizeId(i.key))).map((i) => normalizeId(i.principalId ?? "")));
    const expected = inventory.roleAssignments.filter((a) => principals.has(normalizeId(a.principalId))).map((a) => a.id).sort();
    const roles = g.edges.flatMap((e) => e.roles ?? []).map((r) => r.assignmentId).sort();
    expect(roles).toEqual(expected);
  });

  it("counts pods per cluster as the inventory does", () => {
    for (const c of inventory.clusters) {
      const pods = inventory.kubernetes.pods.filter((p) => normalizeId(p.clusterId) === normalizeId(c.id)).length;
      expect(g.nodes.find((n) => n.id === nodeId("cluster", c.id))?.counts?.pods).toBe(pods);
    }
  });

  it("hangs every scope under a subscription or management group", () => {
    for (const n of g.nodes.filter((x) => x.kind === "resource" || x.kind === "resource-group")) expect(n.parentId, n.entityId).toBeDefined();
  });
});
