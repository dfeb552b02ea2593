import Link from "next/link";
import { partialCoverageNotice } from "@/lib/model/vocabulary";

/**
 * The banner above a page's data when some sources could not be read: missing is unknown, not
 * clean. Every data page renders it, so a partial scan never shows as plain data. (A stale view,
 * an older scan shown because rescans failed, is said above every page by the layout's scan notice.)
 */
export function DataNotices({ errors = 0, what = "some data may be missing" }: { errors?: number; what?: string }) {
  if (errors <= 0) return null;
  return (
    <p className="callout callout-warn" data-testid="partial-notice">
      {partialCoverageNotice(errors)}, so {what}. <Link href="/">See what failed</Link>.
    </p>
  );
}
