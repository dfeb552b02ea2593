import type { Finding } from "@/lib/model/findings";
import type { Identity, Inventory, SourceError } from "@/lib/model/types";
import { lastSegment } from "@/lib/model/scope";
import { partialCoverageNotice } from "@/lib/model/vocabulary";
import type { FindingTriage } from "@/lib/model/triage";

/** A finding as the scan output gives it: with the team's decision when an exception covers it. */
export type ReportedFinding = Finding & { triage?: FindingTriage };

/** The scan output (docs/tenant-format.md, "Scan output (JSON, v1)"). */
export interface ScanOutput {
  version: 1;
  scannedAt: string;
  inventory: { subscriptions: number; clusters: number; identities: number; roleAssignments: number; workloads: number };
  identities: {
    principalId?: string;
    clientId?: string;
    resourceId?: string;
    displayName: string;
    kind: Identity["kind"];
    clusterIds: string[];
  }[];
  findings: ReportedFinding[];
  errors: { source: string; message: string; status?: number; code?: string; scope?: string; cluster?: string }[];
}

export function buildScanOutput(inventory: Inventory, findings: Finding[], triage: ReadonlyMap<string, FindingTriage> = new Map()): ScanOutput {
  return {
    version: 1,
    scannedAt: inventory.scannedAt,
    inventory: {
      subscriptions: inventory.subscriptions.length,
      clusters: inventory.clusters.length,
      identities: inventory.identities.length,
      roleAssignments: inventory.roleAssignments.length,
      workloads: inventory.workloads.length,
    },
    identities: inventory.identities.map((i) => ({
      principalId: i.principalId,
      clientId: i.clientId,
      resourceId: i.resourceId,
      displayName: i.displayName,
      kind: i.kind,
      clusterIds: i.clusterIds,
    })),
    findings: triage.size === 0 ? findings : findings.map((f) => (triage.has(f.id) ? { ...f, triage: triage.get(f.id)! } : f)),
    errors: inventory.errors.map(errorOut),
  };
}

function errorOut(e: SourceError): ScanOutput["errors"][number] {
  const out: ScanOutput["errors"][number] = { source: e.source, message: e.message };
  if (e.status !== undefined) out.status = e.status;
  if (e.code) out.code = e.code;
  if (e.scope) out.scope = e.scope;
  if (e.cluster) out.cluster = e.cluster;
  return out;
}

/** A plain-text table: columns padded to the widest cell, long cells cut with "…". */
export function formatTable(headers: string[], rows: string[][], maxWidth = 60): string {
  const cut = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const cells = [headers, ...rows].map((r) => r.map(cut));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function renderTableReport(output: ScanOutput): string {
  const parts: string[] = [];
  const inv = output.inventory;
  parts.push(
    `Scanned ${output.scannedAt}: ${inv.subscriptions} subscriptions, ${inv.clusters} clusters, ${inv.identities} identities, ` +
      `${inv.roleAssignments} role assignments, ${inv.workloads} workloads`,
  );
  const workloadIdentities = output.identities.filter((i) => i.kind !== "other");
  parts.push(
    "",
    "Identities",
    formatTable(
      ["KIND", "NAME", "PRINCIPAL ID", "CLUSTERS"],
      workloadIdentities.map((i) => [i.kind, i.displayName, i.principalId ?? "-", i.clusterIds.map(lastSegment).join(", ") || "-"]),
    ),
  );
  parts.push("", `Findings (${output.findings.length})`);
  if (output.findings.length > 0) {
    // Findings from a Terraform plan or state name the block that makes them.
    const iac = output.findings.some((f) => f.iac);
    const triaged = output.findings.some((f) => f.triage);
    parts.push(
      formatTable(
        ["SEVERITY", "RULE", "IDENTITY", "ROLE", "SCOPE", ...(iac ? ["TERRAFORM"] : []), ...(triaged ? ["TRIAGE"] : [])],
        output.findings.map((f) => [
          f.severity,
          f.ruleId,
          f.identityName ?? f.principalId ?? "-",
          f.roleName ?? "-",
          f.scope ?? "-",
          ...(iac ? [f.iac ? `${f.iac.address}${f.iac.file ? ` (${f.iac.file}:${f.iac.line})` : ""}` : "-"] : []),
          ...(triaged ? [f.triage ? `${f.triage.state} until ${f.triage.expires}` : "open"] : []),
        ]),
        70,
      ),
    );
  }
  if (output.errors.length > 0) {
    parts.push("", partialCoverageNotice(output.errors.length));
    parts.push(formatTable(["SOURCE", "WHERE", "MESSAGE"], output.errors.map((e) => [e.source, e.cluster ?? e.scope ?? "-", e.message]), 90));
  }
  return parts.join("\n") + "\n";
}

