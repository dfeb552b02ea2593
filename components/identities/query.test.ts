import { describe, expect, it } from "vitest";
import { AKS_LEGACY, SUB_SHARED, buildTestInventory } from "@/components/inventory/inventory.testing";
import { buildIdentityRows, type IdentityRow } from "./rows";
import {
  defaultIdentityQuery,
  filterIdentityRows,
  identitiesHref,
  listIdentityPage,
  parseIdentityQuery,
  sortIdentityRows,
  type IdentityQuery,
} from "./query";

const rows = buildIdentityRows(buildTestInventory());
const q = (changes: Partial<IdentityQuery>): IdentityQuery => ({ ...defaultIdentityQuery, ...changes });
const names = (list: IdentityRow[]) => list.map((r) => r.displayName);

describe("parseIdentityQuery", () => {
  it("reads every parameter, taking the first of repeated ones", () => {
    const { data, errors } = parseIdentityQuery({ q: "  api ", kind: ["app", "kubelet"], cluster: AKS_LEGACY, subscription: SUB_SHARED, sort: "name", dir: "desc", page: "3" });
    expect(errors).toEqual([]);
    expect(data).toEqual({ q: "api", kind: "app", cluster: AKS_LEGACY, subscription: SUB_SHARED, sort: "name", dir: "desc", page: 3 });
  });

  it("drops bad values, keeps the defaults and names each parameter it ignored", () => {
    const { data, errors } = parseIdentityQuery({ kind: "robot", sort: "evil", dir: "up", page: "0", subscription: "prod", cluster: "/subscriptions/x" });
    expect(data).toEqual(defaultIdentityQuery);
    expect(errors).toHaveLength(6);
    expect(errors[0]).toMatch(/^Ignored kind="robot": must be one of control-plane, kubelet/);
    expect(errors.join("\n")).toContain('Ignored page="0": must be 1 or more');
    expect(errors.join("\n")).toContain('Ignored subscription="prod": must be a subscription id');
  });

  it("rejects a non-numeric page and an over-long search", () => {
    expect(parseIdentityQuery({ page: "2.5" }).errors[0]).toContain("whole number");
    expect(parseIdentityQuery({ page: "abc" }).errors[0]).toContain("page");
    expect(parseIdentityQuery({ q: "x".repeat(201) }).errors[0]).toContain("longer than 200");
  });

  it("round-trips through the URL, leaving defaults out", () => {
    expect(identitiesHref(defaultIdentityQuery)).toBe("/identities");
    const href = identitiesHref(q({ q: "a b", kind: "kubelet", page: 2, sort: "name", dir: "asc" }));
    expect(href).toBe("/identities?q=a+b&kind=kubelet&sort=name&dir=asc&page=2");
    const parsed = parseIdentityQuery(Object.fromEntries(new URL(href, "http://x").searchParams));
    expect(parsed.data).toEqual(q({ q: "a b", kind: "kubelet", page: 2, sort: "name", dir: "asc" }));
  });
});

describe("filterIdentityRows", () => {
  it("filters by kind", () => {
    expect(names(filterIdentityRows(rows, q({ kind: "app" })))).toEqual(["id-api", "reporter-sp"]);
  });

  it("filters by cluster id case-insensitively", () => {
    expect(names(filterIdentityRows(rows, q({ cluster: AKS_LEGACY.toUpperCase() }))).sort()).toEqual(["aks-legacy-sp", "reporter-sp"]);
  });

  it("filters by subscription, counting where the identity holds roles", () => {
    // sp-1 serves aks-legacy (shared) and holds Owner at a management group: it is in shared through its cluster.
    expect(names(filterIdentityRows(rows, q({ subscription: SUB_SHARED }))).sort()).toEqual(["aks-legacy-sp", "reporter-sp"]);
  });

  it("searches name, principal id, client id and role names, case-insensitively", () => {
    expect(names(filterIdentityRows(rows, q({ q: "OMSAGENT" })))).toEqual(["omsagent-aks-prod"]);
    expect(names(filterIdentityRows(rows, q({ q: "kubelet-1" })))).toEqual(["aks-prod-agentpool"]);
    expect(names(filterIdentityRows(rows, q({ q: "client-sp-1" })))).toEqual(["aks-legacy-sp"]);
    expect(names(filterIdentityRows(rows, q({ q: "acrpull" })))).toEqual(["aks-prod-agentpool"]);
    expect(filterIdentityRows(rows, q({ q: "nothing-like-this" }))).toEqual([]);
  });

  it("combines filters", () => {
    expect(names(filterIdentityRows(rows, q({ kind: "app", q: "reporter" })))).toEqual(["reporter-sp"]);
    expect(filterIdentityRows(rows, q({ kind: "kubelet", cluster: AKS_LEGACY }))).toEqual([]);
  });
});

describe("sortIdentityRows", () => {
  it("sorts widest scope first by default, rows without roles last", () => {
    const sorted = names(sortIdentityRows(rows, "scope", "asc"));
    expect(sorted[0]).toBe("aks-legacy-sp"); // management group
    expect(sorted[1]).toBe("aks-prod-cp"); // subscription
    expect(sorted.at(-1)).toBe("omsagent-aks-prod"); // no role assignments
  });

  it("sorts by name both ways and by counts with a name tie-break", () => {
    expect(names(sortIdentityRows(rows, "name", "asc"))[0]).toBe("aks-legacy-sp");
    expect(names(sortIdentityRows(rows, "name", "desc"))[0]).toBe("reporter-sp");
    const byAssignments = sortIdentityRows(rows, "assignments", "desc");
    expect(byAssignments.slice(0, 2).map((r) => [r.displayName, r.assignmentCount])).toEqual([
      ["aks-prod-agentpool", 2],
      ["id-api", 2],
    ]);
    expect(names(sortIdentityRows(rows, "workloads", "desc")).slice(0, 2)).toEqual(["id-api", "reporter-sp"]);
  });

  it("does not reorder its input", () => {
    const before = names(rows);
    sortIdentityRows(rows, "name", "desc");
    expect(names(rows)).toEqual(before);
  });
});

describe("listIdentityPage", () => {
  const many: IdentityRow[] = Array.from({ length: 250 }, (_, i) => ({
    ...rows[0]!,
    key: `k${i}`,
    displayName: `identity-${String(i).padStart(3, "0")}`,
    searchText: `identity-${i}`,
  }));

  it("cuts pages of the given size with 1-based bounds", () => {
    const page = listIdentityPage(many, q({ sort: "name", page: 2 }), 100);
    expect(page).toMatchObject({ total: 250, page: 2, pageCount: 3, from: 101, to: 200 });
    expect(page.rows[0]!.displayName).toBe("identity-100");
  });

  it("shows the last page for a page number past the end", () => {
    expect(listIdentityPage(many, q({ sort: "name", page: 9 }), 100)).toMatchObject({ page: 3, from: 201, to: 250 });
  });

  it("reports an empty result as zero rows on page 1", () => {
    expect(listIdentityPage(many, q({ q: "zzz" }), 100)).toMatchObject({ total: 0, page: 1, pageCount: 1, from: 0, to: 0, rows: [] });
  });

  it("pages 10,000 identities quickly", () => {
    const big = Array.from({ length: 10_000 }, (_, i) => ({ ...many[0]!, key: `b${i}`, displayName: `n${(i * 7919) % 10_000}`, searchText: `n${i}` }));
    const start = performance.now();
    const page = listIdentityPage(big, q({ sort: "name", dir: "desc", q: "n" }));
    expect(page.rows).toHaveLength(100);
    expect(performance.now() - start).toBeLessThan(500);
  });
});
