import { ALL_NODE_KINDS, NODE_KINDS, SEVERITY_GLYPH } from "@/lib/model/graph-schema";
import { SEVERITY_ORDER } from "@/lib/model/findings";
import { IdentityKind } from "@/lib/model/types";
import { IDENTITY_KIND_ORDER, IdentityKindLabel } from "@/lib/model/vocabulary";
import { NEUTRAL_EDGE, SEVERITY_COLOR, nodeAccent } from "./style";

/** The identity kinds the graph draws: every kind that acts for a cluster or reaches its resources. */
const IDENTITY_JOBS = IDENTITY_KIND_ORDER.filter((k) => k !== IdentityKind.Other);

export function GraphLegend() {
  return (
    <details className="graph-legend" open>
      <summary>Legend</summary>
      <div className="graph-legend-body">
        <section aria-label="Severity">
          <h3>Over-broad grants</h3>
          <ul>
            {SEVERITY_ORDER.map((s) => (
              <li key={s}>
                <span className="legend-line" style={{ background: SEVERITY_COLOR[s] }} aria-hidden="true" />
                <span style={{ color: SEVERITY_COLOR[s], fontWeight: 600 }}>{SEVERITY_GLYPH[s]}</span> {s}
              </li>
            ))}
            <li>
              <span className="legend-line" style={{ background: NEUTRAL_EDGE }} aria-hidden="true" /> no finding
            </li>
            <li>
              <span className="legend-line legend-dashed" aria-hidden="true" /> broken chain
            </li>
          </ul>
        </section>
        <section aria-label="Identities">
          <h3>Identities</h3>
          <ul>
            {IDENTITY_JOBS.map((k) => (
              <li key={k}>
                <span className="legend-swatch" style={{ background: nodeAccent({ kind: "identity", identityKind: k }) }} aria-hidden="true" /> {IdentityKindLabel[k]}
              </li>
            ))}
          </ul>
        </section>
        <section aria-label="Other nodes">
          <h3>Nodes</h3>
          <ul>
            {ALL_NODE_KINDS.filter((k) => k !== "identity").map((k) => (
              <li key={k}>
                <span className="legend-swatch" style={{ background: nodeAccent({ kind: k }) }} aria-hidden="true" /> {NODE_KINDS[k].label}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </details>
  );
}
