import { startScanRoute } from "@/app/_lib/scan-routes";

/** The older name of POST /api/scans: starts a scan (or joins the running one) and answers at once with `{"jobId"}`. */
export const POST = startScanRoute;
