/**
 * `npm run docs`: regenerates the documentation Scopewise derives from its code —
 * docs/rules.md from the rules' metadata, and the layers table of docs/architecture.md from
 * scripts/architecture/layers.mjs. `npm run docs -- --check` exits 1 when a committed file
 * is out of date instead of writing it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CATALOG_RULE_IDS } from "@/lib/rules/catalog-ids";
import { inputFindingKinds } from "@/lib/rules/input-kinds";
import { rules } from "@/lib/rules/registry";
import { MANY_NAMESPACES } from "@/lib/rules/severity";
import { ARCHITECTURE_DOC, withLayersTable } from "./architecture/docs";
import { renderRulesDoc } from "./docs/rules-doc";

const root = path.join(import.meta.dirname, "..");
export const RULES_DOC = path.join(root, "docs", "rules.md");

export function buildRulesDoc(): string {
  return renderRulesDoc({ rules: rules.map((r) => r.meta), order: CATALOG_RULE_IDS, manyNamespaces: MANY_NAMESPACES, inputKinds: inputFindingKinds });
}

/** Each generated document: where it lives and what it should say now. */
function generated(): { file: string; text: string }[] {
  const architecture = path.join(root, ARCHITECTURE_DOC);
  return [
    { file: RULES_DOC, text: buildRulesDoc() },
    { file: architecture, text: withLayersTable(readFileSync(architecture, "utf8")) },
  ];
}

function main(): number {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const { file, text } of generated()) {
    const name = path.relative(process.cwd(), file);
    if (readFileSync(file, "utf8") === text) continue;
    if (check) {
      process.stderr.write(`docs: ${name} is out of date; run \`npm run docs\`\n`);
      stale++;
    } else {
      writeFileSync(file, text);
      process.stdout.write(`docs: wrote ${name}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) process.exitCode = main();
