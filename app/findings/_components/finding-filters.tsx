"use client";

import { IDENTITY_KIND_ORDER, IdentityKindLabel } from "@/lib/model/vocabulary";
import { defaultFindingQuery, findingsHref, type FindingQuery } from "@/components/findings/query";
import { SEVERITY_ORDER, severityLabels } from "@/components/findings/severity";
import { FilterSelect, useUrlFilters, type FilterOption } from "@/components/ui/url-filters";
import type { Severity } from "@/lib/model/findings";
import type { IdentityKind } from "@/lib/model/types";
import { TRIAGE_STATUSES, type TriageStatus } from "@/lib/model/decisions";
import { triageStatusLabels } from "@/components/findings/triage-badge";

const severityOptions: FilterOption[] = SEVERITY_ORDER.map((s) => ({ value: s, label: severityLabels[s] }));
const kindOptions: FilterOption[] = IDENTITY_KIND_ORDER.map((k) => ({ value: k, label: IdentityKindLabel[k] }));
const statusOptions: FilterOption[] = [
  { value: "new", label: "New only" },
  { value: "unchanged", label: "Unchanged only" },
  { value: "unknown", label: "Unknown only (a source failed)" },
];

const triageOptions: FilterOption[] = TRIAGE_STATUSES.map((t) => ({ value: t, label: triageStatusLabels[t] }));
const iacOptions: FilterOption[] = [
  { value: "managed", label: "Managed by Terraform" },
  { value: "unmanaged", label: "Not in any Terraform state" },
];

/** Filter controls for the findings list (see useUrlFilters for how they drive the URL). */
export function FindingFilters({
  query,
  rules,
  controls,
  clusters,
  subscriptions,
  hasHistory,
  hasTerraform = false,
}: {
  query: FindingQuery;
  rules: FilterOption[];
  controls: FilterOption[];
  clusters: FilterOption[];
  subscriptions: FilterOption[];
  hasHistory: boolean;
  /** Terraform states are configured: the managed / unmanaged filter means something. */
  hasTerraform?: boolean;
}) {
  const { pending, q, navigate, onSubmit, onSearchChange } = useUrlFilters(query, findingsHref);
  return (
    <form className="toolbar" role="search" aria-label="Filter findings" method="get" action="/findings" onSubmit={onSubmit} aria-busy={pending}>
      <label className="field field-grow">
        Search
        <input className="input" type="search" name="q" value={q} maxLength={200} placeholder="Identity, role, scope or message" onChange={onSearchChange} />
      </label>
      <FilterSelect label="Severity" name="severity" value={query.severity} allLabel="All severities" options={severityOptions} onChange={(v) => navigate({ severity: v as Severity | undefined })} />
      <FilterSelect label="Rule" name="rule" value={query.rule} allLabel="All rules" options={rules} onChange={(v) => navigate({ rule: v })} />
      <FilterSelect label="Cluster" name="cluster" value={query.cluster} allLabel="All clusters" options={clusters} onChange={(v) => navigate({ cluster: v })} />
      <FilterSelect label="Identity kind" name="kind" value={query.kind} allLabel="All kinds" options={kindOptions} onChange={(v) => navigate({ kind: v as IdentityKind | undefined })} />
      <FilterSelect label="Subscription" name="subscription" value={query.subscription} allLabel="All subscriptions" options={subscriptions} onChange={(v) => navigate({ subscription: v })} />
      <FilterSelect label="Benchmark control" name="control" value={query.control} allLabel="Any control" options={controls} onChange={(v) => navigate({ control: v })} />
      <FilterSelect label="Triage" name="triage" value={query.triage} allLabel="Any triage" options={triageOptions} onChange={(v) => navigate({ triage: v as TriageStatus | undefined })} />
      {hasHistory ? (
        <FilterSelect label="Since last scan" name="status" value={query.status} allLabel="All" options={statusOptions} onChange={(v) => navigate({ status: v as FindingQuery["status"] })} />
      ) : null}
      {hasTerraform || query.iac ? (
        <FilterSelect label="Terraform" name="iac" value={query.iac} allLabel="Managed or not" options={iacOptions} onChange={(v) => navigate({ iac: v as FindingQuery["iac"] })} />
      ) : null}
      {query.sort !== defaultFindingQuery.sort || query.dir !== defaultFindingQuery.dir ? (
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
