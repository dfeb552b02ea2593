import { severityLabels } from "./severity";
import type { FindingDetail } from "./detail";

/**
 * Untrusted text (names from Azure and Kubernetes) as a Markdown code span: a code span shows
 * its content literally, so `[x](https://evil)`, `<img onerror>`, `**` and bare URLs stay text.
 * The fence is one backtick longer than the longest run inside; line breaks become spaces so a
 * name cannot start a heading or end the span's paragraph.
 */
export function markdownCode(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, " ");
  if (flat === "") return "` `";
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  // A space inside the fence keeps a leading or trailing backtick from joining the fence.
  const pad = flat.startsWith("`") || flat.endsWith("`") || (flat.startsWith(" ") && flat.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Untrusted multi-line text as a fenced block (tildes, longer than any tilde run inside): shown literally. */
export function markdownBlock(text: string): string {
  const longest = Math.max(0, ...(text.match(/~+/g) ?? []).map((run) => run.length));
  const fence = "~".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\r\n?/g, "\n")}\n${fence}`;
}

/** Text Scopewise writes (rule titles and text) with Markdown's punctuation escaped, on one line. */
export function markdownText(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, "\\$&");
}

/**
 * A finding as a Markdown summary for a ticket: what, where, why, the evidence and the fixes on
 * offer, with a link back to the finding's page. Every value from the tenant is a code span or
 * a fenced block, so the ticket shows it as text whatever it contains.
 */
export function renderFindingMarkdown(detail: FindingDetail, findingUrl: string): string {
  const f = detail.finding;
  const lines: string[] = [`## ${markdownText(f.title)}`, ""];
  const facts: [string, string | undefined][] = [
    ["Severity", `${severityLabels[detail.severity]}${detail.severity !== detail.baseSeverity ? ` (rule's base: ${severityLabels[detail.baseSeverity]})` : ""}`],
    ["Rule", markdownCode(f.ruleId)],
    ["Finding", markdownCode(f.id)],
    ["Identity", detail.identity ? `${markdownCode(detail.identity.name)} (${detail.identity.kind})` : detail.identityLabel ? markdownCode(detail.identityLabel) : undefined],
    ["Role", f.roleName ? markdownCode(f.roleName) : undefined],
    ["Scope", detail.scope ? markdownCode(detail.scope.id) : undefined],
    ["Cluster", detail.cluster ? `${markdownCode(detail.cluster.name)} (${markdownCode(detail.cluster.id)})` : undefined],
    ["Role assignment", f.roleAssignmentId ? markdownCode(f.roleAssignmentId) : undefined],
    ["Status", detail.status],
  ];
  for (const [label, value] of facts) if (value) lines.push(`- **${label}:** ${value}`);
  lines.push("", "### What was found", "", markdownBlock(f.message));
  if (detail.severityReason) lines.push("", "Why this severity:", "", markdownBlock(detail.severityReason));
  if (detail.rule) lines.push("", "### Why it matters", "", markdownText(detail.rule.rationale));
  if (detail.evidence.length > 0) {
    lines.push("", "### Evidence", "");
    for (const e of detail.evidence) lines.push(`- ${markdownCode(e.fact)} — source ${markdownCode(e.source)}`);
  }
  if (detail.fixes.length > 0) {
    lines.push("", "### Fixes on offer", "");
    for (const fix of detail.fixes) lines.push(`- ${markdownCode(fix.summary)}`);
  }
  lines.push("", `[Open the finding in Scopewise](<${findingUrl.replace(/[<>\s]/g, encodeURIComponent)}>)`, "");
  return lines.join("\n");
}
