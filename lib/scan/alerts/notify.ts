import "server-only";
import type { ServerEnv } from "@/lib/env";
import { AlertEventKind, decisionsExpiredBetween, expiredRiskOf, type AlertEvent, type AlertFinding, type AlertTarget, type ExpiredRisk } from "@/lib/model/alerts";
import type { Decision } from "@/lib/model/decisions";
import { AlertedExpiries } from "@/lib/store/alerted-expiries";
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
async function deliverToAll(store: Store, settings: AlertSettings, event: AlertEvent, options: SendOptions): Promise<{ deliveryId: string; status: DeliveryStatus }[]> {
  const log = new AlertDeliveries(store);
  const scanId = event.kind === AlertEventKind.NewFindings ? event.scanId : undefined;
  return Promise.all(
    settings.targets.map(async (target) => {
      const deliveryId = await log.start({ eventKind: event.kind, target: target.label, format: target.format, summary: alertHeadline(event), scanId });
      const status = await deliverAlert(target, renderAlertBody(event, target.format, settings.links), { ...options, secret: settings.secret, log, deliveryId, eventKind: event.kind });
      return { deliveryId, status };
    }),
  );
}

export async function sendAlert(store: Store, settings: AlertSettings, event: AlertEvent, options: SendOptions = {}): Promise<DeliveryStatus[]> {
  return (await deliverToAll(store, settings, event, options)).map((d) => d.status);
}

/** A test delivery's outcome, as the person who asked for it sees it. */
export interface TestDelivery {
  target: string;
  status: DeliveryStatus;
  httpStatus?: number;
  error?: string;
}

/**
 * "Send a test alert": one signed `test` event to every target, logged like any delivery, tried
 * once (a person waits for the answer; a scan's alerts retry), with each target's outcome.
 */
export async function sendTestAlert(store: Store, settings: AlertSettings, requestedBy: string, options: SendOptions = {}): Promise<TestDelivery[]> {
  const event: AlertEvent = { kind: AlertEventKind.Test, at: (options.now?.() ?? new Date()).toISOString(), requestedBy };
  const sent = await deliverToAll(store, settings, event, { ...options, policy: { ...options.policy, maxAttempts: 1 } });
  const log = new AlertDeliveries(store);
  return Promise.all(
    sent.map(async ({ deliveryId, status }) => {
      const d = await log.get(deliveryId);
      return { target: d?.target ?? "?", status, ...(d?.httpStatus !== undefined ? { httpStatus: d.httpStatus } : {}), ...(d?.error ? { error: d.error } : {}) };
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
 * The expired risks among `expired` that nobody has alerted yet, claimed for this caller: the
 * scans, the expiry watcher and every replica alert each expiry once.
 */
async function claimExpired(store: Store, expired: readonly Decision[]): Promise<ExpiredRisk[]> {
  if (expired.length === 0) return [];
  const claimed = await new AlertedExpiries(store).claim(expired.map((d) => ({ subjectKey: d.subjectKey, expires: d.expires })));
  const mine = new Set(claimed.map((k) => `${k.subjectKey}\n${k.expires}`));
  return expired.filter((d) => mine.has(`${d.subjectKey}\n${d.expires}`)).map(expiredRiskOf);
}

/**
 * The accepted risks that expired since the scope's previous scan (in force when it ran, not at
 * this scan's time) and were not alerted yet (by the expiry watcher, or another scope's scan).
 * None for a scope's first scan.
 */
export async function expiredRisksEvent(store: Store, scan: { scanId: number; inventory: { scannedAt: string } }): Promise<AlertEvent | undefined> {
  const previous = await defaultBaseline(store, scan.scanId);
  if (!previous) return undefined;
  const risks = await claimExpired(store, decisionsExpiredBetween(await new TriageDecisions(store).list(), new Date(previous.scannedAt), new Date(scan.inventory.scannedAt)));
  return risks.length > 0 ? { kind: AlertEventKind.RiskExpired, at: scan.inventory.scannedAt, risks } : undefined;
}

/** How far back the expiry watcher looks: a server down for longer leaves older expiries to the next scan. */
export const EXPIRY_LOOKBACK_DAYS = 7;

/**
 * The expiry watcher's event at `now`: accepted risks that ran out in the last
 * EXPIRY_LOOKBACK_DAYS days and were not alerted yet — no scan needed.
 */
export async function expiryWatchEvent(store: Store, now: Date): Promise<AlertEvent | undefined> {
  const since = new Date(now.getTime() - EXPIRY_LOOKBACK_DAYS * 86_400_000);
  const risks = await claimExpired(store, decisionsExpiredBetween(await new TriageDecisions(store).list(), since, now));
  return risks.length > 0 ? { kind: AlertEventKind.RiskExpired, at: now.toISOString(), risks } : undefined;
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

/** How often the watcher looks: an expiry (the day after the date, UTC) is alerted within this. */
export const EXPIRY_WATCH_INTERVAL_MS = 15 * 60_000;

/**
 * Alerts accepted risks as they expire, without waiting for a scan: a check shortly after
 * start-up, then every EXPIRY_WATCH_INTERVAL_MS. Only when alerts are configured; never throws.
 * Returns a stop function.
 */
export function startExpiryWatch(env: ServerEnv, options: SendOptions = {}): (() => void) | undefined {
  const settings = alertSettingsOf(env);
  if (!settings) return undefined;
  const turn = async () => {
    try {
      const store = await serverStore(StorePart.AlertDeliveries);
      const event = await expiryWatchEvent(store, new Date());
      if (event) await sendAlert(store, settings, event, options);
    } catch (err) {
      console.error("alerts for expired accepted risks could not be sent", err);
    }
  };
  const first = setTimeout(() => void turn(), 10_000);
  const timer = setInterval(() => void turn(), EXPIRY_WATCH_INTERVAL_MS);
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
