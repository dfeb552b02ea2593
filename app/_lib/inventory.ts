import "server-only";
import { cache } from "react";
import { loadForPage, type PageLoad } from "@/components/inventory/page-load";
import { getInventory, type InventoryResult } from "@/lib/scan/load";

export type LoadedInventory = { ok: true; result: InventoryResult } | Extract<PageLoad<InventoryResult>, { ok: false }>;

/**
 * The inventory for this request, deduplicated across the layout and the page; sign-in, a
 * first scan still running and an unreachable scan source are handled as on every page
 * (loadForPage).
 */
export const loadInventory = cache(async (): Promise<LoadedInventory> => {
  const loaded = await loadForPage(() => getInventory());
  return loaded.ok ? { ok: true, result: loaded.value } : loaded;
});
