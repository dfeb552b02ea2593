import { json } from "@/app/_lib/api";
import { readiness } from "@/lib/scan/health";

/**
 * Readiness: 200 when the store answers, with the age of the newest complete scan; 503 with the
 * reason otherwise. No session needed; nothing about the tenant is said.
 */
export async function GET(): Promise<Response> {
  const state = await readiness();
  return state.ready
    ? json({ status: "ready", store: state.store, lastCompletedScanAgeSeconds: state.lastCompletedScanAgeSeconds }, 200)
    : json({ status: "unavailable", reason: state.reason }, 503);
}
