import Link from "next/link";
import { partialCoverageNotice } from "@/lib/model/vocabulary";
import type { StaleScan } from "@/lib/scan/load";
import { formatDateTime } from "./format";

/**
 * The banners above a page's data: stale (a rescan failed, so this is an older scan's data) and
 * partial (some sources could not be read, so missing is unknown, not clean). Every data page
 * renders it, so a state never shows as plain data.
 */
export function DataNotices({ errors = 0, stale, scannedAt, what = "some data may be missing" }: { errors?: number; stale?: StaleScan; scannedAt?: string; what?: string }) {
  return (
    <>
      {stale ? (
        <section className="callout callout-warn" role="status" aria-labelledby="stale-title" data-testid="stale-notice">
          <h2 id="stale-title">Showing an older scan</h2>
          <p>
            The rescan at <time dateTime={stale.failedAt}>{formatDateTime(stale.failedAt)}</time> failed ({stale.message}), so this is the data of the scan
            {scannedAt ? (
              <>
                {" "}
                of <time dateTime={scannedAt}>{formatDateTime(scannedAt)}</time>
              </>
            ) : null}
            . Use Rescan to try again.
          </p>
        </section>
      ) : null}
      {errors > 0 ? (
        <p className="callout callout-warn" data-testid="partial-notice">
          {partialCoverageNotice(errors)}, so {what}. <Link href="/">See what failed</Link>.
        </p>
      ) : null}
    </>
  );
}
