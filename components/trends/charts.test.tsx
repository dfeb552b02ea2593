import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Trends, TrendPoint } from "@/lib/scan/trends";
import { FlowChart, OpenFindingsChart } from "./charts";
import { flowSummary, formatSpan, niceMax, openSummary, scanLabels, tickIndices } from "./view";

const point = (scanId: number, day: number, open: TrendPoint["open"], extra: Partial<TrendPoint> = {}): TrendPoint => ({
  scanId,
  scannedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
  partial: false,
  open,
  total: open.critical + open.high + open.medium + open.low,
  ...extra,
});
const points = [
  point(1, 1, { critical: 1, high: 2, medium: 0, low: 0 }),
  point(2, 2, { critical: 0, high: 2, medium: 1, low: 0 }, { new: 1, resolved: 1, unverified: 0, unknown: 0 }),
  point(3, 3, { critical: 0, high: 1, medium: 0, low: 0 }, { partial: true, new: 0, resolved: 1, unverified: 2, unknown: 0 }),
];
const trends: Trends = { points, fixed: 2, meanTimeToFixMs: 36 * 3_600_000, sources: [] };

describe("trend charts", () => {
  it("draws one bar per non-empty severity of each scan, labelled, as an image named by its title and summary", () => {
    const svg = renderToStaticMarkup(<OpenFindingsChart points={points} titleId="t" descId="d" />);
    expect(svg).toContain('role="img" aria-labelledby="t d"');
    expect(svg.match(/data-severity="/g)).toHaveLength(5);
    expect(svg).toContain("<title>Jan 1: 1 critical</title>");
    expect(svg).toContain("<title>Jan 3: 1 high (partial scan)</title>");
    expect(svg).toContain('data-partial="true"');
  });

  it("draws new findings up and resolved ones down, from the second scan on", () => {
    const svg = renderToStaticMarkup(<FlowChart points={points} titleId="t" descId="d" />);
    expect(svg.match(/data-flow="new"/g)).toHaveLength(1);
    expect(svg.match(/data-flow="resolved"/g)).toHaveLength(2);
    expect(svg).toContain("<title>Jan 2: 1 new</title>");
  });
});

describe("trend summaries", () => {
  it("say what each chart shows, partial scans and unchecked findings included", () => {
    expect(openSummary(trends)).toBe("1 open finding in the latest scan (1 high), 2 fewer than the 3 of the first of 3 scans; 1 partial scan may have missed findings in what it could not read.");
    expect(flowSummary(trends)).toBe(
      "Across 2 comparisons: 1 new, 2 resolved. 2 findings could not be checked by a partial scan and are counted as neither. Mean time to fix: 36 hours over 2 fixed findings.",
    );
    expect(openSummary({ points: [], fixed: 0, sources: [] })).toBe("No scan with findings is recorded yet.");
  });

  it("format spans, ticks and axis maxima", () => {
    expect(formatSpan(3.5 * 86_400_000)).toBe("3.5 days");
    expect(formatSpan(90 * 60_000)).toBe("2 hours");
    expect(formatSpan(1000)).toBe("1 minute");
    expect(tickIndices(3)).toEqual([0, 1, 2]);
    expect(scanLabels(["2026-01-01T09:00:00.000Z", "2026-01-02T09:00:00.000Z"])).toEqual(["Jan 1", "Jan 2"]);
    expect(scanLabels(["2026-12-03T18:35:10.000Z", "2026-12-03T18:39:00.000Z"])).toEqual(["Dec 3 18:35", "Dec 3 18:39"]);
    expect(tickIndices(50, 5)).toEqual([0, 12, 25, 37, 49]);
    expect([niceMax(0), niceMax(7), niceMax(23), niceMax(480)]).toEqual([5, 8, 30, 500]);
  });
});
