import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar, BarStack } from "@visx/shape";
import { severityLabels } from "@/components/findings/severity";
import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";
import type { TrendPoint } from "@/lib/scan/trends";
import { niceMax, scanLabel, scanLabels, tickIndices } from "./view";

/**
 * The overview's trend charts, drawn by visx as plain SVG on the server: no chart code reaches
 * the browser. Each is an image with a title and a description (the summary sentence); the
 * numbers are in the tables beside them. Colours come from CSS classes (light and dark).
 */

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 40 };
const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;

type Row = { key: string } & Record<Severity, number>;
/** Most severe at the bottom of each stack. */
const STACK_KEYS: Severity[] = [...SEVERITY_ORDER];

function xScaleOf(points: readonly TrendPoint[]) {
  return scaleBand<string>({ domain: points.map((p) => String(p.scanId)), range: [0, innerWidth], padding: 0.25 });
}

function bottomAxis(points: readonly TrendPoint[], y: number, xScale: ReturnType<typeof xScaleOf>) {
  const names = scanLabels(points.map((p) => p.scannedAt));
  const labels = new Map(points.map((p, i) => [String(p.scanId), names[i]!]));
  const ticks = tickIndices(points.length).map((i) => String(points[i]!.scanId));
  return (
    <AxisBottom
      top={y}
      scale={xScale}
      tickValues={ticks}
      tickFormat={(id) => labels.get(id) ?? id}
      axisClassName="trend-axis"
      tickClassName="trend-tick"
      hideTicks
      tickLabelProps={{ fontSize: 11, textAnchor: "middle" }}
    />
  );
}

function leftAxis(yScale: ReturnType<typeof scaleLinear<number>>) {
  return <AxisLeft scale={yScale} numTicks={5} axisClassName="trend-axis" tickClassName="trend-tick" tickLabelProps={{ fontSize: 11, textAnchor: "end", dx: -4, dy: 3 }} />;
}

/** Open findings per scan, stacked by severity. */
export function OpenFindingsChart({ points, titleId, descId }: { points: readonly TrendPoint[]; titleId: string; descId: string }) {
  const rows: Row[] = points.map((p) => ({ key: String(p.scanId), ...p.open }));
  const xScale = xScaleOf(points);
  const yScale = scaleLinear<number>({ domain: [0, niceMax(Math.max(0, ...points.map((p) => p.total)))], range: [innerHeight, 0] });
  const byId = new Map(points.map((p) => [String(p.scanId), p]));
  return (
    <svg className="trend-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {yScale.ticks(5).map((t) => (
          <line key={t} className="trend-grid" x1={0} x2={innerWidth} y1={yScale(t)} y2={yScale(t)} />
        ))}
        <BarStack<Row, Severity> data={rows} keys={STACK_KEYS} x={(r) => r.key} xScale={xScale} yScale={yScale} color={() => ""}>
          {(stacks) =>
            stacks.map((stack) =>
              stack.bars
                .filter((bar) => bar.height > 0)
                .map((bar) => {
                  const point = byId.get(bar.bar.data.key)!;
                  return (
                    <rect
                      key={`${stack.index}-${bar.index}`}
                      className="trend-bar"
                      data-severity={stack.key}
                      data-partial={point.partial || undefined}
                      x={bar.x}
                      y={bar.y}
                      width={bar.width}
                      height={bar.height}
                    >
                      <title>{`${scanLabel(point.scannedAt)}: ${bar.bar.data[stack.key]} ${severityLabels[stack.key].toLowerCase()}${point.partial ? " (partial scan)" : ""}`}</title>
                    </rect>
                  );
                }),
            )
          }
        </BarStack>
        {leftAxis(yScale)}
        {bottomAxis(points, innerHeight, xScale)}
      </Group>
    </svg>
  );
}

/** New findings (up) and resolved ones (down) per scan against its baseline. */
export function FlowChart({ points, titleId, descId }: { points: readonly TrendPoint[]; titleId: string; descId: string }) {
  const compared = points.filter((p) => p.new !== undefined);
  const xScale = xScaleOf(compared);
  const top = niceMax(Math.max(0, ...compared.map((p) => p.new ?? 0)));
  const bottom = niceMax(Math.max(0, ...compared.map((p) => p.resolved ?? 0)));
  const yScale = scaleLinear<number>({ domain: [-bottom, top], range: [innerHeight, 0] });
  const zero = yScale(0);
  return (
    <svg className="trend-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {compared.map((p) => {
          const x = xScale(String(p.scanId)) ?? 0;
          const label = scanLabel(p.scannedAt);
          return (
            <g key={p.scanId}>
              {p.new ? (
                <Bar className="trend-bar" data-flow="new" x={x} y={yScale(p.new)} width={xScale.bandwidth()} height={zero - yScale(p.new)}>
                  <title>{`${label}: ${p.new} new`}</title>
                </Bar>
              ) : null}
              {p.resolved ? (
                <Bar className="trend-bar" data-flow="resolved" x={x} y={zero} width={xScale.bandwidth()} height={yScale(-p.resolved) - zero}>
                  <title>{`${label}: ${p.resolved} resolved`}</title>
                </Bar>
              ) : null}
            </g>
          );
        })}
        <line className="trend-zero" x1={0} x2={innerWidth} y1={zero} y2={zero} />
        <AxisLeft
          scale={yScale}
          numTicks={5}
          tickFormat={(v) => String(Math.abs(Number(v)))}
          axisClassName="trend-axis"
          tickClassName="trend-tick"
          tickLabelProps={{ fontSize: 11, textAnchor: "end", dx: -4, dy: 3 }}
        />
        {bottomAxis(compared, innerHeight, xScale)}
      </Group>
    </svg>
  );
}
