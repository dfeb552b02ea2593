import { describeFailedSource, SourceKind, SourceState, type ScanCoverage } from "@/lib/model/coverage";

/** "3 of 3 subscriptions · 2 of 3 clusters · Graph read", and the failed sources with why. */
export function CoverageSummary({ coverage }: { coverage?: ScanCoverage }) {
  if (!coverage) return <span className="muted">not recorded</span>;
  const count = (kind: SourceKind) => {
    const all = coverage.sources.filter((s) => s.kind === kind);
    return { read: all.filter((s) => s.state === SourceState.Read).length, total: all.length };
  };
  const subs = count(SourceKind.Subscription);
  const clusters = count(SourceKind.Cluster);
  const graph = coverage.sources.find((s) => s.kind === SourceKind.Graph);
  const failed = coverage.sources.filter((s) => s.state === SourceState.Failed);
  return (
    <>
      <div>
        {subs.read} of {subs.total} subscriptions · {clusters.read} of {clusters.total} clusters · Graph {graph?.state === SourceState.Read ? "read" : "not read"}
      </div>
      {failed.length > 0 ? (
        <details className="disclosure">
          <summary>{failed.length} not read</summary>
          <ul className="coverage-list">
            {failed.map((s) => (
              <li key={s.key}>{describeFailedSource(s)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
