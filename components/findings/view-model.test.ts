import { describe, expect, it } from "vitest";
import { AKS_LEGACY, AKS_PROD, buildTestInventory, RG_PROD, SUB_PROD, SUB_SHARED, VAULT } from "@/components/inventory/inventory.testing";
import type { Finding, Severity } from "@/lib/model/findings";
import { buildFindingDetail, findingsOfIdentity, linkSource } from "./detail";
import { getIndex } from "@/components/inventory/lookup";
import {
  countFindingSeverities,
  defaultFindingQuery,
  filterFindingRows,
  findingQueryString,
  findingsHref,
  listFindingPage,
  parseFindingQuery,
  sortFindingRows,
  type FindingQuery,
} from "./query";
import { buildFindingRows, findingStatuses } from "./rows";
import { buildCoverageGaps, countSeverities } from "./summary";

const ID_API = `${RG_PROD}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`;

function finding(id: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  return { id, ruleId: "subscription-scope-grant", severity, baseSeverity: severity, title: `Title ${id}`, message: `Message ${id}`, evidence: [], fixes: [], ...extra };
}

const findings: Finding[] = [
  finding("f-cp-sub", "high", { identityKey: "cp-1", principalId: "cp-1", identityKind: "control-plane", identityName: "aks-prod-cp", roleName: "Contributor", scope: `/subscriptions/${SUB_PROD}`, clusterId: AKS_PROD }),
  finding("f-kubelet-rg", "medium", {
    ruleId: "acr-scope-too-broad",
    identityKey: "kubelet-1",
    principalId: "kubelet-1",
    identityKind: "kubelet",
    identityName: "aks-prod-agentpool",
    roleName: "AcrPull",
    scope: RG_PROD,
    clusterId: AKS_PROD,
  }),
  finding("f-app-vault", "low", { ruleId: "data-role-broader-than-needed", identityKey: "app-1", principalId: "app-1", identityKind: "app", identityName: "id-api", roleName: "Key Vault Administrator", scope: VAULT, clusterId: AKS_PROD }),
  finding("f-sp-mg", "critical", {
    ruleId: "privileged-role-on-workload-identity",
    identityKey: "sp-1",
    principalId: "sp-1",
    identityKind: "service-principal",
    identityName: "aks-legacy-sp",
    roleName: "Owner",
    scope: "/providers/Microsoft.Management/managementGroups/corp",
    clusterId: AKS_LEGACY,
  }),
  finding("f-legacy-cluster", "medium", { ruleId: "cluster-uses-service-principal", clusterId: AKS_LEGACY, scope: AKS_LEGACY }),
];

const comparison = { previous: { id: 1, scannedAt: "2025-01-01T00:00:00Z" }, new: ["f-sp-mg", "f-app-vault"], unchanged: ["f-cp-sub", "f-kubelet-rg", "f-legacy-cluster"], resolved: [] };

const inv = buildTestInventory();
const rows = buildFindingRows(inv, findings, comparison);
const q = (changes: Partial<FindingQuery> = {}): FindingQuery => ({ ...defaultFindingQuery, ...changes });
const ids = (list: { id: string }[]) => list.map((r) => r.id);

describe("parseFindingQuery", () => {
  it("reads every filter, sort and page from the query string", () => {
    const { data, errors } = parseFindingQuery(
      { q: "  vault ", severity: "high", rule: "acr-scope-too-broad", cluster: AKS_PROD, kind: "kubelet", subscription: SUB_PROD, status: "new", sort: "scope", dir: "asc", page: "3" },
      { ruleIds: ["acr-scope-too-broad"] },
    );
    expect(errors).toEqual([]);
    expect(data).toEqual({ q: "vault", severity: "high", rule: "acr-scope-too-broad", cluster: AKS_PROD, kind: "kubelet", subscription: SUB_PROD, status: "new", sort: "scope", dir: "asc", page: 3 });
  });

  it("drops bad values, keeps the good ones and names each ignored parameter", () => {
    const { data, errors } = parseFindingQuery({ severity: "urgent", rule: "no-such-rule", cluster: "aks-prod", sort: "colour", page: "0", kind: "app" }, { ruleIds: ["acr-scope-too-broad"] });
    expect(data).toEqual(q({ kind: "app" }));
    expect(errors).toEqual([
      'Ignored severity="urgent": must be one of critical, high, medium, low',
      'Ignored rule="no-such-rule": is not a known rule id',
      'Ignored cluster="aks-prod": must be a managedCluster resource id',
      "Ignored sort=\"colour\": must be one of severity, rule, identity, scope",
      'Ignored page="0": must be 1 or more',
    ]);
  });

  it("round-trips through the query string, leaving defaults out", () => {
    expect(findingQueryString(defaultFindingQuery)).toBe("");
    const state = q({ severity: "critical", cluster: AKS_PROD, sort: "identity", dir: "asc", page: 2 });
    const sp = new URLSearchParams(findingQueryString(state));
    expect(parseFindingQuery(Object.fromEntries(sp)).data).toEqual(state);
    expect(findingsHref(q(), { severity: "low" })).toBe("/findings?severity=low");
  });
});

describe("buildFindingRows", () => {
  it("resolves names, the scope's short name and level, and the subscriptions touched", () => {
    const row = rows.find((r) => r.id === "f-kubelet-rg")!;
    expect(row.identity).toEqual({ key: "kubelet-1", name: "aks-prod-agentpool", kind: "kubelet" });
    expect(row.scope).toEqual({ id: RG_PROD, name: "rg-prod", level: "resourceGroup" });
    expect(row.cluster).toEqual({ id: AKS_PROD, name: "aks-prod" });
    expect(row.subscriptionIds).toEqual([SUB_PROD]);
    expect(rows.find((r) => r.id === "f-sp-mg")!.scope).toEqual({ id: "/providers/Microsoft.Management/managementGroups/corp", name: "Corp", level: "managementGroup" });
  });

  it("marks findings new or unchanged against the previous scan, and neither on a first scan", () => {
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      "f-cp-sub": "unchanged",
      "f-kubelet-rg": "unchanged",
      "f-app-vault": "new",
      "f-sp-mg": "new",
      "f-legacy-cluster": "unchanged",
    });
    const first = buildFindingRows(inv, findings, { new: [], unchanged: [], resolved: [] });
    expect(first.every((r) => r.status === undefined)).toBe(true);
    expect(findingStatuses(undefined).size).toBe(0);
  });
});

describe("filter, sort, page", () => {
  it("filters by severity, rule, cluster, identity kind, subscription and status", () => {
    expect(ids(filterFindingRows(rows, q({ severity: "medium" })))).toEqual(["f-kubelet-rg", "f-legacy-cluster"]);
    expect(ids(filterFindingRows(rows, q({ rule: "acr-scope-too-broad" })))).toEqual(["f-kubelet-rg"]);
    expect(ids(filterFindingRows(rows, q({ cluster: AKS_LEGACY.toUpperCase() })))).toEqual(["f-sp-mg", "f-legacy-cluster"]);
    expect(ids(filterFindingRows(rows, q({ kind: "app" })))).toEqual(["f-app-vault"]);
    // The management-group grant counts for the subscription of the cluster it was found on.
    expect(ids(filterFindingRows(rows, q({ subscription: SUB_SHARED })))).toEqual(["f-sp-mg", "f-legacy-cluster"]);
    expect(ids(filterFindingRows(rows, q({ status: "new" })))).toEqual(["f-app-vault", "f-sp-mg"]);
  });

  it("filters by whether a Terraform state manages the finding's grant, read from the link", () => {
    const managedRows = buildFindingRows(inv, findings.map((f) => (f.id === "f-kubelet-rg" ? { ...f, iac: { tool: "terraform" as const, address: "module.aks.azurerm_role_assignment.acr", file: "main.tf", line: 3 } } : f)), comparison);
    expect(ids(filterFindingRows(managedRows, q({ iac: "managed" })))).toEqual(["f-kubelet-rg"]);
    expect(ids(filterFindingRows(managedRows, q({ iac: "unmanaged" })))).toEqual(["f-cp-sub", "f-app-vault", "f-sp-mg", "f-legacy-cluster"]);
    expect(ids(filterFindingRows(managedRows, q({ q: "azurerm_role_assignment.acr" })))).toEqual(["f-kubelet-rg"]);
    expect(parseFindingQuery({ iac: "managed" }).data.iac).toBe("managed");
    expect(parseFindingQuery({ iac: "maybe" }).errors).toEqual([expect.stringMatching(/^Ignored iac="maybe": must be one of managed, unmanaged/)]);
    expect(findingsHref(q({ iac: "unmanaged" }))).toBe("/findings?iac=unmanaged");
  });

  it("searches identity name, role, scope id and name, and message, case-insensitively", () => {
    expect(ids(filterFindingRows(rows, q({ q: "AGENTPOOL" })))).toEqual(["f-kubelet-rg"]);
    expect(ids(filterFindingRows(rows, q({ q: "key vault admin" })))).toEqual(["f-app-vault"]);
    expect(ids(filterFindingRows(rows, q({ q: "kv-payments" })))).toEqual(["f-app-vault"]);
    expect(ids(filterFindingRows(rows, q({ q: "message f-cp-sub" })))).toEqual(["f-cp-sub"]);
    expect(ids(filterFindingRows(rows, q({ q: "nothing like this" })))).toEqual([]);
  });

  it("sorts most severe first by default, and by rule, identity or widest scope on request", () => {
    expect(ids(sortFindingRows(rows, "severity", "desc"))).toEqual(["f-sp-mg", "f-cp-sub", "f-kubelet-rg", "f-legacy-cluster", "f-app-vault"]);
    expect(ids(sortFindingRows(rows, "severity", "asc"))[0]).toBe("f-app-vault");
    expect(ids(sortFindingRows(rows, "rule", "asc"))).toEqual(["f-kubelet-rg", "f-legacy-cluster", "f-app-vault", "f-sp-mg", "f-cp-sub"]);
    expect(ids(sortFindingRows(rows, "identity", "asc"))).toEqual(["f-sp-mg", "f-kubelet-rg", "f-cp-sub", "f-app-vault", "f-legacy-cluster"]);
    expect(ids(sortFindingRows(rows, "scope", "asc"))).toEqual(["f-sp-mg", "f-cp-sub", "f-kubelet-rg", "f-legacy-cluster", "f-app-vault"]);
  });

  it("cuts pages of the filtered, sorted rows and clamps a page past the end", () => {
    const page2 = listFindingPage(rows, q({ page: 2 }), 2);
    expect(page2).toMatchObject({ total: 5, page: 2, pageCount: 3, from: 3, to: 4 });
    expect(ids(page2.rows)).toEqual(["f-kubelet-rg", "f-legacy-cluster"]);
    const past = listFindingPage(rows, q({ page: 99 }), 2);
    expect(past).toMatchObject({ page: 3, from: 5, to: 5 });
    expect(listFindingPage(rows, q({ q: "zzz" }))).toMatchObject({ total: 0, from: 0, to: 0, pageCount: 1 });
  });

  it("counts severities among rows matching every filter but severity", () => {
    expect(countFindingSeverities(rows, q())).toEqual({ critical: 1, high: 1, medium: 2, low: 1 });
    expect(countFindingSeverities(rows, q({ severity: "critical", cluster: AKS_PROD }))).toEqual({ critical: 0, high: 1, medium: 1, low: 1 });
    expect(countSeverities(findings)).toEqual({ critical: 1, high: 1, medium: 2, low: 1 });
  });
});

describe("buildFindingDetail", () => {
  it("links evidence sources that are identities or clusters to their pages", () => {
    const index = getIndex(inv);
    expect(linkSource(index, ID_API.toUpperCase())).toEqual({ href: "/identities/app-1", label: "id-api" });
    expect(linkSource(index, "kubelet-1")).toEqual({ href: "/identities/kubelet-1", label: "aks-prod-agentpool" });
    expect(linkSource(index, AKS_LEGACY)?.href).toBe(`/identities?cluster=${encodeURIComponent(AKS_LEGACY)}`);
    expect(linkSource(index, `/subscriptions/${SUB_PROD}/providers/Microsoft.Authorization/roleAssignments/a1`)).toEqual({ href: "/identities/cp-1", label: "role assignments of aks-prod-cp" });
    expect(linkSource(index, VAULT)).toBeUndefined();
  });

  it("carries the identity, cluster, scope breadcrumb, severity reason and rule text", () => {
    const f = finding("f-x", "high", {
      baseSeverity: "medium",
      severityReason: "raised: the kubelet identity is reachable from every pod on the cluster's nodes",
      identityKey: "kubelet-1",
      principalId: "kubelet-1",
      scope: VAULT,
      clusterId: AKS_PROD,
      evidence: [{ source: AKS_PROD, fact: "cluster fact" }],
    });
    const rule = { id: "x", title: "T", description: "D", rationale: "R", remediation: "M", references: [{ title: "doc", url: "https://learn.microsoft.com/x" }] };
    const detail = buildFindingDetail(inv, f, rule, "new");
    expect(detail).toMatchObject({ severity: "high", baseSeverity: "medium", status: "new", rule: { rationale: "R" } });
    expect(detail.severityReason).toMatch(/^raised/);
    expect(detail.identity).toEqual({ key: "kubelet-1", name: "aks-prod-agentpool", kind: "kubelet", href: "/identities/kubelet-1" });
    expect(detail.cluster?.name).toBe("aks-prod");
    expect(detail.scope?.crumbs.map((c) => c.label)).toEqual(["Tenant Root Group", "Corp", "prod", "rg-prod", "kv-payments"]);
    expect(detail.evidence[0]!.link?.label).toBe("identities of cluster aks-prod");
  });

  it("names an identity the inventory does not know instead of linking it", () => {
    const detail = buildFindingDetail(inv, finding("f-y", "low", { principalId: "gone-principal" }));
    expect(detail.identity).toBeUndefined();
    expect(detail.identityLabel).toBe("gone-principal");
  });

  it("finds an identity's findings by key or principal id", () => {
    expect(ids(findingsOfIdentity(findings, { key: "KUBELET-1" }))).toEqual(["f-kubelet-rg"]);
    expect(ids(findingsOfIdentity([finding("z", "low", { principalId: "app-1" })], { key: "other", principalId: "APP-1" }))).toEqual(["z"]);
  });
});

describe("buildCoverageGaps", () => {
  it("groups scan errors by source and cluster, naming the cluster", () => {
    const withMore = { ...inv, errors: [...inv.errors, { ...inv.errors[0]! }, { source: "graph:principals", message: "403" }] };
    expect(buildCoverageGaps(withMore)).toEqual([
      { source: "kubernetes:pods", clusterName: "aks-legacy", count: 2 },
      { source: "graph:principals", count: 1 },
    ]);
  });
});
