import { describe, expect, it } from "vitest";
import { runGraphBench } from "./graph";
import { frameStats, percentile } from "./graph/browser";
import { median } from "./graph/node-layout";

describe("graph benchmark (smoke: 500 nodes, ELK in Node only)", () => {
  it("lays out the 500-node cluster view and reports the result shape", async () => {
    const rows = await runGraphBench({ sizes: [500], runs: 1, browser: false, log: () => {} });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    // 120 workload-identity apps × (workload, service account, credential, identity) + the cluster's fixed nodes.
    expect(row!.nodes).toBeGreaterThanOrEqual(480);
    expect(row!.nodes).toBeLessThanOrEqual(520);
    expect(row!.edges).toBeGreaterThan(row!.nodes);
    expect(row!.pods).toBe(2400);
    expect(row!.layoutNodeRunsMs).toHaveLength(1);
    expect(row!.layoutNodeMs).toBe(row!.layoutNodeRunsMs[0]);
    expect(row!.notes).toEqual([]);
    for (const key of ["layoutBrowserMs", "domNodes", "panFrameP50Ms", "panFrameP95Ms", "panFrameMaxMs", "longFrames"] as const) expect(row![key], key).toBeNull();
  }, 180_000);
});

describe("frame statistics", () => {
  it("turns rAF timestamps into frame times, counting frames over 50 ms", () => {
    // Deltas: 16, 17, 16, 60, 16, 120.
    const s = frameStats([0, 16, 33, 49, 109, 125, 245]);
    expect(s).toEqual({ frames: 6, p50: 16, p95: 120, max: 120, long: 2 });
  });

  it("uses nearest-rank percentiles and a true median", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });
});
