import Link from "next/link";
import type { SubscriptionRow } from "@/components/inventory/overview";
import { identitiesHref, defaultIdentityQuery } from "@/components/identities/query";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { ScrollRegion } from "@/components/ui/scroll-region";

export function SubscriptionTable({ subscriptions }: { subscriptions: SubscriptionRow[] }) {
  return (
    <section className="card section">
      <ScrollRegion label="Subscriptions">
        <table className="data">
          <caption>
            Subscriptions<span className="caption-note">{formatCount(subscriptions.length)} scanned</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Subscription id</th>
              <th scope="col">Management group</th>
              <th scope="col">State</th>
              <th scope="col" className="num">Clusters</th>
              <th scope="col" className="num">Role assignments</th>
              <th scope="col" className="num">User-assigned identities</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link className="cell-title" href={identitiesHref(defaultIdentityQuery, { subscription: s.subscriptionId })}>
                    {s.name}
                  </Link>
                </th>
                <td className="id">{s.subscriptionId}</td>
                <td>{s.managementGroup ?? <span className="muted">—</span>}</td>
                <td>
                  <Badge tone={s.state === "Enabled" ? "ok" : "warn"}>{s.state}</Badge>
                </td>
                <td className="num">{formatCount(s.clusters)}</td>
                <td className="num">{formatCount(s.roleAssignments)}</td>
                <td className="num">{formatCount(s.userAssignedIdentities)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {subscriptions.length === 0 ? <EmptyState title="No subscriptions were visible to the scan" /> : null}
    </section>
  );
}
