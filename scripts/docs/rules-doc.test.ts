import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildRulesDoc, RULES_DOC } from "../docs";
import { renderRulesDoc } from "./rules-doc";

const meta = (id: string, extra: Partial<Parameters<typeof renderRulesDoc>[0]["rules"][number]> = {}) => ({
  id,
  title: `Title of ${id}`,
  severity: "medium" as const,
  description: "Checks something.",
  rationale: "Because.",
  remediation: "Fix it.",
  references: [{ title: "Docs", url: "https://learn.microsoft.com/x" }],
  ...extra,
});

describe("docs/rules.md", () => {
  it("is what `npm run docs` renders from the rules' metadata (run it after changing a rule)", () => {
    expect(readFileSync(RULES_DOC, "utf8")).toBe(buildRulesDoc());
  });

  it("lists every rule in the summary table and in a section of its own, in catalog order", () => {
    const doc = renderRulesDoc({ rules: [meta("b-rule"), meta("a-rule"), meta("c-rule")], order: ["c-rule", "a-rule"], manyNamespaces: 3 });
    const sections = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(["c-rule", "a-rule", "b-rule"]);
    const rows = [...doc.matchAll(/^\| \[`([^`]+)`\]\(#\1\) \| Title of \1 \| medium \|$/gm)].map((m) => m[1]);
    expect(rows).toEqual(["c-rule", "a-rule", "b-rule"]);
  });

  it("keeps metadata text literal: pipes in table cells, * and < outside code spans", () => {
    const doc = renderRulesDoc({ rules: [meta("x", { title: "A | B", description: "Grants Microsoft.Storage/* or <all>, not `Provider/*`." })], order: [], manyNamespaces: 3 });
    expect(doc).toContain("| A \\| B |");
    expect(doc).toContain("Grants Microsoft.Storage/\\* or &lt;all>, not `Provider/*`.");
  });
});
