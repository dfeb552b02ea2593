import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Ajv from "ajv-draft-04";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rules } from "@/lib/rules/registry";
import { buildScanOutput, renderTableReport } from "./output";
import { renderSarif } from "./sarif";
import { exceptionsFileFor, runScanCommand } from "./scan-command";
import { parseScanArgs } from "./scan";

const root = path.resolve(__dirname, "../..");
const demo = path.join(root, "fixtures/tenants/demo.json");
const schemaPath = path.join(root, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const now = new Date("2026-03-01T00:00:00Z");
// The demo tenant's one acr-scope-too-broad finding: the orders cluster's kubelet pulling from the hub group.
const hubAcr = "/subscriptions/3a373f39-a6c8-5462-a69d-11521ef4676d/resourceGroups/rg-hub-acr";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-exceptions-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const accepted = (scope: string) => `exceptions:
  - rule: acr-scope-too-broad
    scope: ${scope}
    reason: Hub registry shared by every cluster until the split
    owner: platform-team@example.com
    expires: 2026-06-30
`;

describe("scan --exceptions", () => {
  it("marks the covered finding accepted in JSON and stops counting it for --fail-on", async () => {
    const exceptionsFile = write("accept.yaml", accepted(hubAcr.toUpperCase()));
    const base = { tenantFile: demo, azure: false, format: "json" as const, only: ["acr-scope-too-broad", "orphaned-role-assignment"], failOn: "high" as const, now };
    const result = await runScanCommand({ ...base, exceptionsFile });
    if (!result.ok) throw new Error(result.message);
    const out = buildScanOutput(result.inventory, result.findings, result.triage);
    const acr = out.findings.filter((f) => f.ruleId === "acr-scope-too-broad");
    expect(acr.length).toBeGreaterThan(0);
    for (const f of acr) {
      expect(f.triage).toEqual({ state: "accepted", reason: "Hub registry shared by every cluster until the split", owner: "platform-team@example.com", expires: "2026-06-30" });
    }
    expect(out.findings.filter((f) => f.ruleId !== "acr-scope-too-broad").every((f) => f.triage === undefined)).toBe(true);
    // The accepted finding is the only high one: --fail-on high passes, and fails again when accepted findings count.
    expect(out.findings.filter((f) => !f.triage).every((f) => f.severity === "low" || f.severity === "medium")).toBe(true);
    expect(result.exitCode).toBe(0);
    const counted = await runScanCommand({ ...base, exceptionsFile, failOnAccepted: true });
    expect(counted).toMatchObject({ ok: true, exitCode: 1 });
    const without = await runScanCommand({ ...base, exceptionsFile: write("other.yaml", accepted("/subscriptions/00000000-0000-0000-0000-000000000009")) });
    expect(without).toMatchObject({ ok: true, exitCode: 1 });
    if (without.ok) expect(without.triage.size).toBe(0);
    expect(renderTableReport(out)).toMatch(/TRIAGE[\s\S]*accepted until 2026-06-30/);
  });

  it("gives SARIF an external suppression with the reason, and still validates", async () => {
    const result = await runScanCommand({ tenantFile: demo, azure: false, format: "sarif", exceptionsFile: write("sarif.yaml", accepted(hubAcr)), now });
    if (!result.ok) throw new Error(result.message);
    const log = renderSarif(buildScanOutput(result.inventory, result.findings, result.triage), rules.map((r) => r.meta), "0.1.0");
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
    expect(validate(log)).toBe(true);
    const results = log.runs[0]!.results!;
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed.length).toBe(result.triage.size);
    expect(suppressed.every((r) => r.ruleId === "acr-scope-too-broad")).toBe(true);
    expect(suppressed[0]!.suppressions).toEqual([
      { kind: "external", justification: "Hub registry shared by every cluster until the split", properties: { state: "accepted", owner: "platform-team@example.com", expires: "2026-06-30" } },
    ]);
    // The schema refuses a suppression kind SARIF does not define: the check can fail.
    (suppressed[0]!.suppressions![0] as { kind: string }).kind = "dismissed";
    expect(validate(log)).toBe(false);
  });

  it("refuses a bad file before scanning, with the file, line and field", async () => {
    const file = write("bad.yaml", accepted(hubAcr).replace("acr-scope-too-broad", "acr-scope-to-broad"));
    const result = await runScanCommand({ tenantFile: path.join(dir, "no-such-tenant.json"), azure: false, format: "json", exceptionsFile: file, now });
    expect(result).toEqual({ ok: false, message: `bad exceptions file\n${file}:2: exceptions[0].rule: unknown rule id "acr-scope-to-broad"` });
  });

  it("reads scopewise.exceptions.yaml from the working directory when no file is named", () => {
    const here = fs.mkdtempSync(path.join(dir, "repo-"));
    expect(exceptionsFileFor({}, here)).toBeUndefined();
    fs.writeFileSync(path.join(here, "scopewise.exceptions.yaml"), "exceptions: []\n");
    expect(exceptionsFileFor({}, here)).toBe("scopewise.exceptions.yaml");
    expect(exceptionsFileFor({ exceptionsFile: "ci/decisions.yaml" }, here)).toBe("ci/decisions.yaml");
  });

  it("parses the flags and refuses --fail-on-accepted without --fail-on", () => {
    expect(parseScanArgs(["--tenant", "t.json", "--exceptions", "x.yaml", "--fail-on", "high", "--fail-on-accepted"])).toMatchObject({
      exceptionsFile: "x.yaml",
      failOn: "high",
      failOnAccepted: true,
    });
    expect(() => parseScanArgs(["--tenant", "t.json", "--fail-on-accepted"])).toThrow(/--fail-on-accepted only applies with --fail-on/);
  });
});

describe("scan CLI process with an exceptions file", () => {
  it("exits 2 and prints the file, line and field of a past expiry", async () => {
    const file = write("past.yaml", accepted(hubAcr).replace("2026-06-30", "2020-01-31"));
    const run = promisify(execFile);
    const err = await run(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "lib/cli/scan.ts", "--tenant", demo, "--exceptions", file], { cwd: root }).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stdout).toBe("");
    expect(err?.stderr).toContain(`${file}:6: exceptions[0].expires: 2020-01-31 is in the past`);
  });
});
