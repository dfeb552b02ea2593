import type { Metadata } from "next";
import Link from "next/link";
import { loadInventory } from "@/app/_lib/inventory";
import { hasIdentityFilters, identitiesHref, identityQueryString, listIdentityPage, parseIdentityQuery, defaultIdentityQuery } from "@/components/identities/query";
import { ExportLinks } from "@/components/exports/export-links";
import { buildIdentityRows } from "@/components/identities/rows";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { DataNotices } from "@/components/ui/data-notices";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { Pagination } from "@/components/ui/pagination";
import { IdentityFilters } from "./_components/identity-filters";
import { IdentityTable } from "./_components/identity-table";

export const metadata: Metadata = { title: "Identities" };

export default async function IdentitiesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { data: query, errors: queryErrors } = parseIdentityQuery(await searchParams);
  const loaded = await loadInventory();
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Identities</h1>
        </div>
        <InventoryUnavailable message={loaded.message} pending={loaded.pending} />
      </>
    );
  }
  const { inventory } = loaded.result;
  const all = buildIdentityRows(inventory);
  const page = listIdentityPage(all, query);
  const filtered = hasIdentityFilters(query);
  const clearHref = identitiesHref(defaultIdentityQuery, { sort: query.sort, dir: query.dir });
  const clusters = inventory.clusters.map((c) => ({ value: c.id, label: c.name })).sort((a, b) => a.label.localeCompare(b.label));
  const subscriptions = inventory.subscriptions
    .map((s) => ({ value: s.subscriptionId, label: s.displayName }))
    .sort((a, b) => a.label.localeCompare(b.label));

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Identities</h1>
          <p>Every principal acting for a cluster or holding roles in its scopes: what it may do, where, and which pods use it.</p>
        </div>
      </div>
      {queryErrors.length > 0 ? (
        <div className="callout callout-warn" role="status">
          <h2>Some filters in the link were not understood</h2>
          <ul className="problem-list inherit-color">
            {queryErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <DataNotices errors={inventory.errors.length} what="this list may be incomplete" />
      <section className="card section">
        <IdentityFilters query={query} clusters={clusters} subscriptions={subscriptions} />
        {all.length === 0 ? (
          <EmptyState title="No identities in this tenant">
            <p>The scan found no cluster identities and no principals with role assignments in the scanned subscriptions.</p>
          </EmptyState>
        ) : page.total === 0 ? (
          <EmptyState title="No identities match these filters">
            <p>
              {formatCount(all.length)} identities exist. <Link href={clearHref}>Clear filters</Link>
            </p>
          </EmptyState>
        ) : (
          <IdentityTable
            rows={page.rows}
            query={query}
            caption={
              <>
                Identities
                <span className="caption-note">
                  {filtered ? `${formatCount(page.total)} of ${formatCount(all.length)} match` : `${formatCount(all.length)} in total`}
                  {filtered ? (
                    <>
                      {" · "}
                      <Link href={clearHref}>Clear filters</Link>
                    </>
                  ) : null}
                  {" · "}
                  <ExportLinks href="/api/identities/export" query={identityQueryString(query)} noun={filtered ? "the matching identities" : "all identities"} />
                  {" · "}
                  <ExportLinks
                    href="/api/role-assignments/export"
                    query={query.subscription ? `subscription=${query.subscription}` : ""}
                    noun={query.subscription ? "the role assignments in this subscription" : "every role assignment"}
                    label={query.subscription ? "Role assignments in this subscription" : "All role assignments"}
                  />
                </span>
              </>
            }
            footer={
              <Pagination
                page={page.page}
                pageCount={page.pageCount}
                from={page.from}
                to={page.to}
                total={page.total}
                noun="identities"
                hrefFor={(p) => identitiesHref(query, { page: p })}
              />
            }
          />
        )}
      </section>
    </>
  );
}
