import { PendingScan } from "@/components/scans/pending-scan";
import type { JobView } from "@/lib/scan/job-view";

/**
 * No scan can be shown: the first one is still running (its live progress is shown), or the
 * scan source could not be reached or is not configured (nothing is known, so nothing is shown as empty).
 */
export function InventoryUnavailable({ message, pending }: { message: string; pending?: JobView }) {
  if (pending) return <PendingScan job={pending} />;
  return (
    <section className="callout callout-danger" role="alert" aria-labelledby="unavailable-title">
      <h2 id="unavailable-title">The tenant could not be scanned</h2>
      <p style={{ whiteSpace: "pre-wrap" }}>{message}</p>
      <p className="muted">No data is shown because none could be read. Fix the cause above and use Rescan, or reload the page.</p>
    </section>
  );
}
