import { loadInventory } from "@/app/_lib/inventory";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatDuration } from "@/components/ui/format";
import { RescanButton } from "./rescan-button";

/** Top-bar scan state; streamed behind Suspense so the shell paints before the scan finishes. */
export async function ScanStatus() {
  const loaded = await loadInventory();
  if (!loaded.ok) {
    return (
      <div className="topbar-status">
        <Badge tone="danger">Not scanned</Badge>
        <RescanButton />
      </div>
    );
  }
  const { inventory, durationMs, source, mode } = loaded.result;
  return (
    <div className="topbar-status">
      {mode === "demo" ? (
        <Badge tone="demo" title={source}>
          Demo tenant
        </Badge>
      ) : null}
      <span title={`Source: ${source}. Scan took ${formatDuration(durationMs)}.`}>
        Scanned <time dateTime={inventory.scannedAt}>{formatDateTime(inventory.scannedAt)}</time>
      </span>
      <RescanButton />
    </div>
  );
}
