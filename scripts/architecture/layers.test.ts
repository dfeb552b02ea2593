import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Linter, type Rule } from "eslint";
import { afterAll, describe, expect, it } from "vitest";
import { analyze } from "./check";
import { impurity } from "./layers.mjs";

describe("noSdk: lib/remediation reaches Azure and Kubernetes through the adapters only", () => {
  it("refuses Azure and Kubernetes SDK packages in remediation, type imports included, and allows them in the adapters", () => {
    expect(impurity("lib/remediation/apply/ops/role-assignment.ts", "@azure/arm-authorization")).toMatch(/remediation reaches Azure and Kubernetes only through lib\/azure and lib\/kubernetes/);
    expect(impurity("lib/remediation/apply/types.ts", "@kubernetes/client-node")).toMatch(/not the SDK \(@kubernetes\/client-node\)/);
    expect(impurity("lib/remediation/render/yaml.ts", "yaml")).toBeUndefined();
    expect(impurity("lib/remediation/apply/resolve.ts", "node:crypto")).toBeUndefined();
    expect(impurity("lib/azure/role-assignments.ts", "@azure/arm-authorization")).toBeUndefined();
    expect(impurity("lib/kubernetes/object-writes.ts", "@kubernetes/client-node")).toBeUndefined();
    expect(impurity("lib/remediation/apply/apply.demo.test.ts", "@azure/arm-authorization")).toBeUndefined();
  });

  describe("in the import-graph check (npm run arch)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-arch-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reports a type-only SDK import under lib/remediation as a violation", () => {
      fs.mkdirSync(path.join(dir, "lib/remediation"), { recursive: true });
      fs.writeFileSync(path.join(dir, "lib/remediation/writer.ts"), 'import type { KubeConfig } from "@kubernetes/client-node";\nexport type K = KubeConfig;\n');
      fs.writeFileSync(path.join(dir, "lib/remediation/fine.ts"), 'import { stringify } from "yaml";\nexport const s = stringify;\n');
      execFileSync("git", ["init", "-q"], { cwd: dir });
      const report = analyze(dir);
      expect(report.violations).toEqual([{ from: "lib/remediation/writer.ts", to: "@kubernetes/client-node", problem: expect.stringContaining("not the SDK") }]);
    });
  });

  it("in the ESLint rule generated from the layers table", async () => {
    const eslintLayers = "./eslint-layers.mjs";
    const { layersPlugin } = (await import(eslintLayers)) as { layersPlugin: { rules: Record<string, Rule.RuleModule> } };
    const linter = new Linter({ configType: "flat" });
    const root = path.resolve(__dirname, "../..");
    const config = [{ files: ["**/*.ts"], plugins: { scopewise: layersPlugin }, rules: { "scopewise/layers": "error" as const } }];
    const lint = (file: string, code: string) => linter.verify(code, config, { filename: path.join(root, file) }).map((m) => m.message);
    expect(lint("lib/remediation/apply/ops/x.ts", 'import { AuthorizationManagementClient } from "@azure/arm-authorization";\n')).toEqual([expect.stringContaining("only through lib/azure and lib/kubernetes")]);
    expect(lint("lib/azure/x.ts", 'import { AuthorizationManagementClient } from "@azure/arm-authorization";\n')).toEqual([]);
  });
});
