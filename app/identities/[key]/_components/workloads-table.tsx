import type { BoundWorkloadView } from "@/components/identities/detail";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, plural } from "@/components/ui/format";
import { ScrollRegion } from "@/components/ui/scroll-region";

export function WorkloadsTable({ workloads, kubernetesPartial }: { workloads: BoundWorkloadView[]; kubernetesPartial: boolean }) {
  return (
    <section className="card section" aria-labelledby="workloads-title">
      <ScrollRegion label="Bound workloads">
        <table className="data">
          <caption id="workloads-title">
            Bound workloads<span className="caption-note">{formatCount(workloads.length)} workloads can act as this identity</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Workload</th>
              <th scope="col">Cluster</th>
              <th scope="col">Namespace</th>
              <th scope="col">Binding path</th>
              <th scope="col">Pods</th>
            </tr>
          </thead>
          <tbody>
            {workloads.map((w) => (
              <tr key={w.linkId}>
                <th scope="row">
                  <div className="cell-sub">{w.workloadKind}</div>
                  <div className="cell-title">{w.workloadName}</div>
                </th>
                <td title={w.clusterId}>{w.clusterName}</td>
                <td>{w.namespace}</td>
                <td>
                  <div style={{ marginBottom: 4 }}>
                    <Badge tone={w.mechanism === "aad-pod-identity" ? "warn" : "accent"}>{w.mechanismLabel}</Badge>{" "}
                    {w.complete ? null : <Badge tone="danger">Incomplete chain</Badge>}
                  </div>
                  <ol className="chain" aria-label={`Binding path of ${w.workloadName}`}>
                    {w.steps.map((s) => (
                      <li key={`${s.kind}-${s.name}`}>
                        <span className="chain-step" title={s.detail}>
                          <b>{s.kind}</b>
                          {s.name}
                        </span>
                      </li>
                    ))}
                  </ol>
                  {w.problems.length > 0 ? (
                    <ul className="problem-list" aria-label="Problems">
                      {w.problems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
                <td>
                  {w.pods.length === 0 ? (
                    <span className="muted">No pod uses it{w.workloadPodCount > 0 ? ` (of ${w.workloadPodCount})` : ""}</span>
                  ) : (
                    <details className="disclosure">
                      <summary>
                        {plural(w.pods.length, "pod")}
                        {w.workloadPodCount !== w.pods.length ? ` of ${w.workloadPodCount}` : ""}
                      </summary>
                      <ul className="pod-list">
                        {w.pods.map((p) => (
                          <li key={p.id} title={p.nodeName ? `on node ${p.nodeName}` : undefined}>
                            {p.name}
                            {p.phase && p.phase !== "Running" ? <span className="muted"> ({p.phase})</span> : null}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {workloads.length === 0 ? (
        <EmptyState title="No workload is bound to this identity">
          <p>
            {kubernetesPartial
              ? "Some clusters' Kubernetes APIs could not be read, so bindings there are unknown."
              : "No pod reaches it through workload identity, aad-pod-identity or a client id in its environment."}
          </p>
        </EmptyState>
      ) : null}
    </section>
  );
}
