import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Finding } from "@/lib/model/findings";
import type { ScanOutput } from "./output";
import { exitCodeFor } from "./scan-command";
import { parseScanArgs, UsageError } from "./scan";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const demo = path.join(root, "fixtures/tenants/demo.json");

async function scan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "lib/cli/scan.ts", ...args], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("scan arguments", () => {
  it("needs a source", () => {
    expect(() => parseScanArgs([])).toThrow(/--tenant FILE, --azure or --terraform-plan FILE/);
    expect(() => parseScanArgs(["--tenant", "x.json", "--terraform-dir", "infra"])).toThrow(/--terraform-dir only applies with --terraform-plan/);
    expect(parseScanArgs(["--terraform-plan", "plan.json", "--terraform-dir", "infra"])).toMatchObject({ terraformPlan: "plan.json", terraformDir: "infra" });
  });
  it("names a bad format, severity and rule id", () => {
    expect(() => parseScanArgs(["--tenant", "x.json", "--format", "xml"])).toThrow(/--format must be json, table or sarif/);
    expect(() => parseScanArgs(["--tenant", "x.json", "--fail-on", "urgent"])).toThrow(/--fail-on must be one of critical, high, medium, low/);
    expect(() => parseScanArgs(["--tenant", "x.json", "--rules", "no-such-rule"])).toThrow(UsageError);
    expect(() => parseScanArgs(["--tenant", "x.json", "--rules", "no-such-rule"])).toThrow(/unknown rule id\(s\) no-such-rule/);
  });
  it("parses rule filters", () => {
    const o = parseScanArgs(["--tenant", "x.json", "--rules", "acr-scope-too-broad, pod-identity-deprecated", "--skip-rules", "unused-identity"]);
    expect(o.only).toEqual(["acr-scope-too-broad", "pod-identity-deprecated"]);
    expect(o.skip).toEqual(["unused-identity"]);
  });
});

describe("--fail-on", () => {
  const f = (severity: Finding["severity"]) => ({ severity }) as Finding;
  it("fails when a finding reaches the threshold, not below it", () => {
    expect(exitCodeFor([f("medium")], "high")).toBe(0);
    expect(exitCodeFor([f("medium"), f("high")], "high")).toBe(1);
    expect(exitCodeFor([f("critical")], "high")).toBe(1);
    expect(exitCodeFor([f("critical")], undefined)).toBe(0);
  });
});

describe("scan CLI (in-process emulator, real SDK path)", () => {
  it("prints the scan JSON of the demo tenant with identities of every kind", async () => {
    const { code, stdout } = await scan(["--tenant", demo, "--format", "json"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as ScanOutput;
    expect(out.version).toBe(1);
    expect(out.inventory.clusters).toBe(3);
    expect(out.inventory.subscriptions).toBe(3);
    const kinds = new Set(out.identities.map((i) => i.kind));
    for (const k of ["control-plane", "kubelet", "addon", "app"]) expect(kinds).toContain(k);
    expect(new Set(out.findings.map((x) => x.ruleId)).size).toBe(27);
    expect(out.errors).toEqual([]);
  });

  it("exits 1 with --fail-on when a finding reaches it, and filters rules", async () => {
    const { code, stdout } = await scan(["--tenant", demo, "--format", "json", "--rules", "acr-scope-too-broad", "--fail-on", "medium"]);
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as ScanOutput;
    expect(out.findings.length).toBeGreaterThan(0);
    expect(new Set(out.findings.map((x) => x.ruleId))).toEqual(new Set(["acr-scope-too-broad"]));
  });

  it("rejects a malformed tenant with exit 2 and the JSON path of the problem", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-cli-"));
    const bad = path.join(dir, "bad.json");
    const tenant = JSON.parse(fs.readFileSync(demo, "utf8"));
    delete tenant.roleAssignments[2].properties.principalId;
    fs.writeFileSync(bad, JSON.stringify(tenant));
    const { code, stdout, stderr } = await scan(["--tenant", bad]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/\$\.roleAssignments\[2\]\.properties\.principalId/);
  });
});

describe("scan CLI with a Terraform plan", () => {
  const seed = path.join(root, "lib/iac/testdata/seed");
  it("prints the plan's findings with their Terraform address, file and line", async () => {
    const { code, stdout } = await scan(["--terraform-plan", path.join(seed, "plan.json"), "--terraform-dir", seed, "--fail-on", "high"]);
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as ScanOutput;
    const network = out.findings.find((f) => f.ruleId === "network-role-scope-too-broad");
    const text = fs.readFileSync(path.join(seed, "modules/aks/role_assignments.tf"), "utf8");
    const line = text.slice(0, text.indexOf('"control_plane_network"')).split("\n").length;
    expect(network?.iac).toEqual({ tool: "terraform", address: "module.aks.azurerm_role_assignment.control_plane_network", file: "modules/aks/role_assignments.tf", line });
  });

  it("shows the block in the table", async () => {
    const { code, stdout } = await scan(["--terraform-plan", path.join(seed, "plan.json"), "--terraform-dir", seed, "--format", "table"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/TERRAFORM/);
    expect(stdout).toMatch(/module\.aks\.azurerm_role_assignment\.pod_identity_mio \(modules\/aks\/role/);
  });

  it("judges the plan over a tenant", async () => {
    const shop = path.join(root, "lib/iac/testdata/shop");
    const { code, stdout } = await scan(["--terraform-plan", path.join(shop, "plan.json"), "--terraform-dir", shop, "--tenant", path.join(root, "fixtures/tenants/minimal.json")]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as ScanOutput;
    expect(out.findings.filter((f) => f.iac).map((f) => f.ruleId).sort()).toEqual(["acr-write-on-kubelet", "data-role-broader-than-needed", "kubelet-identity-extra-role"]);
  });

  it("exits 2 naming the file for a plan of another format version, and the file and line for bad HCL", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-tf-"));
    const plan = JSON.parse(fs.readFileSync(path.join(seed, "plan.json"), "utf8"));
    plan.format_version = "2.0";
    fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plan));
    const v2 = await scan(["--terraform-plan", path.join(dir, "plan.json")]);
    expect(v2.code).toBe(2);
    expect(v2.stdout).toBe("");
    expect(v2.stderr).toMatch(/plan\.json: has format_version "2\.0"/);
    fs.writeFileSync(path.join(dir, "main.tf"), 'resource "azurerm_role_assignment" "a" {\n  scope = \n');
    const hcl = await scan(["--terraform-plan", path.join(seed, "plan.json"), "--terraform-dir", dir]);
    expect(hcl.code).toBe(2);
    expect(hcl.stderr).toMatch(/scan: main\.tf:\d+: HCL does not parse/);
  });
});
