import "server-only";
import { cache } from "react";
import { loadForPage, type PageLoad } from "@/components/inventory/page-load";
import { getCurrentScan, type CurrentScan } from "@/lib/scan/current-scan";

export type LoadedScan = { ok: true; scan: CurrentScan } | Extract<PageLoad<CurrentScan>, { ok: false }>;

/**
 * The current scan with its findings for this request, deduplicated across the layout and the
 * page; sign-in, a first scan still running and an unreachable scan source are handled as on
 * every page (loadForPage).
 */
export const loadCurrentScan = cache(async (): Promise<LoadedScan> => {
  const loaded = await loadForPage(() => getCurrentScan());
  return loaded.ok ? { ok: true, scan: loaded.value } : loaded;
});
