/**
 * One benchmark size, run in its own process so that its peak RSS is the scanner's alone
 * (the emulator runs in the parent, bench/run.ts). The parent sends the emulator's
 * endpoints; this process scans through Resource Graph and then per subscription, and asks
 * the parent for the emulator's request counts after each scan (IPC).
 */
import { buildIdentityRows } from "@/components/identities/rows";
import { buildFindingRows } from "@/components/findings/rows";
import { listFindingPage, parseFindingQuery } from "@/components/findings/query";
import { buildGraph } from "@/lib/graph/build";
import { buildInventory } from "@/lib/inventory/build";
import { scanConfigForEmulator, type EmulatorEndpoints } from "@/lib/scan/connection";
import { collectTenant, scanWithBaseline, type ScanStats } from "@/lib/inventory/scan";
import { evaluateRules } from "@/lib/rules/evaluate";

export interface MeasureRequest {
  type: "measure";
  emulator: EmulatorEndpoints;
}

export interface MeasureResult {
  scanMs: number;
  armPathScanMs: number;
  argCounts: Record<string, number>;
  armCounts: Record<string, number>;
  argStats: ScanStats;
  armStats: ScanStats;
  /** A rescan of the unchanged tenant right after the Resource Graph scan, building on its baseline. */
  rescanMs: number;
  rescanCounts: Record<string, number>;
  rescanFindings: number;
  errors: number;
  buildMs: number;
  rulesMs: number;
  graphMs: number;
  identitiesPageMs: number;
  findingsPageMs: number;
  findings: number;
  identities: number;
  peakRssMb: number;
}

type ParentMessage = MeasureRequest | { type: "counts"; counts: Record<string, number> };

const pending: ((counts: Record<string, number>) => void)[] = [];
function askCounts(reset: boolean): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    pending.push(resolve);
    process.send!({ type: "counts", reset });
  });
}

async function measure(emulator: EmulatorEndpoints): Promise<MeasureResult> {
  const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
    const start = performance.now();
    const value = await fn();
    return [value, performance.now() - start];
  };
  await askCounts(true);
  const argStats = {} as ScanStats;
  const [{ raw, baseline }, scanMs] = await time(() => scanWithBaseline(scanConfigForEmulator(emulator, { resourceGraph: "always", stats: argStats })));
  const argCounts = await askCounts(true);
  const [inventory, buildMs] = await time(() => buildInventory(raw));
  const [findings, rulesMs] = await time(() => evaluateRules(inventory));
  const [, graphMs] = await time(() => buildGraph(inventory, findings));
  // The identities and findings pages' server-side data path: the view-model builders
  // their server components call, then the first page of 100 rows.
  const [identityRows, identitiesPageMs] = await time(() => buildIdentityRows(inventory));
  const [, findingsPageMs] = await time(() => listFindingPage(buildFindingRows(inventory, findings), parseFindingQuery({}).data));
  // Peak RSS of the scan-to-pages pipeline, taken before the comparison scan adds its own.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const armStats = {} as ScanStats;
  const [armRaw, armPathScanMs] = await time(() => collectTenant(scanConfigForEmulator(emulator, { resourceGraph: "never", stats: armStats })));
  const armCounts = await askCounts(true);
  const armErrors = armRaw.errors.length;
  const [rescan, rescanMs] = await time(() => scanWithBaseline(scanConfigForEmulator(emulator, { resourceGraph: "always" }), baseline));
  const rescanCounts = await askCounts(true);
  const rescanFindings = evaluateRules(buildInventory(rescan.raw)).length;
  return {
    scanMs,
    armPathScanMs,
    argCounts,
    armCounts,
    argStats,
    armStats,
    rescanMs,
    rescanCounts,
    rescanFindings,
    errors: raw.errors.length + armErrors + rescan.raw.errors.length,
    buildMs,
    rulesMs,
    graphMs,
    identitiesPageMs,
    findingsPageMs,
    findings: findings.length,
    identities: identityRows.length,
    peakRssMb,
  };
}

process.on("message", (message: ParentMessage) => {
  if (message.type === "counts") {
    pending.shift()?.(message.counts);
    return;
  }
  measure(message.emulator).then(
    (result) => process.send!({ type: "result", result }, () => process.exit(0)),
    (error: unknown) => process.send!({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});
