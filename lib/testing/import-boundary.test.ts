import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import boundaries (DESIGN.md, CONVENTIONS.md)", () => {
  it("forbids components from importing lib/azure or lib/kubernetes", async () => {
    const messages = await restrictedMessages(
      "components/inventory/x.tsx",
      'import { listResources } from "@/lib/azure/resources";\nimport { listClusterObjects } from "@/lib/kubernetes/objects";\nexport const x = [listResources, listClusterObjects];\n',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/components\/ must not import lib\/azure or lib\/kubernetes/);
  });

  it("forbids components from importing the Azure and Kubernetes SDKs", async () => {
    const messages = await restrictedMessages("components/ui/y.tsx", 'import { DefaultAzureCredential } from "@azure/identity";\nexport const y = DefaultAzureCredential;\n');
    expect(messages).toHaveLength(1);
  });

  it("allows components to use the pure model", async () => {
    const messages = await restrictedMessages("components/ui/z.tsx", 'import { parseScope } from "@/lib/model/scope";\nexport const z = parseScope;\n');
    expect(messages).toEqual([]);
  });

  it("keeps rules pure: readers and node I/O are refused, adapters allowed", async () => {
    const code =
      'import { listClusterObjects } from "@/lib/kubernetes/objects";\nimport fs from "node:fs";\nimport { adaptPod } from "@/lib/kubernetes/core.adapter";\nexport const r = [listClusterObjects, fs, adaptPod];\n';
    const messages = await restrictedMessages("lib/rules/some-rule/rule.ts", code);
    expect(messages).toHaveLength(2);
  });
});
