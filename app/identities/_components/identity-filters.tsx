"use client";

import type { IdentityKind } from "@/lib/model/types";
import { IDENTITY_KIND_ORDER, IdentityKindLabel } from "@/lib/model/vocabulary";
import { identitiesHref, type IdentityQuery } from "@/components/identities/query";
import { FilterSelect, useUrlFilters, type FilterOption } from "@/components/ui/url-filters";

const kindOptions: FilterOption[] = IDENTITY_KIND_ORDER.map((k) => ({ value: k, label: IdentityKindLabel[k] }));

/** Filter controls for the identities list (see useUrlFilters for how they drive the URL). */
export function IdentityFilters({ query, clusters, subscriptions }: { query: IdentityQuery; clusters: FilterOption[]; subscriptions: FilterOption[] }) {
  const { pending, q, navigate, onSubmit, onSearchChange } = useUrlFilters(query, identitiesHref);
  return (
    <form className="toolbar" role="search" aria-label="Filter identities" method="get" action="/identities" onSubmit={onSubmit} aria-busy={pending}>
      <label className="field field-grow">
        Search
        <input className="input" type="search" name="q" value={q} maxLength={200} placeholder="Name, principal id, client id or role" onChange={onSearchChange} />
      </label>
      <FilterSelect label="Kind" name="kind" value={query.kind} allLabel="All kinds" options={kindOptions} onChange={(v) => navigate({ kind: v as IdentityKind | undefined })} />
      <FilterSelect label="Cluster" name="cluster" value={query.cluster} allLabel="All clusters" options={clusters} onChange={(v) => navigate({ cluster: v })} />
      <FilterSelect label="Subscription" name="subscription" value={query.subscription} allLabel="All subscriptions" options={subscriptions} onChange={(v) => navigate({ subscription: v })} />
      {query.sort !== "scope" || query.dir !== "asc" ? (
        <>
          <input type="hidden" name="sort" value={query.sort} />
          <input type="hidden" name="dir" value={query.dir} />
        </>
      ) : null}
      <button type="submit" className="button">
        Apply
      </button>
      <span className="inline-status" role="status" aria-live="polite">
        {pending ? "Updating…" : ""}
      </span>
    </form>
  );
}
