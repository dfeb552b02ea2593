import path from "node:path";
import { buildInventory } from "@/lib/inventory/build";
import type { Inventory } from "@/lib/model/types";
import { loadTenantFile } from "@/lib/tenant/schema";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";

/** The tenant the demo server serves: the same default as playwright.config.ts / scripts/demo.ts. */
export const tenantPath = path.resolve(process.env.E2E_TENANT ?? path.join(__dirname, "..", "..", "fixtures", "tenants", "demo.json"));

let cached: Promise<Inventory> | undefined;

/**
 * What the dashboard should show, computed from the tenant file through the scanner's own
 * pure path (tenant → wire collection → buildInventory). The server reaches the same wire
 * objects over HTTPS through the emulator, so the numbers must agree.
 */
export function expectedInventory(): Promise<Inventory> {
  cached ??= loadTenantFile(tenantPath).then((tenant) => buildInventory(rawFromTenant(tenant)));
  return cached;
}

export const screenshotPath = (name: string) => path.join(__dirname, "..", "..", "artifacts", "screenshots", `${name}.png`);
