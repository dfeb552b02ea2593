"use client";

import { useMemo, useState } from "react";
import { NODE_KINDS } from "@/lib/model/graph-schema";
import type { Graph } from "@/lib/graph/types";
import { searchNodes } from "@/lib/graph/view";
import { nodeAccent } from "./style";

export interface GraphToolbarProps {
  graph: Graph;
  onFind: (nodeId: string) => void;
  onCollapseNamespaces: () => void;
  onExpandAll: () => void;
  canExpand: boolean;
  onFit: () => void;
  onExportSvg: () => void;
  onExportPng: () => void;
  canExport: boolean;
  /** The status line: node and edge counts, or "Laying out…". */
  status: string;
  layoutMs?: number;
}

/** Search (the list of matches exists, and is referenced, only while there is a query), grouping, fit and export. */
export function GraphToolbar(props: GraphToolbarProps) {
  const [query, setQuery] = useState("");
  const results = useMemo(() => searchNodes(props.graph, query, 12), [props.graph, query]);
  const open = query.trim() !== "";
  const pick = (id: string) => {
    props.onFind(id);
    setQuery("");
  };
  return (
    <div className="graph-toolbar" role="toolbar" aria-label="Graph tools">
      <div className="graph-search">
        <label className="field">
          Find a node
          <input
            className="input"
            type="search"
            value={query}
            maxLength={200}
            placeholder="Identity, workload, scope…"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && results[0]) {
                e.preventDefault();
                pick(results[0].id);
              }
            }}
            aria-controls={open ? "graph-search-results" : undefined}
            aria-describedby="graph-search-count"
          />
        </label>
        <span id="graph-search-count" className="visually-hidden" aria-live="polite">
          {open ? `${results.length} matching node${results.length === 1 ? "" : "s"}; Enter picks the first.` : ""}
        </span>
        {open ? (
          <ul id="graph-search-results" className="graph-search-results" aria-label="Matching nodes">
            {results.length === 0 ? <li className="muted">No node matches.</li> : null}
            {results.map((n) => (
              <li key={n.id}>
                <button type="button" onClick={() => pick(n.id)}>
                  <span className="legend-swatch" style={{ background: nodeAccent(n) }} aria-hidden="true" /> {n.label} <span className="muted">· {NODE_KINDS[n.kind].label}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <button type="button" className="button button-small" onClick={props.onCollapseNamespaces}>
        Collapse namespaces
      </button>
      <button type="button" className="button button-small" onClick={props.onExpandAll} disabled={!props.canExpand}>
        Expand all
      </button>
      <button type="button" className="button button-small" onClick={props.onFit}>
        Fit view
      </button>
      <button type="button" className="button button-small" onClick={props.onExportSvg} disabled={!props.canExport}>
        Export SVG
      </button>
      <button type="button" className="button button-small" onClick={props.onExportPng} disabled={!props.canExport}>
        Export PNG
      </button>
      <span className="graph-stats muted" role="status" aria-live="polite" data-layout-ms={props.layoutMs !== undefined ? Math.round(props.layoutMs) : undefined}>
        {props.status}
      </span>
    </div>
  );
}
