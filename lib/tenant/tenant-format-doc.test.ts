import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildScanOutput } from "@/lib/cli/output";
import { buildInventory } from "@/lib/inventory/build";
import { IdentityKind } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { rawFromTenant } from "./raw-from-tenant";
import { parseTenant } from "./schema";
import type { TenantFile } from "./types";

const root = path.resolve(__dirname, "../..");
const doc = readFileSync(path.join(root, "docs/tenant-format.md"), "utf8");
const documented = (key: string) => doc.includes(`\`${key}\``) || doc.includes(`"${key}"`);

describe("docs/tenant-format.md", () => {
  it("shows a tenant file the validator accepts and the scanner reads", () => {
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example, "the first ```json block").toBeDefined();
    const tenant = parseTenant(JSON.parse(example!), "docs/tenant-format.md");
    const inventory = buildInventory(rawFromTenant(tenant));
    expect(inventory.errors).toEqual([]);
    expect(inventory.identities.find((i) => i.displayName === "id-shop-api")?.kind).toBe(IdentityKind.App);
  });

  it("names every field the scan output carries, on the demo tenant", () => {
    const demo = JSON.parse(readFileSync(path.join(root, "fixtures/tenants/demo.json"), "utf8")) as TenantFile;
    const inventory = buildInventory(rawFromTenant(demo));
    const output = buildScanOutput(inventory, evaluateRules(inventory));
    const keys = new Set<string>([...Object.keys(output), ...Object.keys(output.inventory)]);
    for (const i of output.identities) Object.keys(i).forEach((k) => keys.add(k));
    for (const f of output.findings) {
      Object.keys(f).forEach((k) => keys.add(k));
      for (const e of f.evidence) Object.keys(e).forEach((k) => keys.add(k));
      for (const p of f.fixes) {
        Object.keys(p).forEach((k) => keys.add(k));
        p.steps.forEach((s) => keys.add(s.kind));
      }
    }
    for (const kind of Object.values(IdentityKind)) keys.add(kind);
    expect([...keys].filter((k) => !documented(k))).toEqual([]);
  });
});
