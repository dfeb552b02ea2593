import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { scanErrorResponse, scanIdSchema } from "@/app/_lib/scan-routes";
import { CHOSEN_SCAN_COOKIE } from "@/lib/scan/load";
import { getScanView } from "@/lib/scan/view";

const bodySchema = z.object({ scanId: scanIdSchema.nullable() }).strict();

function cookie(value: string, maxAge: number, secure: boolean): string {
  return `${CHOSEN_SCAN_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

/**
 * Which scan the caller's pages show: `{"scanId": N}` opens one of their scans with findings (a
 * partial rescan, an older scan) explicitly; `{"scanId": null}` goes back to the last complete one.
 */
export async function POST(request: Request): Promise<Response> {
  const req = await mutatingRequest(request, bodySchema);
  if (!req.ok) return req.response;
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const { scanId } = req.body;
  if (scanId === null) return json({ scanId: null }, 200, { "set-cookie": cookie("", 0, secure) });
  try {
    const view = await getScanView(req.actor.viewer, { scanId });
    if (view.status !== "ready") return json({ error: view.status === "unavailable" ? view.message : "the first scan is still running" }, 404);
    return json({ scanId }, 200, { "set-cookie": cookie(String(scanId), 8 * 3600, secure) });
  } catch (err) {
    return scanErrorResponse(err, "opening the scan");
  }
}
