import { loadInventory } from "@/app/_lib/inventory";
import { ScanNotice } from "@/components/scans/scan-notice";

/** The layout's slot for the stale-view notice, above every page; nothing when the newest complete scan is shown. */
export async function ScanNoticeSlot() {
  const loaded = await loadInventory();
  return loaded.ok ? <ScanNotice result={loaded.result} /> : null;
}
