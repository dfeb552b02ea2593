/**
 * Scale benchmark: `npm run bench [-- --sizes small,medium,large] [--shapes standard,adversarial] [--latency MS] [--json]`.
 * For each shape and size (lib/tenant/generate.ts): generate a tenant, serve it from the emulator with injected latency, and
 * in a child process scan it through Resource Graph and per subscription, build the
 * inventory, evaluate the rules, build the graph and the pages' view models. Prints a
 * table (or, with --json, a JSON array on stdout) and writes bench/results/<time>.json.
 */
import { fork } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { graphBenchTable, runGraphBench } from "./graph";
import { startEmulator } from "@/emulator/server";
import { kubeListSpecs, kubeListPageSize } from "@/lib/kubernetes/objects";
import { builtinCatalog } from "@/lib/roles/builtin-catalog";
import { generateTenant, tenantShapes, tenantSizes, TenantShape, type TenantSize } from "@/lib/tenant/generate";
import type { TenantFile } from "@/lib/tenant/types";
import type { MeasureResult } from "./measure";

export type BenchSize = TenantSize;

export interface BenchRow {
  shape: TenantShape;
  size: BenchSize;
  subscriptions: number;
  roleAssignments: number;
  clusters: number;
  pods: number;
  /** User-assigned identities that apps use. */
  workloadIdentities: number;
  latencyMs: number;
  /** Data requests the Resource Graph scan made (Entra token requests excluded). */
  apiCalls: number;
  /** What the data needs at best: ARG pages of 1,000 rows, plus the reads ARG cannot replace. */
  minimumApiCalls: number;
  armPathApiCalls: number;
  /** Data requests a rescan of the unchanged tenant made, building on the first scan. */
  rescanApiCalls: number;
  rescanCalls: Record<string, number>;
  rescanMs: number;
  /** Findings of that rescan (the same as the full scan's when nothing is lost). */
  rescanFindings: number;
  scanMs: number;
  armPathScanMs: number;
  retries: number;
  buildMs: number;
  rulesMs: number;
  graphMs: number;
  identitiesPageMs: number;
  findingsPageMs: number;
  findings: number;
  peakRssMb: number;
  errors: number;
  calls: Record<string, number>;
}

/** Emulator page size for ARM lists: ARM's own for role assignments and resources is 1,000 at most. */
const armPageSize = 1000;

/**
 * The fewest requests that can read this tenant: 5 ARG queries at ceil(rows/1000) pages
 * each (cluster extensions live in their own table, out of `resources`); the subscription list; the management-group list and one GET per group (parents);
 * one federated-credential list per user-assigned identity (ARG lacks them); Graph
 * getByIds in batches of 1,000; per cluster one credential request and, per Kubernetes
 * kind, ceil(items/limit) pages (at least one).
 */
export function minimumApiCalls(t: TenantFile): number {
  const pages = (n: number) => Math.max(1, Math.ceil(n / 1000));
  const builtIn = builtinCatalog.length + (t.roleDefinitions?.length ?? 0);
  const extensions = t.resources.filter((r) => r.type?.toLowerCase() === "microsoft.kubernetesconfiguration/extensions").length;
  let calls = pages(t.resourceGroups.length) + pages(t.resources.length - extensions) + pages(extensions) + pages(t.roleAssignments.length) + pages(builtIn);
  calls += 1 + 1 + (t.managementGroups?.length ?? 0);
  calls += t.resources.filter((r) => r.type?.toLowerCase() === "microsoft.managedidentity/userassignedidentities").length;
  const principalIds = new Set<string>();
  for (const a of t.roleAssignments) principalIds.add(String(a.properties?.principalId).toLowerCase());
  calls += Math.ceil(principalIds.size / 1000);
  for (const objects of Object.values(t.kubernetes ?? {})) {
    calls += 1;
    for (const spec of kubeListSpecs) {
      const n = objects.filter((o) => o.kind === spec.kind).length;
      calls += Math.max(1, Math.ceil(n / kubeListPageSize));
    }
  }
  return calls;
}

const dataCalls = (counts: Record<string, number>) => Object.entries(counts).filter(([family]) => !family.startsWith("entra:") && family !== "meta").reduce((n, [, c]) => n + c, 0);

export async function runBenchSize(size: BenchSize, options: { latencyMs: number; seed?: number; shape?: TenantShape }): Promise<BenchRow> {
  const shape = options.shape ?? TenantShape.Standard;
  const { tenant, summary } = generateTenant({ shape, ...tenantSizes[shape][size], seed: options.seed ?? 7 });
  const emulator = await startEmulator({ tenant, pageSize: armPageSize, latencyMs: options.latencyMs });
  try {
    const child = fork(path.join(import.meta.dirname, "measure.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const result = await new Promise<MeasureResult>((resolve, reject) => {
      child.on("message", (m: { type: string; reset?: boolean; result?: MeasureResult; message?: string }) => {
        if (m.type === "counts") {
          const counts = emulator.counts();
          if (m.reset) emulator.resetCounts();
          child.send({ type: "counts", counts });
        } else if (m.type === "result") resolve(m.result!);
        else if (m.type === "error") reject(new Error(`bench ${shape} ${size}: ${m.message}`));
      });
      child.on("exit", (code) => code !== 0 && reject(new Error(`bench ${shape} ${size}: measuring process exited with ${code}`)));
      child.send({ type: "measure", emulator: { url: emulator.url, caPem: emulator.caPem, tenantId: emulator.tenantId, clients: emulator.clients } });
    });
    return {
      shape,
      size,
      subscriptions: summary.subscriptions,
      roleAssignments: summary.roleAssignments,
      clusters: summary.clusters,
      pods: summary.pods,
      workloadIdentities: summary.workloadIdentities,
      latencyMs: options.latencyMs,
      apiCalls: dataCalls(result.argCounts),
      minimumApiCalls: minimumApiCalls(tenant),
      armPathApiCalls: dataCalls(result.armCounts),
      rescanApiCalls: dataCalls(result.rescanCounts),
      rescanCalls: result.rescanCounts,
      rescanMs: Math.round(result.rescanMs),
      rescanFindings: result.rescanFindings,
      scanMs: Math.round(result.scanMs),
      armPathScanMs: Math.round(result.armPathScanMs),
      retries: result.argStats.retries,
      buildMs: Math.round(result.buildMs),
      rulesMs: Math.round(result.rulesMs),
      graphMs: Math.round(result.graphMs),
      identitiesPageMs: Math.round(result.identitiesPageMs),
      findingsPageMs: Math.round(result.findingsPageMs),
      findings: result.findings,
      peakRssMb: Math.round(result.peakRssMb),
      errors: result.errors,
      calls: result.argCounts,
    };
  } finally {
    await emulator.close();
  }
}

function table(rows: BenchRow[]): string {
  const cols: [string, (r: BenchRow) => string][] = [
    ["shape", (r) => r.shape],
    ["size", (r) => r.size],
    ["subs/RAs/clusters/pods", (r) => `${r.subscriptions}/${r.roleAssignments}/${r.clusters}/${r.pods}`],
    ["calls (ARG)", (r) => String(r.apiCalls)],
    ["minimum", (r) => String(r.minimumApiCalls)],
    ["calls/min", (r) => (r.apiCalls / r.minimumApiCalls).toFixed(2)],
    ["calls (ARM)", (r) => String(r.armPathApiCalls)],
    ["scan ARG ms", (r) => String(r.scanMs)],
    ["scan ARM ms", (r) => String(r.armPathScanMs)],
    ["rescan calls", (r) => `${r.rescanApiCalls} (${((100 * r.rescanApiCalls) / r.apiCalls).toFixed(1)}%)`],
    ["rescan ms", (r) => String(r.rescanMs)],
    ["build ms", (r) => String(r.buildMs)],
    ["rules ms", (r) => String(r.rulesMs)],
    ["graph ms", (r) => String(r.graphMs)],
    ["pages ms (id/find)", (r) => `${r.identitiesPageMs}/${r.findingsPageMs}`],
    ["findings", (r) => (r.rescanFindings === r.findings ? String(r.findings) : `${r.findings} (rescan ${r.rescanFindings})`)],
    ["peak RSS MB", (r) => String(r.peakRssMb)],
    ["errors", (r) => String(r.errors)],
  ];
  const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => f(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((c, i) => c.padStart(widths[i]!)).join("  ")).join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "small,medium,large" },
      shapes: { type: "string", default: tenantShapes.join(",") },
      latency: { type: "string", default: "30" },
      json: { type: "boolean", default: false },
      seed: { type: "string", default: "7" },
      graph: { type: "boolean", default: false },
    },
  });
  const sizes = listOption("--sizes", values.sizes!, Object.keys(tenantSizes.standard)) as BenchSize[];
  const shapes = listOption("--shapes", values.shapes!, tenantShapes) as TenantShape[];
  const latencyMs = Number(values.latency);
  if (!Number.isInteger(latencyMs) || latencyMs < 0) throw new Error(`--latency must be a whole number of ms, got ${values.latency}`);
  const rows: BenchRow[] = [];
  // Size by size, both shapes of a size side by side.
  for (const size of sizes) {
    for (const shape of shapes) {
      if (!values.json) process.stderr.write(`bench: ${shape} ${size}…\n`);
      rows.push(await runBenchSize(size, { latencyMs, seed: Number(values.seed), shape }));
    }
  }
  // The graph case (layout and panning frame times for 500 / 2,000 / 5,000 nodes) starts the
  // dashboard and Chromium, so it runs only when asked for.
  const graph = values.graph ? await runGraphBench({ log: (m) => process.stderr.write(`${m}\n`) }) : undefined;
  const dir = path.join(import.meta.dirname, "results");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`), JSON.stringify({ machine: machine(), rows, ...(graph ? { graph } : {}) }, null, 2));
  // --json prints the size rows only (the documented array); the graph rows are in the results file.
  process.stdout.write(values.json ? `${JSON.stringify(rows)}\n` : `${table(rows)}\n${graph ? `\nGraph\n${graphBenchTable(graph)}\n` : ""}`);
  return 0;
}

/** A comma-separated flag's values, each checked against what it may be. */
function listOption(flag: string, value: string, allowed: readonly string[]): string[] {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item)) throw new Error(`${flag}: unknown value "${item}" (${allowed.join(", ")})`);
  if (items.length === 0) throw new Error(`${flag}: give at least one of ${allowed.join(", ")}`);
  return items;
}

function machine(): Record<string, unknown> {
  return { node: process.version, platform: process.platform, arch: process.arch, cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
