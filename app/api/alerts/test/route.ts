import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { scanErrorResponse } from "@/app/_lib/scan-routes";
import { serverEnv } from "@/lib/env";
import { alertSettingsOf, sendTestAlert } from "@/lib/scan/alerts/notify";
import { testAlertLimiter } from "@/lib/scan/alerts/test-limit";
import { serverStore } from "@/lib/scan/store";
import { StorePart } from "@/lib/store/db";

const bodySchema = z.strictObject({});

/**
 * POST /api/alerts/test: sends a signed `test` alert to every configured webhook, once each,
 * and answers `{"deliveries": [{"target", "status": "delivered"|"failed", "httpStatus"?, "error"?}]}`.
 * Session and CSRF as every mutating route; 409 when no webhook is configured; 429 beyond
 * two tests a minute per person (each one posts to every team channel).
 */
export async function POST(request: Request): Promise<Response> {
  const req = await mutatingRequest(request, bodySchema);
  if (!req.ok) return req.response;
  const settings = alertSettingsOf(serverEnv());
  if (!settings) return json({ error: "no alert webhook is configured: set SCOPEWISE_ALERT_WEBHOOKS and SCOPEWISE_ALERT_SECRET" }, 409);
  const limit = testAlertLimiter().take(req.actor.id);
  if (!limit.ok) return json({ error: "a test alert was just sent; try again shortly" }, 429, { "retry-after": String(limit.retryAfterSeconds ?? 60) });
  try {
    return json({ deliveries: await sendTestAlert(await serverStore(StorePart.AlertDeliveries), settings, req.actor.displayName) }, 200);
  } catch (err) {
    return scanErrorResponse(err, "sending a test alert");
  }
}
