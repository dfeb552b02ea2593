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
    expect(() => parseScanArgs([])).toThrow(/--tenant FILE or --azure/);
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
