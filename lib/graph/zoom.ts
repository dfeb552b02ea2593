import { NODE_KINDS } from "@/lib/model/graph-schema";
import { IdentityKindLabel } from "@/lib/model/vocabulary";
import { maxSeverity } from "./severity";
import type { GraphNode } from "./types";

/**
 * Semantic zoom: what a node shows depends on how large it is on screen, so no text is drawn
 * too small to read. Node text is 13 px (name) and 11–12 px (kind, second line) at zoom 1.
 * - near: everything (the smallest text stays ≥ 10 px on screen);
 * - mid: the name alone, drawn large enough to stay ≥ 10 px;
 * - far: plain blocks, with the groups they form labelled at a fixed on-screen size.
 */
export const ZoomLevel = { Near: "near", Mid: "mid", Far: "far" } as const;
export type ZoomLevel = (typeof ZoomLevel)[keyof typeof ZoomLevel];

/** Smallest on-screen text size drawn, in CSS px. */
export const MIN_TEXT_PX = 10;
/** The smallest node text at zoom 1 (kind and second line) and the name's size in "mid". */
export const NEAR_TEXT_PX = 11;
export const MID_LABEL_PX = 30;

export function zoomLevel(zoom: number): ZoomLevel {
  if (zoom * NEAR_TEXT_PX >= MIN_TEXT_PX) return ZoomLevel.Near;
  if (zoom * MID_LABEL_PX >= MIN_TEXT_PX) return ZoomLevel.Mid;
  return ZoomLevel.Far;
}

/** A run of nodes of one group, next to each other in one column: labelled as one at far zoom. */
export interface ZoomGroup {
  key: string;
  label: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  severity?: GraphNode["severity"];
}

export interface ZoomSummary {
  /** One heading per column: what the column holds, in total. */
  columns: ZoomGroup[];
  /** Contiguous runs of one group (a namespace's workloads, one kind of identity, a subscription's scopes). */
  runs: ZoomGroup[];
}

type Placed = Pick<GraphNode, "id" | "kind" | "label" | "parentId" | "identityKind" | "subscriptionId" | "severity">;

/** The group a node is summarised in: its namespace for Kubernetes objects, its job for identities, its kind otherwise. */
function groupOf(n: Placed, byId: ReadonlyMap<string, Placed>): { key: string; name: string } {
  const parent = n.parentId ? byId.get(n.parentId) : undefined;
  if (parent?.kind === "namespace") return { key: `ns:${parent.id}:${n.kind}`, name: `${parent.label}: ${NODE_KINDS[n.kind].plural}` };
  if (n.kind === "identity") return { key: `identity:${n.identityKind ?? "other"}`, name: `${IdentityKindLabel[n.identityKind ?? "other"]} identities` };
  return { key: `kind:${n.kind}`, name: NODE_KINDS[n.kind].plural };
}

/**
 * Groups and column headings for the far zoom, in layout coordinates. Linear after a sort per
 * column: nodes are bucketed by their x, ordered by y, and consecutive nodes of one group
 * form a run.
 */
export function summarizeLayout(
  nodes: readonly Placed[],
  positions: Readonly<Record<string, { x: number; y: number }>>,
  size: { width: number; height: number },
): ZoomSummary {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const columns = new Map<number, Placed[]>();
  for (const n of nodes) {
    const p = positions[n.id];
    if (!p) continue;
    const x = Math.round(p.x);
    (columns.get(x) ?? columns.set(x, []).get(x)!).push(n);
  }
  const out: ZoomSummary = { columns: [], runs: [] };
  const sorted = [...columns].sort((a, b) => a[0] - b[0]);
  sorted.forEach(([x, members], c) => {
    // A label may use the gap up to the next column, not just the node's width.
    const width = (sorted[c + 1]?.[0] ?? x + size.width * 1.4) - x - 8;
    members.sort((a, b) => positions[a.id]!.y - positions[b.id]!.y);
    const kinds = new Map<string, number>();
    for (const m of members) kinds.set(NODE_KINDS[m.kind].plural, (kinds.get(NODE_KINDS[m.kind].plural) ?? 0) + 1);
    const top = positions[members[0]!.id]!.y;
    out.columns.push({
      key: `col:${x}`,
      label: [...kinds].map(([plural, count]) => `${count} ${plural}`).join(", "),
      count: members.length,
      x,
      y: top,
      width,
      height: 0,
    });
    let run: ZoomGroup | undefined;
    for (const m of members) {
      const g = groupOf(m, byId);
      const y = positions[m.id]!.y;
      if (run && run.key.startsWith(`${g.key}|`)) {
        run.count += 1;
        run.height = y + size.height - run.y;
        run.severity = maxSeverity(run.severity, m.severity);
        run.label = `${g.name} (${run.count})`;
        continue;
      }
      // A run of one is named by the node itself.
      run = { key: `${g.key}|${x}|${y}`, label: m.label, count: 1, x, y, width, height: size.height, severity: m.severity };
      out.runs.push(run);
    }
  });
  return out;
}

/**
 * The column headings that fit side by side at this zoom: greedy from the left, a heading is
 * kept when the previous kept one (estimated at `charPx` per character on screen) ends before it.
 */
export function headingsThatFit(columns: readonly ZoomGroup[], zoom: number, charPx = 7.5): ZoomGroup[] {
  const kept: ZoomGroup[] = [];
  let freeFrom = -Infinity;
  for (const c of columns) {
    const left = c.x * zoom;
    if (left < freeFrom) continue;
    kept.push(c);
    freeFrom = left + c.label.length * charPx + 12;
  }
  return kept;
}
