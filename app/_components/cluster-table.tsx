import Link from "next/link";
import type { ClusterRow } from "@/components/inventory/overview";
import { identitiesHref, defaultIdentityQuery } from "@/components/identities/query";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { ScrollRegion } from "@/components/ui/scroll-region";

const modeTone = { "user-assigned": "ok", "system-assigned": "neutral", "service principal": "warn", unknown: "neutral" } as const;

export function ClusterTable({ clusters }: { clusters: ClusterRow[] }) {
  return (
    <section className="card section">
      <ScrollRegion label="Clusters">
        <table className="data">
          <caption>
            Clusters<span className="caption-note">{formatCount(clusters.length)} AKS managed clusters</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Subscription</th>
              <th scope="col">Resource group</th>
              <th scope="col">Kubernetes</th>
              <th scope="col">Identity mode</th>
              <th scope="col">Identity features</th>
              <th scope="col" className="num">Identities</th>
              <th scope="col" className="num">Pods</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <div className="cell-title">{c.name}</div>
                  <div className="cell-sub">{c.location}</div>
                </th>
                <td>
                  <div>{c.subscriptionName}</div>
                  <div className="id">{c.subscriptionId}</div>
                </td>
                <td>{c.resourceGroup}</td>
                <td>{c.kubernetesVersion ?? <span className="muted">unknown</span>}</td>
                <td>
                  <Badge tone={modeTone[c.identityMode]} title={c.identityMode === "service principal" ? "Uses a service principal with a client secret that must be rotated" : undefined}>
                    {c.identityMode}
                  </Badge>
                </td>
                <td>
                  <div className="flags">
                    {c.workloadIdentity ? <Badge tone="accent">Workload identity</Badge> : null}
                    {c.oidcIssuer ? <Badge>OIDC issuer</Badge> : null}
                    {c.podIdentity ? (
                      <Badge tone="warn" title="aad-pod-identity is deprecated; pods reach identities through NMI on the node">
                        aad-pod-identity ({c.podIdentity})
                      </Badge>
                    ) : null}
                    {!c.workloadIdentity && !c.oidcIssuer && !c.podIdentity ? <span className="muted">None</span> : null}
                  </div>
                </td>
                <td className="num">
                  <Link href={identitiesHref(defaultIdentityQuery, { cluster: c.id })}>{formatCount(c.identities)}</Link>
                </td>
                <td className="num">
                  {c.pods === null ? (
                    <span className="muted" title="The cluster's Kubernetes API could not be read; see partial coverage">
                      not read
                    </span>
                  ) : (
                    formatCount(c.pods)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {clusters.length === 0 ? <EmptyState title="No AKS clusters in the scanned subscriptions" /> : null}
    </section>
  );
}
