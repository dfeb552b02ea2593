/**
 * The layers table of docs/architecture.md, generated from layers.mjs so the document and
 * the lint rule cannot disagree. `npm run docs` rewrites the part between the markers;
 * lib/testing/import-boundary.test.ts fails when it is stale.
 */
import { layers } from "./layers.mjs";

export const BEGIN = "<!-- layers:begin (generated from scripts/architecture/layers.mjs) -->";
export const END = "<!-- layers:end -->";
export const ARCHITECTURE_DOC = "docs/architecture.md";

export function layersTableMarkdown(): string {
  const rows = layers.map((l) => {
    const flags = [l.pure ? "pure (no I/O)" : "", l.noSdk ? "no SDK" : "", ...(l.deny ?? []).map((d) => `not \`${d}\``)].filter(Boolean).join("; ");
    return `| \`${l.name}\` | ${l.paths.map((p) => `\`${p}\``).join(", ")} | ${l.may.length ? l.may.map((m) => `\`${m}\``).join(", ") : "—"} | ${flags || "—"} | ${l.why} |`;
  });
  return ["| layer | where | may import | limits | job |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** The document with its generated section replaced. */
export function withLayersTable(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${ARCHITECTURE_DOC} has no ${BEGIN} … ${END} section`);
  return `${doc.slice(0, start + BEGIN.length)}\n${layersTableMarkdown()}\n${doc.slice(end)}`;
}
