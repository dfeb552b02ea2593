import "server-only";
import { serverEnv } from "@/lib/env";
import type { AlertFormat } from "@/lib/model/alerts";
import type { Severity } from "@/lib/model/findings";
import { AlertDeliveries, type AlertDelivery } from "@/lib/store/alert-deliveries";
import { StorePart } from "@/lib/store/db";
import { serverStore } from "../store";

/** What the alerts page shows: the configured targets by label (never their URLs) and the latest deliveries. */
export interface AlertsOverview {
  targets: { label: string; format: AlertFormat }[];
  minSeverity: Severity;
  signed: boolean;
  deliveries: AlertDelivery[];
}

export async function getAlertsOverview(limit = 100): Promise<AlertsOverview> {
  const env = serverEnv();
  const targets = (env.SCOPEWISE_ALERT_WEBHOOKS ?? []).map((t) => ({ label: t.label, format: t.format }));
  const deliveries = await new AlertDeliveries(await serverStore(StorePart.AlertDeliveries)).list(limit);
  return { targets, minSeverity: env.SCOPEWISE_ALERT_MIN_SEVERITY, signed: !!env.SCOPEWISE_ALERT_SECRET, deliveries };
}
