import { csvRecord } from "@/lib/model/csv";
import { TriageStatus, type TriageStatus as TriageStatusValue } from "@/lib/model/decisions";
import type { Finding, Severity } from "@/lib/model/findings";
import { BenchmarkName, controlKey, rulesByControl, type Benchmark } from "@/lib/rules/benchmarks";
import type { RuleMeta } from "@/lib/rules/define";

/** One finding under a control in the export. */
export interface ControlExportFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  identity?: string;
  scope?: string;
  triage: TriageStatusValue;
}

/** The findings of a scan grouped by the benchmark control their rule evidences (a finding appears under each of its rule's controls). */
export interface ControlExport {
  scannedAt: string;
  controls: {
    key: string;
    benchmark: Benchmark;
    benchmarkName: string;
    id: string;
    title: string;
    url: string;
    ruleIds: string[];
    /** Findings per triage status: open ones are the gap. */
    counts: Record<TriageStatusValue, number>;
    findings: ControlExportFinding[];
  }[];
  /** Findings of rules that evidence no control. */
  unmapped: ControlExportFinding[];
}

export function buildControlExport(input: {
  scannedAt: string;
  findings: readonly Finding[];
  rules: readonly RuleMeta[];
  triageOf: (findingId: string) => TriageStatusValue | undefined;
}): ControlExport {
  const out = (f: Finding): ControlExportFinding => ({
    id: f.id,
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    ...(f.identityName ?? f.principalId ? { identity: f.identityName ?? f.principalId } : {}),
    ...(f.scope ?? f.clusterId ? { scope: f.scope ?? f.clusterId } : {}),
    triage: input.triageOf(f.id) ?? TriageStatus.Open,
  });
  const groups = rulesByControl(input.rules);
  const mapped = new Set(groups.flatMap((g) => g.ruleIds));
  return {
    scannedAt: input.scannedAt,
    controls: groups.map(({ control, ruleIds }) => {
      const findings = input.findings.filter((f) => ruleIds.includes(f.ruleId)).map(out);
      const counts = { open: 0, accepted: 0, "false-positive": 0, expired: 0 } satisfies Record<TriageStatusValue, number>;
      for (const f of findings) counts[f.triage]++;
      return { key: controlKey(control), benchmark: control.benchmark, benchmarkName: BenchmarkName[control.benchmark], id: control.id, title: control.title, url: control.url, ruleIds, counts, findings };
    }),
    unmapped: input.findings.filter((f) => !mapped.has(f.ruleId)).map(out),
  };
}

export const CONTROL_CSV_HEADER = ["benchmark", "control", "control_title", "finding_id", "rule_id", "severity", "triage", "identity", "scope", "title"] as const;

/** One line per finding and control; findings of no control last, with empty control columns. */
export function renderControlCsv(data: ControlExport): string {
  const lines = [csvRecord(CONTROL_CSV_HEADER)];
  const line = (cells: string[]) => lines.push(csvRecord(cells));
  for (const c of data.controls) {
    for (const f of c.findings) line([c.benchmarkName, c.id, c.title, f.id, f.ruleId, f.severity, f.triage, f.identity ?? "", f.scope ?? "", f.title]);
  }
  for (const f of data.unmapped) line(["", "", "", f.id, f.ruleId, f.severity, f.triage, f.identity ?? "", f.scope ?? "", f.title]);
  return lines.join("");
}
