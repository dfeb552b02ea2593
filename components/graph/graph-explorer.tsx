"use client";

import "@xyflow/react/dist/style.css";
import "./graph.css";
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type NodeChange } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { GROUPING_NODE_KINDS, SEVERITY_GLYPH } from "@/lib/model/graph-schema";
import { collapseGraph } from "@/lib/graph/collapse";
import { NODE_HEIGHT, NODE_WIDTH } from "@/lib/graph/layout";
import type { Graph } from "@/lib/graph/types";
import { summarizeLayout } from "@/lib/graph/zoom";
import { download, renderGraphSvg, svgToPng } from "./export-svg";
import { buildFlowEdges, buildFlowNodes, type Highlight } from "./flow-elements";
import { GraphLegend } from "./legend";
import { GraphNodeView, type FlowNode } from "./graph-node";
import { GraphSidePanel } from "./side-panel";
import { edgeColor, nodeAccent } from "./style";
import { GraphToolbar } from "./graph-toolbar";
import { useGraphLayout } from "./use-graph-layout";
import { useSelectionInUrl } from "./use-selection";
import { useZoomLevel, ZoomOverlay } from "./zoom-overlay";

const nodeTypes = { scopewise: GraphNodeView };

export interface GraphExplorerProps {
  graph: Graph;
  /** Groups collapsed when the view opens (namespaces in the tenant view). */
  initialCollapsed: string[];
  /** The node whose details open with the page (from the URL). */
  initialSelected?: string;
  /** The answer to the question in the URL, drawn emphasised. */
  highlight?: Highlight;
  /** Link to the identity view, with `{identity}` standing for the identity key. */
  identityHrefTemplate: string;
  /** File name stem for exports. */
  exportName: string;
  /** "address in file:line" of the Terraform block holding a role assignment or identity, by normalized assignment id / identity key. */
  managed?: Readonly<Record<string, string>>;
}

export function GraphExplorer(props: GraphExplorerProps) {
  return (
    <ReactFlowProvider>
      <Explorer {...props} />
    </ReactFlowProvider>
  );
}

const nodeElement = (root: HTMLElement | null, id: string) => root?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`) ?? null;

function Explorer({ graph, initialCollapsed, initialSelected, highlight, identityHrefTemplate, exportName, managed }: GraphExplorerProps) {
  const flow = useReactFlow();
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set(initialCollapsed));
  const [selectedId, setSelectedId] = useSelectionInUrl(initialSelected);
  const [exportError, setExportError] = useState<string | null>(null);
  // A node to centre and focus once it is laid out and drawn; `tick` re-runs the effect for a new request.
  const [focusRequest, setFocusRequest] = useState<{ id: string; tick: number } | null>(initialSelected ? { id: initialSelected, tick: 0 } : null);
  const panelFocus = useRef(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const zoomLevel = useZoomLevel();

  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const parents = useMemo(() => new Set(graph.nodes.map((n) => n.parentId).filter((p): p is string => !!p)), [graph]);
  const visible = useMemo(() => collapseGraph(graph, collapsed), [graph, collapsed]);
  const { layout, pending, error, ms } = useGraphLayout(visible);
  const summary = useMemo(() => (layout ? summarizeLayout(visible.nodes, layout.positions, { width: NODE_WIDTH, height: NODE_HEIGHT }) : { columns: [], runs: [] }), [visible, layout]);

  const toggle = useCallback((id: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const nodes = useMemo(() => buildFlowNodes(visible, layout, { parents, toggle, selectedId, highlight }), [visible, layout, parents, toggle, selectedId, highlight]);
  const edges = useMemo(() => buildFlowEdges(visible, { byId, selectedId, highlight, showLabels: zoomLevel === "near" }), [visible, selectedId, byId, highlight, zoomLevel]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      for (const c of changes) {
        if (c.type !== "select") continue;
        if (c.selected) setSelectedId(c.id);
        else setSelectedId((cur) => (cur === c.id ? null : cur));
      }
    },
    [setSelectedId],
  );

  /** Shows a node: expands the groups hiding it, selects it, then centres and focuses it once laid out. */
  const focusNode = useCallback(
    (id: string, select = true) => {
      const hiding: string[] = [];
      for (let p = byId.get(id)?.parentId; p; p = byId.get(p)?.parentId) if (collapsed.has(p)) hiding.push(p);
      if (hiding.length) setCollapsed((prev) => new Set([...prev].filter((x) => !hiding.includes(x))));
      if (select) setSelectedId(id);
      setFocusRequest((r) => ({ id, tick: (r?.tick ?? 0) + 1 }));
    },
    [byId, collapsed, setSelectedId],
  );

  useEffect(() => {
    if (!focusRequest || pending || !layout?.positions[focusRequest.id]) return;
    const { id } = focusRequest;
    setFocusRequest(null);
    void flow.fitView({ nodes: [{ id }], duration: 0, maxZoom: 1.1, padding: 0.6 }).then(() => {
      // The node is drawn once it is inside the viewport (only visible nodes are rendered).
      requestAnimationFrame(() => nodeElement(wrapper.current, id)?.focus({ preventScroll: true }));
    });
  }, [focusRequest, layout, pending, flow]);

  // Enter on a node opens its details and moves focus there; the panel's heading takes it.
  useEffect(() => {
    if (!panelFocus.current || !selectedId) return;
    panelFocus.current = false;
    document.getElementById("graph-panel-title")?.focus();
  }, [selectedId]);

  // Re-fit when a fresh layout arrives for a new graph (not on every selection).
  const lastFit = useRef<unknown>(null);
  useEffect(() => {
    if (!layout || pending || lastFit.current === layout || focusRequest) return;
    lastFit.current = layout;
    requestAnimationFrame(() => void flow.fitView({ padding: 0.08, duration: 0 }));
  }, [layout, pending, flow, focusRequest]);

  const selected = selectedId ? (visible.nodes.find((n) => n.id === selectedId) ?? null) : null;
  /** Closes the details and gives focus back to the node they were about. */
  const closePanel = () => {
    if (selectedId) focusNode(selectedId, false);
    setSelectedId(null);
  };

  const exportSvg = () => layout && download(new Blob([renderGraphSvg(visible, layout)], { type: "image/svg+xml" }), `${exportName}.svg`);
  const exportPng = async () => {
    if (!layout) return;
    setExportError(null);
    try {
      download(await svgToPng(renderGraphSvg(visible, layout)), `${exportName}.png`);
    } catch (err) {
      setExportError((err as Error).message);
    }
  };
  const flagged = visible.edges.filter((e) => e.severity).length;
  const hasNamespaces = visible.nodes.some((n) => n.kind === "namespace");

  return (
    <div
      className="graph-shell"
      ref={wrapper}
      onKeyDown={(e) => {
        const id = (e.target as HTMLElement).closest?.(".react-flow__node")?.getAttribute("data-id");
        if (id && (e.key === "+" || e.key === "-") && parents.has(id) && GROUPING_NODE_KINDS.has(byId.get(id)?.kind ?? "cluster")) {
          if ((e.key === "+") === collapsed.has(id)) {
            toggle(id);
            setFocusRequest((r) => ({ id, tick: (r?.tick ?? 0) + 1 }));
          }
          e.preventDefault();
          return;
        }
        if (id && e.key === "Enter") panelFocus.current = true;
        if (e.key === "Escape" && selectedId) {
          if (!id) closePanel();
          else setSelectedId(null);
          e.stopPropagation();
        }
      }}
    >
      <GraphToolbar
        graph={graph}
        onFind={(id) => focusNode(id)}
        onCollapseNamespaces={() => setCollapsed(new Set(graph.nodes.filter((n) => n.kind === "namespace").map((n) => n.id)))}
        onExpandAll={() => setCollapsed(new Set())}
        canExpand={collapsed.size > 0}
        onFit={() => void flow.fitView({ padding: 0.08, duration: 200 })}
        onExportSvg={exportSvg}
        onExportPng={() => void exportPng()}
        canExport={!!layout && !pending}
        layoutMs={ms}
        status={`${pending ? "Laying out…" : `${visible.nodes.length} nodes · ${visible.edges.length} edges`}${flagged ? ` · ${flagged} flagged` : ""}${hasNamespaces && collapsed.size ? ` · ${collapsed.size} collapsed` : ""}`}
      />
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
        <div className="graph-canvas" aria-busy={pending} data-zoom={zoomLevel} data-question={highlight ? "" : undefined}>
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
              "node.a11yDescription.default":
                "Press Enter to open this node's details (focus moves to them; Escape brings you back), + or − to expand or collapse a group. Tab moves to the next node.",
            }}
          >
            <Background gap={24} color="var(--graph-grid)" />
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
            <ZoomOverlay summary={summary} />
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
            onClose={closePanel}
            onFocusNode={(id) => focusNode(id)}
            managed={managed}
          />
        ) : (
          <aside className="graph-panel graph-panel-hint" aria-label="Details">
            <p className="muted">
              Select a node (click, or Tab to it and press Enter) to see its facts, findings and every path from a workload to the scopes it reaches. Zoom in to read names; zoomed out, groups are labelled instead.
            </p>
            <GraphLegend />
            <p className="muted graph-kbd">Severity is shown as colour and as {Object.values(SEVERITY_GLYPH).join(" ")} with the level written out.</p>
          </aside>
        )}
      </div>
    </div>
  );
}
