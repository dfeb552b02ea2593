import "server-only";
import type { ServerEnv } from "@/lib/env";
import { AlertEventKind, risksExpiredBetween, type AlertEvent, type AlertFinding, type AlertTarget, type ExpiredRisk } from "@/lib/model/alerts";
import { severityRank, type Finding, type Severity } from "@/lib/model/findings";
import { AlertDeliveries, type DeliveryStatus } from "@/lib/store/alert-deliveries";
import { StorePart, type Store } from "@/lib/store/db";
import { TriageDecisions } from "@/lib/store/decisions";
import { compareWithPrevious, defaultBaseline } from "@/lib/store/scan-comparison";
import { serverStore } from "../store";
import { deliverAlert, type DeliverOptions } from "./deliver";
import { alertHeadline, renderAlertBody, type AlertLinks } from "./payload";

/** What sending alerts needs from the configuration. */
export interface AlertSettings {
  targets: readonly AlertTarget[];
  secret: string;
  minSeverity: Severity;
  links: AlertLinks;
}

/** The alert settings of a configuration; undefined when no webhook is configured. */
export function alertSettingsOf(env: ServerEnv): AlertSettings | undefined {
  const targets = env.SCOPEWISE_ALERT_WEBHOOKS ?? [];
  if (targets.length === 0 || !env.SCOPEWISE_ALERT_SECRET) return undefined;
  const links = env.SCOPEWISE_PUBLIC_URL ? { dashboardUrl: new URL(env.SCOPEWISE_PUBLIC_URL).origin } : {};
  return { targets, secret: env.SCOPEWISE_ALERT_SECRET, minSeverity: env.SCOPEWISE_ALERT_MIN_SEVERITY, links };
}

type SendOptions = Pick<DeliverOptions, "fetch" | "sleep" | "policy" | "now">;

/** Sends one event to every target, each delivery logged; the targets are tried side by side. */
export async function sendAlert(store: Store, settings: AlertSettings, event: AlertEvent, options: SendOptions = {}): Promise<DeliveryStatus[]> {
  const log = new AlertDeliveries(store);
  const scanId = event.kind === AlertEventKind.NewFindings ? event.scanId : undefined;
  return Promise.all(
    settings.targets.map(async (target) => {
      const deliveryId = await log.start({ eventKind: event.kind, target: target.label, format: target.format, summary: alertHeadline(event), scanId });
      return deliverAlert(target, renderAlertBody(event, target.format, settings.links), { ...options, secret: settings.secret, log, deliveryId, eventKind: event.kind });
    }),
  );
}

const toAlertFinding = (f: Finding): AlertFinding => ({
  id: f.id,
  ruleId: f.ruleId,
  title: f.title,
  severity: f.severity,
  message: f.message,
  ...(f.identityName ? { identityName: f.identityName } : {}),
  ...(f.scope ? { scope: f.scope } : {}),
  ...(f.clusterId ? { clusterId: f.clusterId } : {}),
});

/**
 * The alert a recorded scan raises: its findings that are new against the scope's previous
 * scan (coverage-aware, so a finding whose source failed in either scan is unknown, not new)
 * at or above the configured severity. None for a scope's first scan, which has nothing to
 * be new against.
 */
export async function newFindingsEvent(store: Store, scan: { scanId: number; findings: readonly Finding[]; inventory: { scannedAt: string }; source: string }, minSeverity: Severity): Promise<AlertEvent | undefined> {
  const comparison = await compareWithPrevious(store, scan.scanId);
  if (!comparison.previous) return undefined;
  const fresh = new Set(comparison.new);
  const findings = scan.findings.filter((f) => fresh.has(f.id) && severityRank(f.severity) >= severityRank(minSeverity)).map(toAlertFinding);
  if (findings.length === 0) return undefined;
  return { kind: AlertEventKind.NewFindings, scanId: scan.scanId, scannedAt: scan.inventory.scannedAt, source: scan.source, minSeverity, findings };
}

/**
 * The accepted risks that expired since the scope's previous scan (in force when it ran, not at
 * this scan's time): each expiry is alerted once per scope, by the first scan after it. None
 * for a scope's first scan.
 */
export async function expiredRisksEvent(store: Store, scan: { scanId: number; inventory: { scannedAt: string } }): Promise<AlertEvent | undefined> {
  const previous = await defaultBaseline(store, scan.scanId);
  if (!previous) return undefined;
  const risks = risksExpiredBetween(await new TriageDecisions(store).list(), new Date(previous.scannedAt), new Date(scan.inventory.scannedAt));
  return risks.length > 0 ? { kind: AlertEventKind.RiskExpired, at: scan.inventory.scannedAt, risks } : undefined;
}

/** After a scan is recorded: alerts its new findings and the accepted risks that expired since the previous scan, if any and if alerts are configured. Never throws (it runs after the scan). */
export async function alertOnScan(env: ServerEnv, scan: Parameters<typeof newFindingsEvent>[1], options: SendOptions = {}): Promise<void> {
  const settings = alertSettingsOf(env);
  if (!settings) return;
  try {
    const store = await serverStore(StorePart.AlertDeliveries);
    const event = await newFindingsEvent(store, scan, settings.minSeverity);
    if (event) await sendAlert(store, settings, event, options);
    const expired = await expiredRisksEvent(store, scan);
    if (expired) await sendAlert(store, settings, expired, options);
  } catch (err) {
    console.error(`alerts for scan ${scan.scanId} could not be sent`, err);
  }
}

/** Alerts accepted risks whose expiry has passed, at once (alertOnScan sends those a scan finds expired). Never throws. */
export async function alertOnExpiredRisks(env: ServerEnv, risks: readonly ExpiredRisk[], options: SendOptions = {}): Promise<void> {
  const settings = alertSettingsOf(env);
  if (!settings || risks.length === 0) return;
  try {
    await sendAlert(await serverStore(StorePart.AlertDeliveries), settings, { kind: AlertEventKind.RiskExpired, at: new Date().toISOString(), risks: [...risks] }, options);
  } catch (err) {
    console.error("alerts for expired accepted risks could not be sent", err);
  }
}
