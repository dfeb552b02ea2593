import { loadInventory } from "@/app/_lib/inventory";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatDuration } from "@/components/ui/format";
import { ScanControls } from "./scan-controls";

/** Top-bar scan state: the scan shown, whether it is stale, and the live scan controls. Streamed behind Suspense. */
export async function ScanStatus() {
  const loaded = await loadInventory();
  if (!loaded.ok) {
    return (
      <div className="topbar-status">
        {loaded.pending ? <Badge tone="accent">First scan running</Badge> : <Badge tone="danger">Not scanned</Badge>}
        <ScanControls running={loaded.pending} />
      </div>
    );
  }
  const { inventory, durationMs, source, mode, stale, chosen, scan, running } = loaded.result;
  return (
    <div className="topbar-status">
      {mode === "demo" ? (
        <Badge tone="demo" title={source}>
          Demo tenant
        </Badge>
      ) : null}
      {stale ? <Badge tone="warn" title={`Rescans since ${formatDateTime(stale.since)} did not complete`}>Stale</Badge> : null}
      {chosen || scan.state !== "succeeded" ? <Badge tone="warn">{chosen ? `Scan #${scan.id}` : "Partial"}</Badge> : null}
      <span title={`Source: ${source}. Scan took ${formatDuration(durationMs)}.`}>
        Scanned <time dateTime={inventory.scannedAt}>{formatDateTime(inventory.scannedAt)}</time>
      </span>
      <ScanControls running={running} />
    </div>
  );
}
