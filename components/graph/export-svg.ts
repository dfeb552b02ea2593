import { NODE_KINDS, SEVERITY_GLYPH } from "@/lib/model/graph-schema";
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout } from "@/lib/graph/layout";
import type { Graph } from "@/lib/graph/types";
import { edgeHex, nodeAccent } from "./style";

/** Text from Azure and Kubernetes is untrusted: everything goes into the SVG escaped. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * A standalone SVG of the current view, drawn from the laid-out positions (no DOM capture,
 * so it is the same at any zoom and needs no html-to-image). Edges are the same cubic
 * curves the canvas draws, from a node's right side to the next node's left side.
 */
export function renderGraphSvg(graph: Pick<Graph, "nodes" | "edges">, layout: GraphLayout, title = "Scopewise identity graph"): string {
  const pad = 24;
  const pos = layout.positions;
  const placed = graph.nodes.filter((n) => pos[n.id]);
  const maxX = Math.max(0, ...placed.map((n) => pos[n.id]!.x + NODE_WIDTH));
  const maxY = Math.max(0, ...placed.map((n) => pos[n.id]!.y + NODE_HEIGHT));
  const w = Math.ceil(maxX + pad * 2);
  const h = Math.ceil(maxY + pad * 2);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${-pad} ${-pad} ${w} ${h}" font-family="system-ui, sans-serif">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="${-pad}" y="${-pad}" width="${w}" height="${h}" fill="#ffffff"/>`);
  out.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>`);
  for (const e of graph.edges) {
    const s = pos[e.source];
    const t = pos[e.target];
    if (!s || !t) continue;
    const x1 = s.x + NODE_WIDTH;
    const y1 = s.y + NODE_HEIGHT / 2;
    const x2 = t.x;
    const y2 = t.y + NODE_HEIGHT / 2;
    const dx = Math.max(40, (x2 - x1) / 2);
    const color = edgeHex(e.severity);
    const dash = e.broken ? ' stroke-dasharray="6 4"' : "";
    out.push(`<path d="M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}" fill="none" stroke="${color}" stroke-width="${e.severity ? 2.5 : 1.5}"${dash} marker-end="url(#arrow)"/>`);
    const label = edgeText(e);
    if (label) {
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      out.push(`<text x="${mx}" y="${my - 4}" font-size="11" text-anchor="middle" fill="${e.severity ? color : "#566373"}" paint-order="stroke" stroke="#ffffff" stroke-width="3">${escapeXml(clip(label, 48))}</text>`);
    }
  }
  for (const n of placed) {
    const p = pos[n.id]!;
    const accent = nodeAccent(n);
    const stroke = n.severity ? edgeHex(n.severity) : "#c5ccd5";
    out.push(`<g transform="translate(${p.x},${p.y})">`);
    out.push(`<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" fill="#ffffff" stroke="${stroke}" stroke-width="${n.severity ? 2 : 1}"/>`);
    out.push(`<rect width="5" height="${NODE_HEIGHT}" rx="2" fill="${accent}"/>`);
    out.push(`<text x="14" y="16" font-size="10" fill="#566373">${escapeXml(clip(NODE_KINDS[n.kind].label.toUpperCase() + (n.collapsed ? ` · ${n.counts?.hidden ?? 0} hidden` : ""), 40))}</text>`);
    out.push(`<text x="14" y="34" font-size="13" font-weight="600" fill="#1b2430">${escapeXml(clip(n.label, 30))}</text>`);
    if (n.sublabel) out.push(`<text x="14" y="50" font-size="11" fill="#566373">${escapeXml(clip(n.sublabel, 36))}</text>`);
    if (n.severity) out.push(`<text x="${NODE_WIDTH - 8}" y="16" font-size="10" font-weight="700" text-anchor="end" fill="${stroke}">${SEVERITY_GLYPH[n.severity]} ${n.severity.toUpperCase()}</text>`);
    out.push(`</g>`);
  }
  out.push(`</svg>`);
  return out.join("\n");
}

/** The text on an edge: its label, prefixed with the severity glyph and word when it carries findings. */
export function edgeText(e: Graph["edges"][number]): string {
  const base = e.label ?? "";
  if (!e.severity) return e.broken ? `${base}${base ? " · " : ""}broken` : base;
  return `${SEVERITY_GLYPH[e.severity]} ${e.severity.toUpperCase()}${base ? ` · ${base}` : ""}`;
}

/** Draws the SVG on a canvas at `scale` and returns a PNG; browser only. */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("The SVG could not be rendered to an image."));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("This browser cannot draw on a canvas.");
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("The PNG could not be encoded."))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
