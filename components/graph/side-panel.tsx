"use client";

import Link from "next/link";
import { useMemo } from "react";
import { EDGE_KINDS, NODE_KINDS, SCOPE_NODE_KINDS, SEVERITY_GLYPH } from "@/lib/model/graph-schema";
import { tracePaths } from "@/lib/graph/paths";
import type { Graph, GraphEdge, GraphNode } from "@/lib/graph/types";
import { reachHref } from "./links";
import { SEVERITY_COLOR } from "./style";

function Sev({ severity }: { severity?: GraphNode["severity"] }) {
  if (!severity) return null;
  return (
    <span className="sev-badge" style={{ color: SEVERITY_COLOR[severity], borderColor: SEVERITY_COLOR[severity] }}>
      <span aria-hidden="true">{SEVERITY_GLYPH[severity]}</span> {severity}
    </span>
  );
}

/**
 * Facts, findings, roles and paths of the selected node. `graph` is the visible graph (after
 * collapsing); paths are traced in it so they match what is drawn.
 */
export function GraphSidePanel({
  graph,
  node,
  identityHref,
  onClose,
  onFocusNode,
  managed = {},
}: {
  graph: Graph;
  node: GraphNode;
  identityHref?: string;
  onClose: () => void;
  onFocusNode: (id: string) => void;
  /** Terraform blocks holding role assignments and identities (GraphExplorerProps.managed). */
  managed?: Readonly<Record<string, string>>;
}) {
  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const traced = useMemo(() => tracePaths(graph, node.id, 30), [graph, node.id]);
  const roleEdges = graph.edges.filter((e) => e.kind === "holds-role" && e.source === node.id);
  const incomingRoles = graph.edges.filter((e) => e.kind === "holds-role" && e.target === node.id);
  const findings = node.findingIds.map((id) => graph.findings[id]).filter((f) => !!f);
  const labelOf = (id: string) => byId.get(id)?.label ?? id;
  const managedOf = (id: string) => managed[id.toLowerCase()];
  const nodeManaged = node.kind === "identity" ? managedOf(node.entityId) : undefined;

  const paths = [...traced.paths].sort((a, b) => Number(!a.some((s) => s.via?.severity)) - Number(!b.some((s) => s.via?.severity)));

  return (
    <aside className="graph-panel" aria-labelledby="graph-panel-title">
      <div className="graph-panel-head">
        <div>
          <div className="muted graph-panel-kind">{NODE_KINDS[node.kind].label}</div>
          {/* Focus lands here when a node is opened with Enter; Escape returns it to the node. */}
          <h2 id="graph-panel-title" tabIndex={-1}>
            {node.label}
          </h2>
          {node.sublabel ? <div className="muted">{node.sublabel}</div> : null}
        </div>
        <button type="button" className="button button-small" onClick={onClose} aria-label="Close details (Escape)">
          ✕
        </button>
      </div>
      {node.severity ? (
        <p>
          <Sev severity={node.severity} /> {findings.length} finding{findings.length === 1 ? "" : "s"}
        </p>
      ) : null}
      {identityHref ? (
        <p>
          <Link href={identityHref}>Show this identity&apos;s full chain</Link>
        </p>
      ) : null}
      {SCOPE_NODE_KINDS.has(node.kind) && !node.collapsed ? (
        <p>
          <Link href={reachHref(node.entityId)}>Who can reach this {NODE_KINDS[node.kind].label.toLowerCase()}?</Link>
        </p>
      ) : null}

      <section aria-labelledby="gp-facts">
        <h3 id="gp-facts">Facts</h3>
        <dl className="graph-facts">
          {node.facts.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
          {nodeManaged ? (
            <div>
              <dt>Managed by Terraform</dt>
              <dd>
                <code>{nodeManaged}</code>
              </dd>
            </div>
          ) : null}
          {node.counts?.hidden ? (
            <div>
              <dt>Collapsed</dt>
              <dd>{node.counts.hidden} nodes hidden inside; expand to see them</dd>
            </div>
          ) : null}
        </dl>
      </section>

      {roleEdges.length > 0 ? (
        <section aria-labelledby="gp-roles">
          <h3 id="gp-roles">Roles</h3>
          <ul className="graph-list" aria-label="Roles held">
            {roleEdges.flatMap((e) => (e.roles ?? []).map((r) => ({ e, r }))).map(({ e, r }) => (
              <li key={r.assignmentId} data-severity={r.severity}>
                <strong>{r.roleName}</strong> at{" "}
                <button type="button" className="linklike" onClick={() => onFocusNode(e.target)}>
                  {labelOf(e.target)}
                </button>{" "}
                <Sev severity={r.severity} />
                {managedOf(r.assignmentId) ? (
                  <div className="muted">
                    Managed by Terraform: <code>{managedOf(r.assignmentId)}</code>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {incomingRoles.length > 0 ? (
        <section aria-labelledby="gp-held">
          <h3 id="gp-held">Roles held here</h3>
          <ul className="graph-list">
            {incomingRoles.flatMap((e) => (e.roles ?? []).map((r) => ({ e, r }))).map(({ e, r }) => (
              <li key={r.assignmentId}>
                <button type="button" className="linklike" onClick={() => onFocusNode(e.source)}>
                  {labelOf(e.source)}
                </button>
                : {r.roleName} <Sev severity={r.severity} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="gp-findings">
        <h3 id="gp-findings">Findings</h3>
        {findings.length === 0 ? (
          <p className="muted">No findings on this node.</p>
        ) : (
          <ul className="graph-list" aria-label="Findings">
            {findings.map((f) => (
              <li key={f.id}>
                <Sev severity={f.severity} /> <Link href={`/findings/${encodeURIComponent(f.id)}`}>{f.title}</Link>
                {f.roleName ? <span className="muted"> · {f.roleName}</span> : null}
                <div>
                  <Link className="muted" href={`/findings/${encodeURIComponent(f.id)}/fix`}>
                    Fix it…
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="gp-paths">
        <h3 id="gp-paths">Paths from workloads to scopes</h3>
        {paths.length === 0 ? (
          <p className="muted">No path through this node reaches a scope in this view.</p>
        ) : (
          <ol className="graph-paths">
            {paths.map((p, i) => (
              <li key={i}>
                {p.map((s, j) => (
                  <span key={j}>
                    {s.via ? <PathArrow edge={s.via} /> : null}
                    <button type="button" className="linklike" data-current={s.nodeId === node.id || undefined} onClick={() => onFocusNode(s.nodeId)}>
                      {labelOf(s.nodeId)}
                    </button>
                  </span>
                ))}
              </li>
            ))}
          </ol>
        )}
        {traced.truncated ? <p className="muted">More paths exist; the first {paths.length} are shown.</p> : null}
      </section>
    </aside>
  );
}

function PathArrow({ edge }: { edge: { kind: GraphEdge["kind"]; label?: string; severity?: GraphEdge["severity"]; broken?: boolean } }) {
  const text = edge.kind === "holds-role" ? (edge.label ?? "") : EDGE_KINDS[edge.kind].label;
  return (
    <span className="path-arrow" style={edge.severity ? { color: SEVERITY_COLOR[edge.severity], fontWeight: 600 } : undefined}>
      {" "}
      —{edge.severity ? `${SEVERITY_GLYPH[edge.severity]} ` : ""}
      {text}
      {edge.broken ? " (broken)" : ""}→{" "}
    </span>
  );
}
