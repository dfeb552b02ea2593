import type { Evidence, Finding } from "@/lib/model/findings";
import { capList, type BlastRadius, type ReachedResource } from "./blast-radius";

const LIST_LIMIT = 12;

function ResourceList({ items, label }: { items: ReachedResource[]; label: string }) {
  if (items.length === 0) return <p className="muted">None</p>;
  const { shown, more } = capList(items, LIST_LIMIT);
  return (
    <ul className="radius-list" aria-label={label}>
      {shown.map((r) => (
        <li key={r.id} title={r.id}>
          {r.name} <span className="via">({r.type.split("/").slice(1).join("/")} · {r.via.join(", ")})</span>
        </li>
      ))}
      {more > 0 ? <li className="muted">+{more} more</li> : null}
    </ul>
  );
}

function ReachColumn({ title, reach, testId }: { title: string; reach: BlastRadius["now"]; testId: string }) {
  return (
    <section className="card" aria-label={title} data-testid={testId}>
      <div className="section-header">
        <h3>{title}</h3>
      </div>
      <div className="section-body">
        <p className="radius-counts">
          <span>
            <b data-testid={`${testId}-write`}>{reach.write.length}</b> writable
          </span>
          <span>
            <b data-testid={`${testId}-read`}>{reach.read.length}</b> read-only
          </span>
        </p>
        <h4 style={{ margin: "8px 0 0" }}>Can change</h4>
        <ResourceList items={reach.write} label={`${title}: can change`} />
        <h4 style={{ margin: "8px 0 0" }}>Can read</h4>
        <ResourceList items={reach.read} label={`${title}: can read`} />
        {reach.unknownRoles.length > 0 ? (
          <p className="cell-sub">Reach unknown for role(s) the scan could not resolve: {reach.unknownRoles.join(", ")}.</p>
        ) : null}
      </div>
    </section>
  );
}

/** Step 1: the finding, its evidence, and what the identity reaches now and after the chosen fix. */
export function UnderstandStep({ finding, evidence, radius, identityLabel }: { finding: Finding; evidence: Evidence[]; radius?: BlastRadius; identityLabel?: string }) {
  return (
    <>
      <section className="card section" aria-labelledby="u-what">
        <div className="section-header">
          <h2 id="u-what">What was found</h2>
        </div>
        <div className="section-body">
          <p style={{ marginTop: 0 }}>{finding.message}</p>
          <h3>Evidence</h3>
          <ul className="radius-list" aria-label="Evidence">
            {evidence.map((e, i) => (
              <li key={`${e.source}-${i}`}>
                {e.fact} <span className="id">{e.source}</span>
              </li>
            ))}
          </ul>
        </div>
      </section>
      <section className="card section" aria-labelledby="u-radius">
        <div className="section-header">
          <h2 id="u-radius">Blast radius{identityLabel ? ` of ${identityLabel}` : ""}</h2>
          <p>Resources under each of its role assignments&apos; scopes whose type the role governs, now and once this fix is applied</p>
        </div>
        <div className="section-body">
          {radius ? (
            <>
              <h3>What this fix changes</h3>
              <p className="muted" style={{ marginTop: 0 }}>
                The reach of the assignment(s) the fix removes, against the reach of those it creates
              </p>
              <div className="radius-grid">
                <ReachColumn title="Now" reach={radius.changedNow} testId="reach-now" />
                <ReachColumn title="After the fix" reach={radius.changedAfter} testId="reach-after" />
              </div>
              <p>
                {radius.noLongerReachable.length + radius.noLongerWritable.length === 0
                  ? "Counting all its other assignments, the identity reaches the same resources after the fix; the fix changes how (role, scope or mechanism)."
                  : `Counting all its other assignments, after the fix it can no longer change ${radius.noLongerWritable.length} resource(s) and no longer reach ${radius.noLongerReachable.length} at all.`}
              </p>
              {radius.newlyReachable.length > 0 ? (
                <p className="callout callout-warn" style={{ marginTop: 8 }}>
                  These choices reach {radius.newlyReachable.length} resource(s) it cannot reach today: {radius.newlyReachable.map((r) => r.name).join(", ")}.
                </p>
              ) : null}
              <details className="disclosure">
                <summary>
                  Everything the identity reaches through all its assignments: {radius.now.write.length} writable and {radius.now.read.length} read-only now, {radius.after.write.length} and{" "}
                  {radius.after.read.length} after
                </summary>
                <div className="radius-grid" style={{ marginTop: 8 }}>
                  <ReachColumn title="All assignments now" reach={radius.now} testId="total-now" />
                  <ReachColumn title="All assignments after" reach={radius.after} testId="total-after" />
                </div>
              </details>
            </>
          ) : (
            <p className="muted">This finding names no principal, so there is no role reach to compare.</p>
          )}
        </div>
      </section>
    </>
  );
}
