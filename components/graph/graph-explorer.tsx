"use client";

import "@xyflow/react/dist/style.css";
import "./graph.css";
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { EDGE_KINDS, GROUPING_NODE_KINDS, NODE_KINDS, SEVERITY_GLYPH } from "@/lib/model/graph-schema";
import { collapseGraph } from "@/lib/graph/collapse";
import { NODE_HEIGHT, NODE_WIDTH } from "@/lib/graph/layout";
import type { Graph, GraphNode } from "@/lib/graph/types";
import { searchNodes } from "@/lib/graph/view";
import { download, edgeText, renderGraphSvg, svgToPng } from "./export-svg";
import { GraphLegend } from "./legend";
import { GraphNodeView, type FlowNode } from "./graph-node";
import { GraphSidePanel } from "./side-panel";
import { edgeColor, nodeAccent } from "./style";
import { useGraphLayout } from "./use-graph-layout";

const nodeTypes = { scopewise: GraphNodeView };

export interface GraphExplorerProps {
  graph: Graph;
  /** Groups collapsed when the view opens (namespaces in the tenant view). */
  initialCollapsed: string[];
  /** Link to the identity view, with `{identity}` standing for the identity key. */
  identityHrefTemplate: string;
  /** File name stem for exports. */
  exportName: string;
}

export function GraphExplorer(props: GraphExplorerProps) {
  return (
    <ReactFlowProvider>
      <Explorer {...props} />
    </ReactFlowProvider>
  );
}

function ariaLabelOf(n: GraphNode): string {
  const sev = n.severity ? `, ${n.severity} severity finding` : "";
  const hidden = n.collapsed ? `, collapsed, ${n.counts?.hidden ?? 0} hidden` : "";
  return `${NODE_KINDS[n.kind].label} ${n.label}${n.sublabel ? ` (${n.sublabel})` : ""}${sev}${hidden}`;
}

function Explorer({ graph, initialCollapsed, identityHrefTemplate, exportName }: GraphExplorerProps) {
  const flow = useReactFlow();
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set(initialCollapsed));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const [exportError, setExportError] = useState<string | null>(null);
  const pendingFocus = useRef<string | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const parents = useMemo(() => new Set(graph.nodes.map((n) => n.parentId).filter((p): p is string => !!p)), [graph]);
  const visible = useMemo(() => collapseGraph(graph, collapsed), [graph, collapsed]);
  const { layout, pending, error, ms } = useGraphLayout(visible);

  const toggle = useCallback((id: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const nodes: FlowNode[] = useMemo(
    () =>
      visible.nodes.map((n) => ({
        id: n.id,
        type: "scopewise" as const,
        position: layout?.positions[n.id] ?? { x: 0, y: 0 },
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        data: { node: n, canToggle: GROUPING_NODE_KINDS.has(n.kind) && parents.has(n.id), onToggle: toggle },
        selected: n.id === selectedId,
        draggable: false,
        connectable: false,
        ariaLabel: ariaLabelOf(n),
        domAttributes: { "data-kind": n.kind } as FlowNode["domAttributes"],
      })),
    [visible, layout, parents, toggle, selectedId],
  );

  const edges: Edge[] = useMemo(
    () =>
      visible.edges.map((e) => {
        const color = edgeColor(e.severity);
        const showLabel = e.kind === "holds-role" || e.kind === "uses-identity" || !!e.severity || !!e.broken;
        const highlighted = selectedId !== null && (e.source === selectedId || e.target === selectedId);
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          label: showLabel ? edgeText(e) : undefined,
          labelStyle: { fill: e.severity ? color : "#3d4753", fontSize: 11, fontWeight: e.severity ? 700 : 500 },
          labelBgStyle: { fill: "#ffffff", fillOpacity: 0.92 },
          labelBgPadding: [4, 2] as [number, number],
          style: {
            stroke: color,
            strokeWidth: e.severity ? 2.5 : highlighted ? 2 : 1.25,
            strokeDasharray: e.broken ? "6 4" : undefined,
            opacity: selectedId && !highlighted ? 0.45 : 1,
          },
          markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
          ariaLabel: `${byId.get(e.source)?.label ?? "?"} ${EDGE_KINDS[e.kind].label} ${byId.get(e.target)?.label ?? "?"}${e.label ? `: ${e.label}` : ""}${e.severity ? `, ${e.severity}` : ""}`,
          domAttributes: { "data-kind": e.kind, ...(e.severity ? { "data-severity": e.severity } : {}) } as Edge["domAttributes"],
          focusable: false,
          selectable: false,
        } satisfies Edge;
      }),
    [visible, selectedId, byId],
  );

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    for (const c of changes) {
      if (c.type !== "select") continue;
      if (c.selected) setSelectedId(c.id);
      else setSelectedId((cur) => (cur === c.id ? null : cur));
    }
  }, []);

  /** Shows a node: expands the groups hiding it, then centres and focuses it once laid out. */
  const focusNode = useCallback(
    (id: string) => {
      const hiding: string[] = [];
      for (let p = byId.get(id)?.parentId; p; p = byId.get(p)?.parentId) if (collapsed.has(p)) hiding.push(p);
      if (hiding.length) setCollapsed((prev) => new Set([...prev].filter((x) => !hiding.includes(x))));
      setSelectedId(id);
      pendingFocus.current = id;
    },
    [byId, collapsed],
  );

  useEffect(() => {
    const id = pendingFocus.current;
    if (!id || pending || !layout?.positions[id]) return;
    pendingFocus.current = null;
    void flow.fitView({ nodes: [{ id }], duration: 300, maxZoom: 1.1, padding: 0.6 });
    const el = wrapper.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
    el?.focus({ preventScroll: true });
  }, [layout, pending, flow]);

  // Re-fit when a fresh layout arrives for a new graph (not on every selection).
  const lastFit = useRef<unknown>(null);
  useEffect(() => {
    if (!layout || pending || lastFit.current === layout || pendingFocus.current) return;
    lastFit.current = layout;
    requestAnimationFrame(() => void flow.fitView({ padding: 0.08, duration: 0 }));
  }, [layout, pending, flow]);

  const results = useMemo(() => searchNodes(graph, query, 12), [graph, query]);
  const selected = selectedId ? (visible.nodes.find((n) => n.id === selectedId) ?? null) : null;

  const exportSvg = () => {
    if (!layout) return;
    download(new Blob([renderGraphSvg(visible, layout)], { type: "image/svg+xml" }), `${exportName}.svg`);
  };
  const exportPng = async () => {
    if (!layout) return;
    setExportError(null);
    try {
      download(await svgToPng(renderGraphSvg(visible, layout)), `${exportName}.png`);
    } catch (err) {
      setExportError((err as Error).message);
    }
  };

  const groupIds = visible.nodes.filter((n) => GROUPING_NODE_KINDS.has(n.kind) && n.kind === "namespace").map((n) => n.id);
  const flagged = visible.edges.filter((e) => e.severity).length;

  return (
    <div
      className="graph-shell"
      ref={wrapper}
      onKeyDown={(e) => {
        const nodeEl = (e.target as HTMLElement).closest?.(".react-flow__node");
        const id = nodeEl?.getAttribute("data-id");
        if (id && (e.key === "+" || e.key === "-") && parents.has(id) && GROUPING_NODE_KINDS.has(byId.get(id)?.kind ?? "cluster")) {
          const isCollapsed = collapsed.has(id);
          if ((e.key === "+") === isCollapsed) {
            toggle(id);
            pendingFocus.current = id;
          }
          e.preventDefault();
          return;
        }
        if (e.key === "Escape" && selectedId) {
          setSelectedId(null);
          e.stopPropagation();
        }
      }}
    >
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
                  focusNode(results[0].id);
                  setQuery("");
                }
              }}
              aria-controls="graph-search-results"
            />
          </label>
          {query.trim() ? (
            <ul id="graph-search-results" className="graph-search-results" aria-label="Matching nodes">
              {results.length === 0 ? <li className="muted">No node matches.</li> : null}
              {results.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    onClick={() => {
                      focusNode(n.id);
                      setQuery("");
                    }}
                  >
                    <span className="legend-swatch" style={{ background: nodeAccent(n) }} aria-hidden="true" /> {n.label}{" "}
                    <span className="muted">· {NODE_KINDS[n.kind].label}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <button type="button" className="button button-small" onClick={() => setCollapsed(new Set(graph.nodes.filter((n) => n.kind === "namespace").map((n) => n.id)))}>
          Collapse namespaces
        </button>
        <button type="button" className="button button-small" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
          Expand all
        </button>
        <button type="button" className="button button-small" onClick={() => void flow.fitView({ padding: 0.08, duration: 200 })}>
          Fit view
        </button>
        <button type="button" className="button button-small" onClick={exportSvg} disabled={!layout || pending}>
          Export SVG
        </button>
        <button type="button" className="button button-small" onClick={() => void exportPng()} disabled={!layout || pending}>
          Export PNG
        </button>
        <span className="graph-stats muted" role="status" aria-live="polite" data-layout-ms={ms !== undefined ? Math.round(ms) : undefined}>
          {pending ? "Laying out…" : `${visible.nodes.length} nodes · ${visible.edges.length} edges`}
          {flagged ? ` · ${flagged} flagged` : ""}
          {groupIds.length && collapsed.size ? ` · ${collapsed.size} collapsed` : ""}
        </span>
      </div>
      {error ? (
        <p className="callout callout-danger" role="alert">
          {error}
        </p>
      ) : null}
      {exportError ? (
        <p className="callout callout-warn" role="alert">
          Export failed: {exportError}
        </p>
      ) : null}
      <div className="graph-body">
        <div className="graph-canvas" aria-busy={pending}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onPaneClick={() => setSelectedId(null)}
            nodesDraggable={false}
            nodesConnectable={false}
            nodesFocusable
            edgesFocusable={false}
            elementsSelectable
            onlyRenderVisibleElements
            minZoom={0.05}
            maxZoom={2}
            deleteKeyCode={null}
            selectionKeyCode={null}
            multiSelectionKeyCode={null}
            aria-label="Identity graph"
            ariaLabelConfig={{
              "node.a11yDescription.default": "Press Enter to select this node and open its details, Escape to clear, + or − to expand or collapse a group. Tab moves to the next node.",
            }}
          >
            <Background gap={24} color="#e3e7ec" />
            <Controls showInteractive={false} position="bottom-left" />
            <MiniMap
              pannable
              zoomable
              position="bottom-right"
              ariaLabel="Mini map"
              nodeColor={(n) => {
                const d = (n as FlowNode).data?.node;
                return d?.severity ? edgeColor(d.severity) : d ? nodeAccent(d) : "#c5ccd5";
              }}
            />
          </ReactFlow>
          {visible.nodes.length === 0 ? (
            <div className="graph-empty" role="status">
              Nothing to draw in this view.
            </div>
          ) : null}
        </div>
        {selected ? (
          <GraphSidePanel
            graph={visible}
            node={selected}
            identityHref={selected.kind === "identity" ? identityHrefTemplate.replace("%7Bidentity%7D", encodeURIComponent(selected.entityId)) : undefined}
            onClose={() => setSelectedId(null)}
            onFocusNode={focusNode}
          />
        ) : (
          <aside className="graph-panel graph-panel-hint" aria-label="Details">
            <p className="muted">
              Select a node (click, or Tab to it and press Enter) to see its facts, findings and every path from a workload to the scopes it reaches.
            </p>
            <GraphLegend />
            <p className="muted graph-kbd">
              Severity is shown as colour and as {Object.values(SEVERITY_GLYPH).join(" ")} with the level written out.
            </p>
          </aside>
        )}
      </div>
    </div>
  );
}
