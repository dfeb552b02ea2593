import fs from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { analyze, circlesOf } from "@/scripts/architecture/check";
import { layers, layerViolation } from "@/scripts/architecture/layers.mjs";
import { ARCHITECTURE_DOC, withLayersTable } from "@/scripts/architecture/docs";

const eslint = new ESLint({ cwd: process.cwd() });

async function layerMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "scopewise/layers").map((m) => m.message);
}

describe("import boundaries, generated from the layers table (docs/architecture.md)", () => {
  it("forbids components from importing lib/azure or lib/kubernetes", async () => {
    const messages = await layerMessages(
      "components/inventory/x.tsx",
      'import { listResources } from "@/lib/azure/resources";\nimport { listClusterObjects } from "@/lib/kubernetes/objects";\nexport const x = [listResources, listClusterObjects];\n',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^components may not import azure/);
    expect(messages[1]).toMatch(/^components may not import kubernetes/);
  });

  it("forbids components from importing the Azure and Kubernetes SDKs", async () => {
    const messages = await layerMessages("components/ui/y.tsx", 'import { DefaultAzureCredential } from "@azure/identity";\nexport const y = DefaultAzureCredential;\n');
    expect(messages).toEqual([expect.stringMatching(/components reaches Azure and Kubernetes only through lib\/azure and lib\/kubernetes, not the SDK \(@azure\/identity\)/)]);
  });

  it("allows components to use the pure model", async () => {
    const messages = await layerMessages("components/ui/z.tsx", 'import { parseScope } from "@/lib/model/scope";\nexport const z = parseScope;\n');
    expect(messages).toEqual([]);
  });

  it("keeps rules pure: readers and node I/O are refused, adapters allowed through the inventory", async () => {
    const code =
      'import { listClusterObjects } from "@/lib/kubernetes/objects";\nimport fs from "node:fs";\nimport { indexInventory } from "@/lib/inventory/indexes";\nexport const r = [listClusterObjects, fs, indexInventory];\n';
    const messages = await layerMessages("lib/rules/some-rule/rule.ts", code);
    expect(messages).toHaveLength(2);
    expect(messages.join("\n")).toMatch(/rules may not import kubernetes/);
    expect(messages.join("\n")).toMatch(/rules is pure: no I\/O modules or SDKs \(node:fs\)/);
  });

  it("refuses an import that runs back up, with the @/ alias and with a relative path alike", async () => {
    expect(await layerMessages("lib/inventory/x.ts", 'import { evaluateRules } from "@/lib/rules/evaluate";\nexport const x = evaluateRules;\n')).toEqual([
      expect.stringMatching(/^inventory may not import rules \(lib\/rules\/evaluate\.ts\)/),
    ]);
    expect(await layerMessages("lib/inventory/x.ts", 'import { getStore } from "../store/db";\nexport const x = getStore;\n')).toEqual([
      expect.stringMatching(/^inventory may not import store \(lib\/store\/db\.ts\)/),
    ]);
    expect(await layerMessages("lib/model/x.ts", 'import type { Finding } from "../rules/define";\nexport type X = Finding;\n')).toHaveLength(1);
    expect(await layerMessages("lib/rules/x.ts", 'import { scanTenant } from "@/lib/inventory/scan";\nexport const x = scanTenant;\n')).toEqual([
      expect.stringMatching(/rules may not import lib\/inventory\/scan/),
    ]);
  });

  it("lets test code assemble any layers", async () => {
    expect(await layerMessages("lib/model/x.test.ts", 'import { evaluateRules } from "@/lib/rules/evaluate";\nexport const x = evaluateRules;\n')).toEqual([]);
  });
});

describe("the layers table", () => {
  it("names each layer once, and every layer it lets in exists and sits below it", () => {
    const order = new Map(layers.map((l, i) => [l.name, i]));
    expect(order.size).toBe(layers.length);
    for (const [i, layer] of layers.entries()) {
      for (const name of layer.may) {
        expect(order.has(name), `${layer.name} may import unknown layer ${name}`).toBe(true);
        expect(order.get(name)!, `${layer.name} may import ${name}, which is not below it`).toBeLessThan(i);
      }
    }
  });

  it("places the building blocks where docs/architecture.md says", () => {
    expect(layerViolation("lib/scan/load.ts", "lib/auth/viewer.ts")).toBeUndefined();
    expect(layerViolation("lib/auth/viewer.ts", "lib/scan/load.ts")).toMatch(/auth may not import scan/);
    expect(layerViolation("lib/azure/clients.ts", "lib/kubernetes/objects.ts")).toMatch(/azure may not import kubernetes/);
  });
});

describe("the import graph of the repository", () => {
  it("finds circles, including long ones", () => {
    const edges = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["d"])],
      ["e", new Set(["a"])],
    ]);
    expect(circlesOf(["a", "b", "c", "d", "e"], edges)).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("has no import circle and no import against the layers", () => {
    const report = analyze(process.cwd());
    expect(report.circles).toEqual([]);
    expect(report.violations).toEqual([]);
  });
});

describe("docs/architecture.md", () => {
  it("shows the layers table as it is (regenerate with npm run docs)", () => {
    const doc = fs.readFileSync(ARCHITECTURE_DOC, "utf8");
    expect(doc).toBe(withLayersTable(doc));
  });
});
