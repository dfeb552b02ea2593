import type { Decision } from "./decisions";
import type { Severity } from "./findings";
import { triageInForce } from "./triage";

/**
 * Alerts: webhook targets and the events sent to them. A target is written in configuration
 * as `<format>:<url>` (or a bare URL, for generic JSON); Slack and Teams incoming-webhook URLs
 * carry their secret in the path, so people and logs only ever see a target's label (its
 * format and origin), never the URL.
 */

export const AlertFormat = { Json: "json", Slack: "slack", Teams: "teams" } as const;
export type AlertFormat = (typeof AlertFormat)[keyof typeof AlertFormat];
const FORMATS = Object.values(AlertFormat) as readonly string[];

export interface AlertTarget {
  /** 1-based position in the configured list: stable while the configuration is. */
  index: number;
  format: AlertFormat;
  url: string;
  /** "slack https://hooks.slack.com (2)": format, origin and position; no path, no query. */
  label: string;
}

export const AlertEventKind = { NewFindings: "new-findings", RiskExpired: "risk-expired", Test: "test" } as const;
export type AlertEventKind = (typeof AlertEventKind)[keyof typeof AlertEventKind];

/** What an alert says about one finding (every text field comes from the tenant: untrusted). */
export interface AlertFinding {
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  message: string;
  identityName?: string;
  scope?: string;
  clusterId?: string;
}

/** One accepted risk whose expiry has passed: the finding is open again. */
export interface ExpiredRisk {
  /** The finding id, or the rule the decision covered, or the identity (principal id). */
  findingId?: string;
  ruleId?: string;
  principalId?: string;
  scope?: string;
  reason: string;
  owner: string;
  /** ISO date. */
  expires: string;
}

export type AlertEvent =
  | {
      kind: typeof AlertEventKind.NewFindings;
      scanId: number;
      scannedAt: string;
      /** Where the scan read: "the demo emulator at …", "Azure as alice@…". */
      source: string;
      minSeverity: Severity;
      /** Every new finding at or above minSeverity (payloads list the first few). */
      findings: AlertFinding[];
    }
  | { kind: typeof AlertEventKind.RiskExpired; at: string; risks: ExpiredRisk[] }
  /** A person's "Send a test alert": proves a target receives and verifies deliveries. */
  | { kind: typeof AlertEventKind.Test; at: string; requestedBy: string };

const isLoopback = (hostname: string) => hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";

/**
 * Reads `SCOPEWISE_ALERT_WEBHOOKS`: targets separated by commas or white space, each
 * `json:`, `slack:` or `teams:` then the URL (no prefix: json). Only https:// URLs, except
 * http:// to this machine (localhost, 127.0.0.1, [::1]): an alert names identities and scopes,
 * and its signature must not be readable on the way. Every bad entry is named in `errors`.
 */
export function parseAlertTargets(text: string): { targets: AlertTarget[]; errors: string[] } {
  const targets: AlertTarget[] = [];
  const errors: string[] = [];
  const entries = text.split(/[\s,]+/).filter(Boolean);
  for (const [i, entry] of entries.entries()) {
    const index = i + 1;
    const prefix = /^([a-z]+):(?!\/\/)(.*)$/i.exec(entry);
    const format = prefix ? prefix[1]!.toLowerCase() : AlertFormat.Json;
    const raw = prefix ? prefix[2]! : entry;
    const where = `entry ${index}`;
    if (!FORMATS.includes(format)) {
      errors.push(`${where}: "${format}" is not a format (use ${FORMATS.join(", ")}, as format:https://…)`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      errors.push(`${where}: not a URL`);
      continue;
    }
    const origin = `${url.protocol}//${url.host}`;
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
      errors.push(`${where} (${origin}): must be an https:// URL (http:// only for localhost, 127.0.0.1 or [::1])`);
      continue;
    }
    if (url.username || url.password) {
      errors.push(`${where} (${origin}): must not carry a user name or password (the body is signed instead)`);
      continue;
    }
    targets.push({ index, format: format as AlertFormat, url: url.toString(), label: `${format} ${origin} (${index})` });
  }
  return { targets, errors };
}

/** parseAlertTargets as a zod transform: each bad entry becomes an issue of the variable. */
export function alertTargetsOf(text: string, ctx: { addIssue(issue: { code: "custom"; message: string }): void }): AlertTarget[] {
  const { targets, errors } = parseAlertTargets(text);
  for (const message of errors) ctx.addIssue({ code: "custom", message });
  return targets;
}

/**
 * Accepted risks whose expiry passed between two moments (two scans of a scope, or the expiry
 * watcher's look-back and now): in force at `since`, no longer at `now`. False positives are not
 * risks: their expiry is not alerted.
 */
export function decisionsExpiredBetween(decisions: readonly Decision[], since: Date, now: Date): Decision[] {
  return decisions.filter((d) => d.state === "accepted" && triageInForce(d.expires, since) && !triageInForce(d.expires, now));
}

/** An expired decision as an alert names it. */
export function expiredRiskOf(d: Decision): ExpiredRisk {
  return {
    ...(d.subject.kind === "finding" ? { findingId: d.subject.findingId } : {}),
    ...(d.subject.kind === "rule" ? { ruleId: d.subject.ruleId, scope: d.subject.scope } : {}),
    ...(d.subject.kind === "identity" ? { principalId: d.subject.principalId } : {}),
    reason: d.reason,
    owner: d.owner,
    expires: d.expires,
  };
}
