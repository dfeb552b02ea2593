import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv-draft-04";
import { beforeAll, describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { rules } from "@/lib/rules/registry";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";
import { buildScanOutput } from "./output";
import { renderSarif } from "./sarif";
import { locateIn } from "@/lib/iac/hcl-sources";
import { readTerraformDir, readTerraformPlanFile } from "@/lib/scan/terraform-files";
import { evaluateTerraformPlan } from "@/lib/scan/terraform-plan";

const schemaPath = path.resolve(__dirname, "../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");

let inventory: Inventory;
beforeAll(() => {
  const tenant = parseTenant(JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../fixtures/tenants/demo.json"), "utf8")), "demo.json");
  inventory = buildInventory(rawFromTenant(tenant));
});

describe("SARIF 2.1.0 output", () => {
  it("validates against the SARIF 2.1.0 JSON schema", () => {
    const output = buildScanOutput(inventory, evaluateRules(inventory));
    const log = renderSarif(output, rules.map((r) => r.meta), "0.1.0");
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The schema check itself can fail: a level SARIF does not define is refused.
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = "fatal";
    expect(validate(broken)).toBe(false);
  });

  it("declares one rule per rule id with help text and a level from the severity", () => {
    const log = renderSarif(buildScanOutput(inventory, []), rules.map((r) => r.meta), "0.1.0");
    const driverRules = log.runs[0]!.tool.driver.rules!;
    expect(driverRules.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id));
    const privileged = driverRules.find((r) => r.id === "privileged-role-on-workload-identity")!;
    expect(privileged.defaultConfiguration?.level).toBe("error");
    expect(privileged.help?.text).toMatch(/Fix:/);
    expect(driverRules.find((r) => r.id === "orphaned-role-assignment")!.defaultConfiguration?.level).toBe("note");
  });

  it("reports each finding with its ARM ids as logical locations and a stable fingerprint", () => {
    const findings = evaluateRules(inventory);
    const log = renderSarif(buildScanOutput(inventory, findings), rules.map((r) => r.meta), "0.1.0");
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(findings.length);
    const withAssignment = findings.findIndex((f) => f.roleAssignmentId);
    const r = results[withAssignment]!;
    expect(r.ruleId).toBe(findings[withAssignment]!.ruleId);
    expect(r.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toBe(findings[withAssignment]!.roleAssignmentId);
    expect(r.partialFingerprints?.["scopewiseFindingId/v1"]).toBe(findings[withAssignment]!.id);
    expect(rules[r.ruleIndex!]!.meta.id).toBe(r.ruleId);
    const levels = new Set(results.map((x) => x.level));
    expect([...levels].every((l) => l === "error" || l === "warning" || l === "note")).toBe(true);
  });
});

describe("SARIF for a Terraform plan", () => {
  it("puts the Terraform block first as a physical location, and still validates", async () => {
    const dir = path.resolve(__dirname, "../iac/testdata/seed");
    const { findings, inventory: planned } = evaluateTerraformPlan({
      plan: await readTerraformPlanFile(path.join(dir, "plan.json")),
      locate: locateIn(await readTerraformDir(dir)),
    });
    const log = renderSarif(buildScanOutput(planned, findings), rules.map((r) => r.meta), "0.1.0", { iacRoot: "lib/iac/testdata/seed" });
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
    expect(validate(log)).toBe(true);
    const i = findings.findIndex((f) => f.iac?.address === "module.aks.azurerm_role_assignment.control_plane_network");
    const loc = log.runs[0]!.results![i]!.locations![0]!;
    expect(loc.physicalLocation?.artifactLocation?.uri).toBe("lib/iac/testdata/seed/modules/aks/role_assignments.tf");
    expect(loc.physicalLocation?.region?.startLine).toBe(findings[i]!.iac!.line);
    expect(loc.logicalLocations?.[0]?.fullyQualifiedName).toBe("module.aks.azurerm_role_assignment.control_plane_network");
    // Without file and line there is no physical location to give.
    const bare = renderSarif(buildScanOutput(planned, findings.map(({ iac, ...f }) => ({ ...f, iac: iac && { tool: iac.tool, address: iac.address } }))), rules.map((r) => r.meta), "0.1.0");
    expect(bare.runs[0]!.results!.some((r) => r.locations!.some((l) => l.physicalLocation))).toBe(false);
  });
});

describe("SARIF for finding kinds from other inputs", () => {
  it("declares terraform-drift when a drift finding is reported, and validates", async () => {
    const { readScanOwnership } = await import("@/lib/scan/terraform-ownership");
    const demoTf = path.resolve(__dirname, "../../fixtures/terraform/demo");
    const { drift } = await readScanOwnership(inventory, { states: [path.join(demoTf, "state")], dir: demoTf });
    expect(drift.length).toBeGreaterThan(0);
    const log = renderSarif(buildScanOutput(inventory, drift), rules.map((r) => r.meta), "0.1.0");
    const declared = log.runs[0]!.tool.driver.rules!.map((r) => r.id);
    expect(declared).toContain("terraform-drift");
    expect(log.runs[0]!.results![0]).toMatchObject({ ruleId: "terraform-drift", ruleIndex: declared.indexOf("terraform-drift") });
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    expect(ajv.validate(JSON.parse(fs.readFileSync(schemaPath, "utf8")), log)).toBe(true);
    // Without drift findings the kind is not declared: it did not run.
    expect(renderSarif(buildScanOutput(inventory, []), rules.map((r) => r.meta), "0.1.0").runs[0]!.tool.driver.rules!.map((r) => r.id)).not.toContain("terraform-drift");
  });
});
