import { chromium, type Browser, type LaunchOptions, type Page } from "@playwright/test";
import e2eConfig from "@/playwright.config";

/** What one graph page measured in Chromium. */
export interface BrowserGraphMeasure {
  /** Nodes and edges the page says it draws (toolbar status). */
  nodes: number;
  edges: number;
  /** The page's "graph-layout" performance measure: post to the worker → layout back on the main thread. */
  layoutBrowserMs: number;
  /** The worker's own ELK time (data-layout-ms on the toolbar status). */
  layoutWorkerMs: number;
  /** Viewport zoom the pan ran at (the page's fit view). */
  zoom: number;
  /** React Flow node elements in the DOM at that zoom (only visible ones are rendered). */
  domNodes: number;
  /** The most node elements seen in the DOM during the pan. */
  domNodesMaxDuringPan: number;
  frames: number;
  panMs: number;
  panFrameP50Ms: number;
  panFrameP95Ms: number;
  panFrameMaxMs: number;
  /** Frames longer than 50 ms (a long task's threshold: visible stutter). */
  longFrames: number;
  /** Pointer moves the page handled during the pan. */
  panMoves: number;
}

export const LONG_FRAME_MS = 50;

/** The page's worker did not finish the layout in time (the page shows "Laying out…"). */
export class LayoutTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the page's layout did not finish within ${Math.round(timeoutMs / 1000)} s`);
    this.name = "LayoutTimeoutError";
  }
}

/** Chromium as the e2e tests launch it (playwright.config.ts): same binary, same flags. */
export async function launchChromium(): Promise<Browser> {
  const launchOptions: LaunchOptions = { ...(e2eConfig.use?.launchOptions ?? {}), headless: true };
  return chromium.launch(launchOptions);
}

/** Nearest-rank percentile of frame deltas. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  long: number;
}

/** Frame times from consecutive requestAnimationFrame timestamps. */
export function frameStats(timestamps: readonly number[]): FrameStats {
  const deltas: number[] = [];
  for (let i = 1; i < timestamps.length; i++) deltas.push(timestamps[i]! - timestamps[i - 1]!);
  return {
    frames: deltas.length,
    p50: percentile(deltas, 50),
    p95: percentile(deltas, 95),
    max: deltas.length ? Math.max(...deltas) : NaN,
    long: deltas.filter((d) => d > LONG_FRAME_MS).length,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Opens the graph page, waits for the worker's layout, then drags the React Flow pane in a
 * circle for `panMs` while a requestAnimationFrame loop inside the page records frame
 * timestamps. The drag starts on empty pane, so it pans (d3-zoom) rather than selecting.
 */
export async function measureGraphPage(browser: Browser, url: string, options: { panMs?: number; loadTimeoutMs?: number; layoutTimeoutMs?: number } = {}): Promise<BrowserGraphMeasure> {
  const panMs = options.panMs ?? 3000;
  const layoutTimeoutMs = options.layoutTimeoutMs ?? 600_000;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // tsx (esbuild, keepNames) wraps named functions in the functions passed to page.evaluate
  // with a `__name` helper that exists only in Node; give the page a no-op one.
  await context.addInitScript({ content: "globalThis.__name ??= (fn) => fn;" });
  const page = await context.newPage();
  try {
    // The first request scans the emulator (tens of thousands of pods at the largest size).
    await page.goto(url, { timeout: options.loadTimeoutMs ?? 600_000, waitUntil: "domcontentloaded" });
    const stats = page.getByRole("toolbar", { name: "Graph tools" }).getByRole("status");
    await stats.waitFor({ timeout: options.loadTimeoutMs ?? 600_000 });
    try {
      await page.waitForFunction(
        () => {
          const el = document.querySelector(".graph-stats");
          return !!el && el.hasAttribute("data-layout-ms") && /\d+ nodes · \d+ edges/.test(el.textContent ?? "");
        },
        undefined,
        { timeout: layoutTimeoutMs, polling: 250 },
      );
    } catch (err) {
      if (err instanceof Error && err.name === "TimeoutError") throw new LayoutTimeoutError(layoutTimeoutMs);
      throw err;
    }
    // The page fits the view one frame after the layout lands; let it and the render settle.
    await settle(page);

    const loaded = await page.evaluate(() => {
      const status = document.querySelector(".graph-stats")!;
      const m = /(\d+) nodes · (\d+) edges/.exec(status.textContent ?? "");
      const measures = performance.getEntriesByName("graph-layout", "measure");
      const transform = (document.querySelector(".react-flow__viewport") as HTMLElement | null)?.style.transform ?? "";
      const zoom = Number(/scale\(([\d.e-]+)\)/.exec(transform)?.[1] ?? NaN);
      return {
        nodes: Number(m?.[1]),
        edges: Number(m?.[2]),
        layoutBrowserMs: measures.at(-1)?.duration ?? NaN,
        layoutWorkerMs: Number(status.getAttribute("data-layout-ms")),
        zoom,
        domNodes: document.querySelectorAll(".react-flow__node").length,
      };
    });

    const start = await emptyPanePoint(page);
    await page.evaluate(() => {
      const w = window as unknown as { __bench: { stamps: number[]; maxDom: number; running: boolean } };
      w.__bench = { stamps: [], maxDom: 0, running: true };
      const tick = (t: number) => {
        const b = w.__bench;
        if (!b.running) return;
        b.stamps.push(t);
        // Counting elements every frame would add its own cost; every 10th frame is enough for a maximum.
        if (b.stamps.length % 10 === 0) b.maxDom = Math.max(b.maxDom, document.getElementsByClassName("react-flow__node").length);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      performance.mark("graph-pan-start");
    });
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    const began = Date.now();
    let moves = 0;
    // A circle of radius 240 px, a turn every 1.5 s: the view keeps moving over new nodes and
    // comes back, so the visible set changes as it would under a person's hand.
    while (Date.now() - began < panMs) {
      const a = ((Date.now() - began) / 1500) * 2 * Math.PI;
      await page.mouse.move(start.x + 240 * Math.sin(a), start.y + 240 * (1 - Math.cos(a)) * 0.6);
      moves++;
    }
    await page.mouse.up();
    const pan = await page.evaluate(() => {
      const w = window as unknown as { __bench: { stamps: number[]; maxDom: number; running: boolean } };
      w.__bench.running = false;
      performance.mark("graph-pan-end");
      const measure = performance.measure("graph-pan", "graph-pan-start", "graph-pan-end");
      return { stamps: w.__bench.stamps, maxDom: w.__bench.maxDom, panMs: measure.duration };
    });
    const f = frameStats(pan.stamps);
    return {
      ...loaded,
      layoutBrowserMs: Math.round(loaded.layoutBrowserMs),
      zoom: Math.round(loaded.zoom * 1000) / 1000,
      domNodesMaxDuringPan: Math.max(pan.maxDom, loaded.domNodes),
      frames: f.frames,
      panMs: Math.round(pan.panMs),
      panFrameP50Ms: round1(f.p50),
      panFrameP95Ms: round1(f.p95),
      panFrameMaxMs: round1(f.max),
      longFrames: f.long,
      panMoves: moves,
    };
  } finally {
    await context.close();
  }
}

/** Two animation frames and a short idle: the fit-view frame and the render it causes. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  await page.waitForTimeout(1000);
}

/** A point on the pane (not on a node, edge or control) near the canvas's upper middle. */
async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(() => {
    const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
    if (!pane) return null;
    for (let fy = 0.2; fy < 0.9; fy += 0.05) {
      for (let fx = 0.2; fx < 0.8; fx += 0.02) {
        const x = pane.left + pane.width * fx;
        const y = pane.top + pane.height * fy;
        if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane")) return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error("graph bench: found no empty spot on the graph pane to start a pan from");
  return point;
}
