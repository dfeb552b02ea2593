import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { evaluateRules } from "@/lib/rules/evaluate";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";
import { FixUsageError, parseFixArgs, renderFix, selectFix } from "./fix";

const DEMO = "fixtures/tenants/demo.json";
const inventory = buildInventory(rawFromTenant(parseTenant(JSON.parse(readFileSync(DEMO, "utf8")))), { scannedAt: "2026-01-01T00:00:00.000Z" });
const findings = evaluateRules(inventory);
const acr = findings.find((f) => f.ruleId === "acr-scope-too-broad")!;

function runFix(args: string[]) {
  return spawnSync("npx", ["tsx", "lib/cli/fix.ts", ...args], { encoding: "utf8", timeout: 120_000 });
}

describe("parseFixArgs", () => {
  it("requires tenant, finding and a known format", () => {
    expect(() => parseFixArgs(["--finding", "x", "--format", "az"])).toThrow(/--tenant FILE is required/);
    expect(() => parseFixArgs(["--tenant", DEMO, "--format", "az"])).toThrow(/--finding ID is required/);
    expect(() => parseFixArgs(["--tenant", DEMO, "--finding", "x", "--format", "pulumi"])).toThrow(/--format must be one of az, terraform, bicep, yaml, got "pulumi"/);
    expect(() => parseFixArgs(["--tenant", DEMO, "--finding", "x", "--format", "az", "--bogus"])).toThrow(FixUsageError);
    expect(parseFixArgs(["--tenant", DEMO, "--finding", "x", "--plan", "p", "--format", "yaml"])).toEqual({ tenantFile: DEMO, findingId: "x", planId: "p", format: "yaml" });
  });
});

describe("selectFix", () => {
  it("takes the first plan when none is named", () => {
    const s = selectFix(findings, { tenantFile: DEMO, findingId: acr.id });
    expect(s.ok && s.plan.id).toBe(acr.fixes[0]!.id);
  });
  it("names how to list ids for an unknown finding, and the plan ids for an unknown plan", () => {
    const unknown = selectFix(findings, { tenantFile: DEMO, findingId: "no-such-finding" });
    expect(!unknown.ok && unknown.message).toMatch(/no finding "no-such-finding".*scan -- --tenant fixtures\/tenants\/demo\.json --format json/);
    const badPlan = selectFix(findings, { tenantFile: DEMO, findingId: acr.id, planId: "nope" });
    expect(!badPlan.ok && badPlan.message).toContain(`its plans: ${acr.fixes[0]!.id} (`);
  });
  it("refuses a format with nothing to show, naming one that has", () => {
    const r = renderFix(inventory, findings, { tenantFile: DEMO, findingId: acr.id, format: "yaml" });
    expect(!r.ok && r.message).toMatch(/Nothing to render as YAML.*Try --format az\./);
  });
});

describe("fix CLI against the emulator", () => {
  it("prints the Terraform of a finding's plan with the scanned ids", async () => {
    const r = runFix(["--tenant", DEMO, "--finding", acr.id, "--format", "terraform"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const hcl = await parseHcl("main.tf", r.stdout);
    expect((hcl.import as { id: string }[]).map((i) => i.id)).toEqual([acr.roleAssignmentId]);
  }, 150_000);

  it("exits 2 naming the plans of the finding when the plan id is unknown", () => {
    const r = runFix(["--tenant", DEMO, "--finding", acr.id, "--plan", "nope", "--format", "az"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`fix: finding "${acr.id}" has no plan "nope"; its plans: ${acr.fixes.map((p) => p.id).join("")}`);
  }, 150_000);

  it("prints the pod-identity migration as Kubernetes YAML", () => {
    const migration = findings.find((f) => f.ruleId === "pod-identity-deprecated")!;
    const r = runFix(["--tenant", DEMO, "--finding", migration.id, "--format", "yaml"]);
    expect(r.status).toBe(0);
    const kinds = parseAllDocuments(r.stdout).map((d) => (d.toJS() as { kind: string }).kind);
    expect(new Set(kinds)).toEqual(new Set(["ServiceAccount", "Deployment"]));
    expect(r.stdout).toContain("delete azureidentitybinding.aadpodidentity.k8s.io");
  }, 150_000);
});
