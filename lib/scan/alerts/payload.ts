import { AlertEventKind, AlertFormat, type AlertEvent, type AlertFinding, type ExpiredRisk } from "@/lib/model/alerts";
import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";

/**
 * The body each webhook format receives. Every name in an alert comes from the tenant, so it
 * is only ever placed where the format shows text literally:
 * - Slack (incoming webhook, Block Kit): `plain_text` objects, which Slack does not parse as
 *   mrkdwn (no `<url|label>` links, no `<!channel>` mentions); the notification `text` holds
 *   counts only, with `&`, `<`, `>` escaped as Slack requires of its control characters.
 * - Teams (Workflows "post to a channel when a webhook request is received", an Adaptive Card
 *   in a message attachment): names in `RichTextBlock` / `TextRun`, which Adaptive Cards never
 *   render as Markdown (a `TextBlock` or `FactSet` would turn `[x](https://…)` into a link).
 * - Generic JSON: the event as data; JSON encoding is the escaping.
 */

/** Findings listed in a Slack or Teams message; the JSON body carries them all. */
export const LISTED = 10;

const SEVERITY_LABEL: Record<Severity, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Links back to the dashboard, when its public URL is configured. */
export interface AlertLinks {
  dashboardUrl?: string;
}

const findingUrl = (links: AlertLinks, id: string) => (links.dashboardUrl ? `${links.dashboardUrl}/findings/${encodeURIComponent(id)}` : undefined);

/** A one-line headline from counts and Scopewise's own words only: safe in any format's notification text. */
export function alertHeadline(event: AlertEvent): string {
  if (event.kind === AlertEventKind.NewFindings) {
    return `Scopewise: ${plural(event.findings.length, "new finding")} at or above ${SEVERITY_LABEL[event.minSeverity]} in scan ${event.scanId}`;
  }
  if (event.kind === AlertEventKind.Test) return "Scopewise: test alert; this target receives Scopewise's alerts";
  return `Scopewise: ${plural(event.risks.length, "accepted risk")} expired; the findings are open again`;
}

/** The line under the headline: which scan, when checked, or who asked for a test (a person's name: untrusted text). */
function contextLine(event: AlertEvent): string {
  if (event.kind === AlertEventKind.NewFindings) return `Scan ${event.scanId} of ${event.source}, ${event.scannedAt}`;
  if (event.kind === AlertEventKind.Test) return `Sent ${event.at} at the request of ${event.requestedBy}`;
  return `Checked ${event.at}`;
}

/** Lines of untrusted text describing each item, most severe first. */
function findingLine(f: AlertFinding): string {
  return [`[${SEVERITY_LABEL[f.severity]}] ${f.title}`, f.identityName, f.scope ?? f.clusterId].filter(Boolean).join(" — ");
}
function riskLine(r: ExpiredRisk): string {
  return `${r.findingId ?? r.ruleId ?? (r.principalId ? `identity ${r.principalId}` : "?")}${r.scope ? ` at ${r.scope}` : ""} — owner ${r.owner}, expired ${r.expires}: ${r.reason}`;
}

function lines(event: AlertEvent): string[] {
  if (event.kind === AlertEventKind.NewFindings) {
    const sorted = [...event.findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
    return sorted.map(findingLine);
  }
  if (event.kind === AlertEventKind.Test) return [];
  return event.risks.map(riskLine);
}

const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Slack's limits: 3000 characters in a section's text, 150 in a header. */
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function slack(event: AlertEvent, links: AlertLinks): unknown {
  const all = lines(event);
  const shown = all.slice(0, LISTED);
  const context = contextLine(event);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: cut(alertHeadline(event), 150), emoji: false } },
    { type: "section", text: { type: "plain_text", text: cut(context, 3000), emoji: false } },
    ...shown.map((line) => ({ type: "section", text: { type: "plain_text", text: cut(line, 3000), emoji: false } })),
  ];
  if (all.length > shown.length) blocks.push({ type: "context", elements: [{ type: "plain_text", text: `and ${all.length - shown.length} more`, emoji: false }] });
  if (links.dashboardUrl) {
    blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open Scopewise" }, url: event.kind === AlertEventKind.NewFindings ? `${links.dashboardUrl}/findings?status=new` : `${links.dashboardUrl}/findings` }] });
  }
  return { text: slackEscape(alertHeadline(event)), blocks };
}

const textRun = (text: string, style: Record<string, unknown> = {}) => ({ type: "RichTextBlock", inlines: [{ type: "TextRun", text, ...style }] });

function teams(event: AlertEvent, links: AlertLinks): unknown {
  const all = lines(event);
  const shown = all.slice(0, LISTED);
  const context = contextLine(event);
  const body: unknown[] = [
    textRun(alertHeadline(event), { weight: "Bolder", size: "Medium" }),
    textRun(context),
    ...shown.map((line) => textRun(line)),
  ];
  if (all.length > shown.length) body.push(textRun(`and ${all.length - shown.length} more`, { isSubtle: true }));
  const card: Record<string, unknown> = { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", body };
  if (links.dashboardUrl) card.actions = [{ type: "Action.OpenUrl", title: "Open Scopewise", url: `${links.dashboardUrl}/findings` }];
  return { type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }] };
}

function generic(event: AlertEvent, links: AlertLinks): unknown {
  const body: Record<string, unknown> = { version: 1, headline: alertHeadline(event), ...event };
  if (event.kind === AlertEventKind.NewFindings) body.findings = event.findings.map((f) => ({ ...f, url: findingUrl(links, f.id) }));
  return body;
}

/** The JSON text posted to a target of `format`. */
export function renderAlertBody(event: AlertEvent, format: AlertFormat, links: AlertLinks = {}): string {
  const payload = format === AlertFormat.Slack ? slack(event, links) : format === AlertFormat.Teams ? teams(event, links) : generic(event, links);
  return JSON.stringify(payload);
}
