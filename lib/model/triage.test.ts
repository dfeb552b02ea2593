import { describe, expect, it } from "vitest";
import type { Finding } from "./findings";
import { applyExceptions, exceptionMatches, triageInForce, type ExceptionEntry } from "./triage";

const rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/shared";
const cluster = `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-prod`;
const finding = (over: Partial<Finding>): Finding =>
  ({ id: "f1", ruleId: "acr-scope-too-broad", severity: "high", baseSeverity: "high", title: "t", message: "m", evidence: [], fixes: [], ...over }) as Finding;
const entry = (over: Partial<ExceptionEntry>): ExceptionEntry => ({ state: "accepted", reason: "r", owner: "o", expires: "2026-06-30", file: "x.yaml", line: 2, ...over });

describe("exception matching", () => {
  it("matches a rule at a scope and below it, case-insensitively, not above it", () => {
    const m = { rule: "acr-scope-too-broad", scope: rg.toUpperCase() };
    expect(exceptionMatches(m, finding({ scope: `${rg}/providers/Microsoft.ContainerRegistry/registries/acr1` }))).toBe(true);
    expect(exceptionMatches(m, finding({ scope: rg }))).toBe(true);
    expect(exceptionMatches(m, finding({ scope: "/subscriptions/00000000-0000-0000-0000-000000000001" }))).toBe(false);
    expect(exceptionMatches(m, finding({ scope: `${rg}-other` }))).toBe(false);
    expect(exceptionMatches(m, finding({ ruleId: "pod-identity-deprecated", scope: rg }))).toBe(false);
  });

  it("places a finding without a scope by its cluster, and matches a cluster by id or name", () => {
    expect(exceptionMatches({ rule: "acr-scope-too-broad", scope: rg }, finding({ clusterId: cluster }))).toBe(true);
    expect(exceptionMatches({ rule: "acr-scope-too-broad", cluster: "AKS-prod" }, finding({ clusterId: cluster }))).toBe(true);
    expect(exceptionMatches({ rule: "acr-scope-too-broad", cluster }, finding({ clusterId: cluster.toLowerCase() }))).toBe(true);
    expect(exceptionMatches({ rule: "acr-scope-too-broad", cluster: "aks-dev" }, finding({ clusterId: cluster }))).toBe(false);
    expect(exceptionMatches({ rule: "acr-scope-too-broad", cluster: "aks-prod" }, finding({}))).toBe(false);
  });

  it("needs every given field: principal and finding id", () => {
    expect(exceptionMatches({ rule: "acr-scope-too-broad", principalId: "P-1" }, finding({ principalId: "p-1" }))).toBe(true);
    expect(exceptionMatches({ rule: "acr-scope-too-broad", principalId: "p-2" }, finding({ principalId: "p-1" }))).toBe(false);
    expect(exceptionMatches({ finding: "f1" }, finding({}))).toBe(true);
    expect(exceptionMatches({ finding: "f2" }, finding({}))).toBe(false);
    // An entry that names neither a finding nor a rule covers nothing.
    expect(exceptionMatches({ scope: rg }, finding({ scope: rg }))).toBe(false);
  });

  it("holds through the expiry day (UTC) and not after it", () => {
    expect(triageInForce("2026-06-30", new Date("2026-06-30T23:59:59Z"))).toBe(true);
    expect(triageInForce("2026-06-30", new Date("2026-07-01T00:00:00Z"))).toBe(false);
  });

  it("gives each finding the first entry in force that matches, and none once expired", () => {
    const findings = [finding({ id: "a", scope: rg }), finding({ id: "b", scope: "/subscriptions/00000000-0000-0000-0000-000000000002" })];
    const entries = [entry({ finding: "a", reason: "first", expires: "2026-01-01" }), entry({ rule: "acr-scope-too-broad", scope: rg, reason: "second" })];
    const applied = applyExceptions(findings, entries, new Date("2026-03-01T00:00:00Z"));
    expect(applied.get("a")?.reason).toBe("second");
    expect(applied.has("b")).toBe(false);
    expect(applyExceptions(findings, entries, new Date("2026-07-01T00:00:00Z")).size).toBe(0);
  });
});
