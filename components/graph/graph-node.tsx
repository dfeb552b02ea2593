"use client";

import { Handle, Position, useStore, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { NODE_KINDS, SEVERITY_GLYPH } from "@/lib/model/graph-schema";
import type { GraphNode } from "@/lib/graph/types";
import { zoomLevel } from "@/lib/graph/zoom";
import { nodeAccent } from "./style";

export interface GraphNodeData extends Record<string, unknown> {
  node: GraphNode;
  /** The node holds others and can be collapsed or expanded. */
  canToggle: boolean;
  onToggle: (id: string) => void;
  /** Part of the answer to the question in the URL (or its target). */
  highlight?: "on-path" | "target";
}
export type FlowNode = Node<GraphNodeData, "scopewise">;

/** One node. Every string is rendered as text (React escapes it): names come from Azure and Kubernetes. */
function GraphNodeViewImpl({ data, selected }: NodeProps<FlowNode>) {
  const n = data.node;
  const kind = NODE_KINDS[n.kind];
  // Re-renders only when the level changes, not on every zoom step.
  const level = useStore((s) => zoomLevel(s.transform[2]));
  const attrs = { "data-kind": n.kind, "data-severity": n.severity, "data-selected": selected || undefined, "data-highlight": data.highlight, "data-zoom": level };
  if (level === "far") {
    // Too small to read: a block in the node's colour; the zoom overlay names the groups.
    return (
      <div className="gnode gnode-block" {...attrs} style={{ ["--accent" as string]: nodeAccent(n) }}>
        <Handle type="target" position={Position.Left} isConnectable={false} />
        <Handle type="source" position={Position.Right} isConnectable={false} />
      </div>
    );
  }
  if (level === "mid") {
    return (
      <div className="gnode gnode-mid" {...attrs} style={{ ["--accent" as string]: nodeAccent(n) }}>
        <Handle type="target" position={Position.Left} isConnectable={false} />
        <div className="gnode-label" title={n.label}>
          {n.severity ? <span aria-hidden="true">{SEVERITY_GLYPH[n.severity]} </span> : null}
          {n.label}
        </div>
        <Handle type="source" position={Position.Right} isConnectable={false} />
      </div>
    );
  }
  return (
    <div className="gnode" {...attrs} style={{ ["--accent" as string]: nodeAccent(n) }}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="gnode-top">
        <span className="gnode-kind">
          {kind.label}
          {n.collapsed ? ` · ${n.counts?.hidden ?? 0} hidden` : ""}
        </span>
        {n.severity ? (
          <span className="gnode-sev" data-severity={n.severity}>
            <span aria-hidden="true">{SEVERITY_GLYPH[n.severity]}</span> {n.severity}
          </span>
        ) : null}
      </div>
      <div className="gnode-label" title={n.label}>
        {n.label}
      </div>
      {n.sublabel ? (
        <div className="gnode-sub" title={n.sublabel}>
          {n.sublabel}
        </div>
      ) : null}
      {data.canToggle ? (
        <button
          type="button"
          className="gnode-toggle nodrag nopan"
          aria-label={`${n.collapsed ? "Expand" : "Collapse"} ${kind.label.toLowerCase()} ${n.label}`}
          aria-expanded={!n.collapsed}
          // Out of the tab order so Tab moves node to node; the keyboard uses + and − on the node.
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            data.onToggle(n.id);
          }}
          onKeyDown={(e) => e.stopPropagation()}
        >
          {n.collapsed ? "+" : "−"}
        </button>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export const GraphNodeView = memo(GraphNodeViewImpl);
