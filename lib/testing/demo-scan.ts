import fs from "node:fs";
import path from "node:path";
import { buildInventory } from "@/lib/inventory/build";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { parseTenant } from "@/lib/tenant/schema";

let cached: { inventory: Inventory; findings: Finding[] } | undefined;

/** The demo tenant's inventory and findings through the pure path (no emulator), for tests of what is built on a scan. */
export function demoScan(): { inventory: Inventory; findings: Finding[] } {
  if (!cached) {
    const file = path.resolve(__dirname, "../../fixtures/tenants/demo.json");
    const inventory = buildInventory(rawFromTenant(parseTenant(JSON.parse(fs.readFileSync(file, "utf8")), "demo.json")));
    cached = { inventory, findings: evaluateRules(inventory) };
  }
  return cached;
}
