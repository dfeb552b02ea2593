import { describe, expect, it } from "vitest";
import type { Finding } from "@/lib/model/findings";
import { rules } from "@/lib/rules/registry";
import { demoScan } from "@/lib/testing/demo-scan";
import { csvCell } from "@/lib/model/csv";
import { buildControlExport, renderControlCsv } from "./control-export";

const { inventory, findings } = demoScan();
const metas = rules.map((r) => r.meta);

describe("findings grouped by benchmark control", () => {
  it("lists each finding under every control its rule evidences, with its triage and counts", () => {
    const accepted = findings.find((f) => f.ruleId === "acr-write-on-kubelet")!;
    const data = buildControlExport({ scannedAt: inventory.scannedAt, findings, rules: metas, triageOf: (id) => (id === accepted.id ? "accepted" : undefined) });
    const byKey = new Map(data.controls.map((c) => [c.key, c]));
    const pa7 = byKey.get("mcsb:PA-7")!;
    const cis513 = byKey.get("cis-aks:5.1.3")!;
    expect(cis513.findings.map((f) => f.id)).toEqual(findings.filter((f) => f.ruleId === "acr-write-on-kubelet").map((f) => f.id));
    expect(pa7.findings.map((f) => f.id)).toContain(accepted.id);
    expect(cis513.counts.accepted).toBe(1);
    expect(cis513.counts.open).toBe(cis513.findings.length - 1);
    expect(data.unmapped.every((f) => !metas.find((m) => m.id === f.ruleId)!.benchmarks?.length)).toBe(true);
    const total = new Set([...data.controls.flatMap((c) => c.findings.map((f) => f.id)), ...data.unmapped.map((f) => f.id)]);
    expect(total.size).toBe(findings.length);
  });

  it("renders CSV a spreadsheet cannot run: formulas quoted away, separators quoted", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("@SUM(A1)")).toBe("\"'@SUM(A1)\"");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("plain")).toBe("plain");
    const hostile = { ...findings.find((f) => f.ruleId === "acr-write-on-kubelet")!, identityName: "=cmd|' /C calc'!A0" } as Finding;
    const csv = renderControlCsv(buildControlExport({ scannedAt: inventory.scannedAt, findings: [hostile], rules: metas, triageOf: () => undefined }));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("benchmark,control,control_title,finding_id,rule_id,severity,triage,identity,scope,title");
    expect(lines.some((l) => l.includes(",5.1.3,") && l.includes(`,"'=cmd|' /C calc'!A0",`))).toBe(true);
    expect(lines.every((l) => !l.includes(",=cmd"))).toBe(true);
  });
});
