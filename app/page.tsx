import { Suspense } from "react";
import { loadInventory } from "@/app/_lib/inventory";
import { FindingsSummary } from "@/components/findings/findings-summary";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { buildOverview } from "@/components/inventory/overview";
import { PartialCoverage } from "@/components/inventory/partial-coverage";
import { formatCount, formatDateTime, formatDuration } from "@/components/ui/format";
import { SkeletonBlock } from "@/components/ui/skeleton";
import { TrendsSection } from "@/components/trends/trends-section";
import { ClusterTable } from "./_components/cluster-table";
import { KindCounts } from "./_components/kind-counts";
import { SubscriptionTable } from "./_components/subscription-table";

export default async function OverviewPage() {
  const loaded = await loadInventory();
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Overview</h1>
        </div>
        <InventoryUnavailable message={loaded.message} pending={loaded.pending} />
      </>
    );
  }
  const { inventory, durationMs, source } = loaded.result;
  const overview = buildOverview(inventory);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p>
            {formatCount(overview.totals.identities)} identities with {formatCount(overview.totals.roleAssignments)} role assignments across{" "}
            {formatCount(overview.totals.clusters)} clusters and {formatCount(overview.totals.subscriptions)} subscriptions.
          </p>
        </div>
        <dl className="meta-list" aria-label="Scan">
          <dt>Scanned</dt>
          <dd>
            <time dateTime={inventory.scannedAt}>{formatDateTime(inventory.scannedAt)}</time>
          </dd>
          <dt>Duration</dt>
          <dd>{formatDuration(durationMs)}</dd>
          <dt>Source</dt>
          <dd>{source}</dd>
        </dl>
      </div>
      {overview.errors.length > 0 ? (
        <PartialCoverage errors={overview.errors} />
      ) : (
        <p className="callout callout-info" role="status">
          Complete coverage: every source the scan needed was read.
        </p>
      )}
      <Suspense fallback={<SkeletonBlock height={88} />}>
        <FindingsSummary />
      </Suspense>
      <Suspense fallback={<SkeletonBlock height={280} />}>
        <TrendsSection />
      </Suspense>
      <section className="section" aria-labelledby="kinds-title">
        <h2 id="kinds-title" className="visually-hidden">
          Identities by kind
        </h2>
        <KindCounts kindCounts={overview.kindCounts} />
      </section>
      <ClusterTable clusters={overview.clusters} />
      <SubscriptionTable subscriptions={overview.subscriptions} />
    </>
  );
}
