/**
 * `npm run docs`: regenerates the documentation Scopewise derives from its code, today
 * docs/rules.md from the rules' metadata. `npm run docs -- --check` exits 1 when the
 * committed file is out of date instead of writing it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CATALOG_RULE_IDS } from "@/lib/rules/catalog-ids";
import { rules } from "@/lib/rules/registry";
import { MANY_NAMESPACES } from "@/lib/rules/severity";
import { renderRulesDoc } from "./docs/rules-doc";

export const RULES_DOC = path.join(import.meta.dirname, "..", "docs", "rules.md");

export function buildRulesDoc(): string {
  return renderRulesDoc({ rules: rules.map((r) => r.meta), order: CATALOG_RULE_IDS, manyNamespaces: MANY_NAMESPACES });
}

function main(): number {
  const text = buildRulesDoc();
  if (process.argv.includes("--check")) {
    const current = readFileSync(RULES_DOC, "utf8");
    if (current === text) return 0;
    process.stderr.write("docs: docs/rules.md is out of date; run `npm run docs`\n");
    return 1;
  }
  writeFileSync(RULES_DOC, text);
  process.stdout.write(`docs: wrote ${path.relative(process.cwd(), RULES_DOC)}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) process.exitCode = main();
