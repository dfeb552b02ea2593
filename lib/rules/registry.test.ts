import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG_RULE_IDS } from "./catalog-ids";
import { TERRAFORM_DRIFT } from "@/lib/iac/ownership";
import { findingKinds, inputFindingKinds } from "./input-kinds";
import { rules } from "./registry";

const RULES_DIR = __dirname;
const SPEC = path.resolve(RULES_DIR, "../../../shared/RULES.md");

/** Rule ids from the `## Rules` table of RULES.md: the first backticked cell of each row. */
function idsFromSpec(markdown: string): string[] {
  return [...markdown.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|/gm)].map((m) => m[1]!);
}

const ruleFolders = readdirSync(RULES_DIR).filter((d) => statSync(path.join(RULES_DIR, d)).isDirectory() && existsSync(path.join(RULES_DIR, d, "rule.ts")));

describe("rule registry integrity", () => {
  it("has unique ids", () => {
    const ids = rules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("registers exactly the rule folders, each id equal to its folder name", () => {
    expect([...rules.map((r) => r.meta.id)].sort()).toEqual([...ruleFolders].sort());
    for (const r of rules) {
      const source = readFileSync(path.join(RULES_DIR, r.meta.id, "rule.ts"), "utf8");
      expect(source, `${r.meta.id}/rule.ts declares its own id`).toContain(`id: "${r.meta.id}"`);
    }
  });

  it("covers every rule id of the catalog copy", () => {
    expect(CATALOG_RULE_IDS).toHaveLength(27);
    expect([...rules.map((r) => r.meta.id)].sort()).toEqual([...CATALOG_RULE_IDS].sort());
  });

  it.skipIf(!existsSync(SPEC))("matches the ids in shared/RULES.md (the catalog copy is current)", () => {
    const spec = idsFromSpec(readFileSync(SPEC, "utf8"));
    expect(spec.length).toBeGreaterThan(0);
    expect([...spec].sort()).toEqual([...CATALOG_RULE_IDS].sort());
  });

  it.each(rules.map((r) => [r.meta.id, r] as const))("%s has user-facing text and https references", (_id, r) => {
    for (const field of ["title", "description", "rationale", "remediation"] as const) expect(r.meta[field].trim().length, field).toBeGreaterThan(10);
    expect(["critical", "high", "medium", "low"]).toContain(r.meta.severity);
    expect(r.meta.references.length).toBeGreaterThan(0);
    for (const ref of r.meta.references) {
      expect(ref.title.trim()).not.toBe("");
      expect(new URL(ref.url).protocol).toBe("https:");
    }
  });

  it.each(rules.map((r) => [r.meta.id] as const))("%s has fail- and pass- scenario tests", (id) => {
    const file = path.join(RULES_DIR, id, "rule.test.ts");
    expect(existsSync(file), `${id}/rule.test.ts exists`).toBe(true);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/\bit(?:\.each\([^)]*\))?\(\s*["'`]fail-/);
    expect(text).toMatch(/\bit(?:\.each\([^)]*\))?\(\s*["'`]pass-/);
  });
});

describe("finding kinds from other inputs", () => {
  it("are not rules: no folder, not in the 27-rule catalog, ids unique among every kind", () => {
    const ids = findingKinds.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const k of inputFindingKinds) {
      expect(ruleFolders).not.toContain(k.id);
      expect(CATALOG_RULE_IDS as readonly string[]).not.toContain(k.id);
      expect(k.input.trim().length).toBeGreaterThan(10);
    }
  });

  it("name the ids their producers emit", () => {
    expect(inputFindingKinds.map((k) => k.id)).toEqual([TERRAFORM_DRIFT]);
  });

  it.each(inputFindingKinds.map((k) => [k.id, k] as const))("%s has user-facing text and https references", (_id, k) => {
    for (const field of ["title", "description", "rationale", "remediation"] as const) expect(k[field].trim().length, field).toBeGreaterThan(10);
    expect(k.references.length).toBeGreaterThan(0);
    for (const ref of k.references) expect(new URL(ref.url).protocol).toBe("https:");
  });
});
