/**
 * Graph benchmark (issue 4, "Scale"): `npm run bench:graph [-- --sizes 500,2000,5000] [--runs 3]
 * [--port 3470] [--pan-ms 3000] [--layout-timeout-s 600] [--node-only] [--json]`.
 *
 * For each size, a generated tenant whose one cluster's view holds about that many nodes:
 * 1. layout time: `layoutGraph` with elkjs in Node, median of `runs`;
 * 2. in Chromium, on the real graph page (`npm run demo` with that tenant, the cluster view
 *    with `expand=all` so nothing is aggregated): the web worker's layout (the page's
 *    "graph-layout" performance measure), then frame times while dragging the pane for
 *    `pan-ms`, from requestAnimationFrame timestamps inside the page.
 * Prints a table (or, with --json, a JSON array on stdout) and writes
 * bench/results/graph-<time>.json. Timings depend on the machine and on what else it runs.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Browser } from "@playwright/test";
import { LayoutTimeoutError, launchChromium, measureGraphPage, type BrowserGraphMeasure } from "./graph/browser";
import { startDemo } from "./graph/demo-server";
import { measureNodeLayout } from "./graph/node-layout";
import { buildClusterView, generateGraphBenchTenant } from "./graph/tenant";

export const defaultGraphBenchSizes = [500, 2000, 5000] as const;

export interface GraphBenchOptions {
  /** Target node counts (default 500, 2,000, 5,000). */
  sizes?: readonly number[];
  /** Node layouts per size; the median is reported (default 3). */
  runs?: number;
  /** Measure in Chromium on the real page too (default true). False: the Node layout only. */
  browser?: boolean;
  /** Port for the demo dashboard (default 3470); each size restarts it with its tenant. */
  port?: number;
  /** How long to pan, ms (default 3000). */
  panMs?: number;
  /**
   * Longest a single layout may run, in Node and in the page, ms (default 600,000). A size
   * over it is reported with null layout (and, in the page, pan) figures and a note.
   */
  layoutTimeoutMs?: number;
  seed?: number;
  /** Progress lines (default: stderr). */
  log?: (message: string) => void;
}

/** One size. Browser fields are null when the browser part was not run. */
export interface GraphBenchResult {
  targetNodes: number;
  /** Nodes and edges of the cluster view, uncollapsed. */
  nodes: number;
  edges: number;
  pods: number;
  layoutNodeMs: number | null;
  layoutNodeRunsMs: number[];
  layoutBrowserMs: number | null;
  layoutWorkerMs: number | null;
  /** Nodes the page reported drawing (must equal `nodes`). */
  pageNodes: number | null;
  zoom: number | null;
  domNodes: number | null;
  domNodesMaxDuringPan: number | null;
  panFrames: number | null;
  panFrameP50Ms: number | null;
  panFrameP95Ms: number | null;
  panFrameMaxMs: number | null;
  longFrames: number | null;
  /** What was not measured and why (a layout over the time limit). */
  notes: string[];
}

export async function runGraphBench(options: GraphBenchOptions = {}): Promise<GraphBenchResult[]> {
  const sizes = options.sizes ?? defaultGraphBenchSizes;
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const withBrowser = options.browser ?? true;
  const port = options.port ?? 3470;
  const results: GraphBenchResult[] = [];
  const work = withBrowser ? await mkdtemp(path.join(os.tmpdir(), "scopewise-graph-bench-")) : undefined;
  let browser: Browser | undefined;
  try {
    if (withBrowser) browser = await launchChromium();
    for (const target of sizes) {
      log(`graph bench: ${target} nodes: generating and building the graph…`);
      const { tenant, clusterId, pods } = generateGraphBenchTenant(target, options.seed);
      const view = buildClusterView(tenant, clusterId);
      log(`graph bench: ${target} nodes: ${view.nodes.length} nodes, ${view.edges.length} edges; ELK in Node…`);
      const layoutTimeoutMs = options.layoutTimeoutMs ?? 600_000;
      const node = await measureNodeLayout(view, options.runs ?? 3, layoutTimeoutMs);
      const notes: string[] = [];
      if (node.failed) notes.push(node.failed);
      let page: BrowserGraphMeasure | undefined;
      if (browser && work) {
        const tenantFile = path.join(work, `tenant-${target}.json`);
        await writeFile(tenantFile, JSON.stringify(tenant));
        log(`graph bench: ${target} nodes: starting the demo on port ${port}…`);
        const demo = await startDemo({ tenantFile, port, dataDir: path.join(work, `data-${target}`), log });
        try {
          log(`graph bench: ${target} nodes: opening the graph page and panning…`);
          page = await measureGraphPage(browser, `${demo.url}/graph?cluster=${encodeURIComponent(clusterId)}&expand=all`, { panMs: options.panMs, layoutTimeoutMs });
        } catch (err) {
          if (!(err instanceof LayoutTimeoutError)) throw err;
          notes.push(`in the page, ${err.message}; no pan measured`);
        } finally {
          await demo.close();
        }
        if (page && page.nodes !== view.nodes.length) {
          throw new Error(`graph bench: the page drew ${page.nodes} nodes, the offline view has ${view.nodes.length}; the page and the benchmark disagree on the view`);
        }
      }
      const row: GraphBenchResult = {
        targetNodes: target,
        nodes: view.nodes.length,
        edges: view.edges.length,
        pods,
        layoutNodeMs: node.medianMs === null ? null : Math.round(node.medianMs),
        layoutNodeRunsMs: node.runsMs.map((ms) => Math.round(ms)),
        layoutBrowserMs: page?.layoutBrowserMs ?? null,
        layoutWorkerMs: page?.layoutWorkerMs ?? null,
        pageNodes: page?.nodes ?? null,
        zoom: page?.zoom ?? null,
        domNodes: page?.domNodes ?? null,
        domNodesMaxDuringPan: page?.domNodesMaxDuringPan ?? null,
        panFrames: page?.frames ?? null,
        panFrameP50Ms: page?.panFrameP50Ms ?? null,
        panFrameP95Ms: page?.panFrameP95Ms ?? null,
        panFrameMaxMs: page?.panFrameMaxMs ?? null,
        longFrames: page?.longFrames ?? null,
        notes,
      };
      results.push(row);
      log(`graph bench: ${target} nodes: ${JSON.stringify(row)}`);
    }
  } finally {
    await browser?.close();
    if (work) await rm(work, { recursive: true, force: true });
  }
  return results;
}

export function graphBenchTable(rows: readonly GraphBenchResult[]): string {
  const v = (n: number | null) => (n === null ? "–" : String(n));
  const cols: [string, (r: GraphBenchResult) => string][] = [
    ["nodes", (r) => String(r.nodes)],
    ["edges", (r) => String(r.edges)],
    ["layout Node ms", (r) => v(r.layoutNodeMs)],
    ["layout browser ms", (r) => v(r.layoutBrowserMs)],
    ["zoom", (r) => v(r.zoom)],
    ["DOM nodes", (r) => (r.domNodes === null ? "–" : `${r.domNodes} (max ${r.domNodesMaxDuringPan})`)],
    ["pan frames", (r) => v(r.panFrames)],
    ["frame p50 ms", (r) => v(r.panFrameP50Ms)],
    ["frame p95 ms", (r) => v(r.panFrameP95Ms)],
    ["frame max ms", (r) => v(r.panFrameMaxMs)],
    ["frames > 50 ms", (r) => v(r.longFrames)],
  ];
  const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => f(r)))];
  const widths = cols.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const table = cells.map((row) => row.map((c, i) => c.padStart(widths[i]!)).join("  ")).join("\n");
  const notes = rows.flatMap((r) => r.notes.map((n) => `${r.nodes} nodes: ${n}`));
  return notes.length ? `${table}\n${notes.join("\n")}` : table;
}

function wholeNumber(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      runs: { type: "string" },
      port: { type: "string" },
      "pan-ms": { type: "string" },
      "layout-timeout-s": { type: "string" },
      seed: { type: "string" },
      "node-only": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const sizes = values.sizes?.split(",").map((s, i) => wholeNumber(s.trim(), `--sizes (item ${i + 1})`, 1)!);
  const rows = await runGraphBench({
    sizes,
    runs: wholeNumber(values.runs, "--runs", 1),
    port: wholeNumber(values.port, "--port", 1),
    panMs: wholeNumber(values["pan-ms"], "--pan-ms", 500),
    layoutTimeoutMs: values["layout-timeout-s"] === undefined ? undefined : wholeNumber(values["layout-timeout-s"], "--layout-timeout-s", 1)! * 1000,
    seed: wholeNumber(values.seed, "--seed", 0),
    browser: !values["node-only"],
  });
  const dir = path.join(import.meta.dirname, "results");
  await mkdir(dir, { recursive: true });
  const machine = { node: process.version, platform: process.platform, arch: process.arch, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model };
  await writeFile(path.join(dir, `graph-${new Date().toISOString().replace(/[:.]/g, "-")}.json`), JSON.stringify({ machine, rows }, null, 2));
  process.stdout.write(values.json ? `${JSON.stringify(rows)}\n` : `${graphBenchTable(rows)}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench:graph: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
