import { partialCoverageNotice } from "@/lib/model/vocabulary";
import type { ErrorRow } from "./overview";

/**
 * Parts of the tenant the scan could not read. Everything shown elsewhere is true for what
 * was read; these parts are unknown — never "none found".
 */
export function PartialCoverage({ errors }: { errors: ErrorRow[] }) {
  if (errors.length === 0) return null;
  return (
    <section className="callout callout-warn" aria-labelledby="partial-coverage-title">
      <h2 id="partial-coverage-title">{partialCoverageNotice(errors.length)}</h2>
      <p>Counts and tables below cover only what was read. What failed is unknown, not empty.</p>
      <ul className="error-list">
        {errors.map((e, i) => (
          <li key={`${e.source}-${e.scope ?? ""}-${e.cluster ?? ""}-${i}`}>
            <div>
              <code>{e.source}</code>
              {e.status ? <span className="muted"> · HTTP {e.status}</span> : null}
              {e.code ? <span className="muted"> · {e.code}</span> : null}
            </div>
            <div>
              <div>{e.message}</div>
              {e.cluster ? (
                <div className="cell-sub">
                  Cluster {e.clusterName} <span className="id">{e.cluster}</span>
                </div>
              ) : null}
              {e.scope ? (
                <div className="cell-sub">
                  Scope <span className="id">{e.scope}</span>
                </div>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
