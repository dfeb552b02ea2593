import "server-only";
import { cache } from "react";
import { getCurrentScan, type CurrentScan } from "@/lib/scan/current-scan";
import { InventoryUnavailableError } from "@/lib/scan/load";

export type LoadedScan = { ok: true; scan: CurrentScan } | { ok: false; message: string };

/**
 * The current scan with its findings for this request, deduplicated across the layout and the
 * page. An unreachable scan source is an expected state with a message for people, so it is
 * returned rather than thrown (a thrown server error loses its message in production).
 */
export const loadCurrentScan = cache(async (): Promise<LoadedScan> => {
  try {
    return { ok: true, scan: await getCurrentScan() };
  } catch (err) {
    if (err instanceof InventoryUnavailableError) return { ok: false, message: err.message };
    throw err;
  }
});
