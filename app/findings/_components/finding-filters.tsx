"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { identityKindLabels, identityKindOrder } from "@/components/identities/kind";
import { defaultFindingQuery, findingsHref, type FindingQuery } from "@/components/findings/query";
import { SEVERITY_ORDER, severityLabels } from "@/components/findings/severity";
import type { Severity } from "@/lib/model/findings";
import type { IdentityKind } from "@/lib/model/types";

interface Option {
  value: string;
  label: string;
}

/**
 * Filter controls for the findings list. A plain GET form, so it works without script; with
 * script, changes update the URL in place (search debounced) and the server re-renders the
 * filtered page. Any filter change goes back to page 1.
 */
export function FindingFilters({
  query,
  rules,
  clusters,
  subscriptions,
  hasHistory,
}: {
  query: FindingQuery;
  rules: Option[];
  clusters: Option[];
  subscriptions: Option[];
  hasHistory: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(query.q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Back/forward and "clear filters" change the URL underneath the input; a URL that only
  // differs by trimming is the user's own typing and must not eat their trailing space.
  useEffect(() => setQ((current) => (current.trim() === query.q ? current : query.q)), [query.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const navigate = (changes: Partial<FindingQuery>) => {
    clearTimeout(timer.current);
    startTransition(() => router.replace(findingsHref(query, { ...changes, page: 1 }), { scroll: false }));
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    navigate({ q: q.trim() });
  };

  return (
    <form className="toolbar" role="search" aria-label="Filter findings" method="get" action="/findings" onSubmit={onSubmit} aria-busy={pending}>
      <label className="field field-grow">
        Search
        <input
          className="input"
          type="search"
          name="q"
          value={q}
          maxLength={200}
          placeholder="Identity, role, scope or message"
          onChange={(e) => {
            const value = e.target.value;
            setQ(value);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => navigate({ q: value.trim() }), 350);
          }}
        />
      </label>
      <label className="field">
        Severity
        <select className="select" name="severity" value={query.severity ?? ""} onChange={(e) => navigate({ severity: (e.target.value || undefined) as Severity | undefined })}>
          <option value="">All severities</option>
          {SEVERITY_ORDER.map((s) => (
            <option key={s} value={s}>
              {severityLabels[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Rule
        <select className="select" name="rule" value={query.rule ?? ""} onChange={(e) => navigate({ rule: e.target.value || undefined })}>
          <option value="">All rules</option>
          {rules.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Cluster
        <select className="select" name="cluster" value={query.cluster ?? ""} onChange={(e) => navigate({ cluster: e.target.value || undefined })}>
          <option value="">All clusters</option>
          {clusters.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Identity kind
        <select className="select" name="kind" value={query.kind ?? ""} onChange={(e) => navigate({ kind: (e.target.value || undefined) as IdentityKind | undefined })}>
          <option value="">All kinds</option>
          {identityKindOrder.map((k) => (
            <option key={k} value={k}>
              {identityKindLabels[k]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Subscription
        <select className="select" name="subscription" value={query.subscription ?? ""} onChange={(e) => navigate({ subscription: e.target.value || undefined })}>
          <option value="">All subscriptions</option>
          {subscriptions.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {hasHistory ? (
        <label className="field">
          Since last scan
          <select className="select" name="status" value={query.status ?? ""} onChange={(e) => navigate({ status: (e.target.value || undefined) as FindingQuery["status"] })}>
            <option value="">New and unchanged</option>
            <option value="new">New only</option>
            <option value="unchanged">Unchanged only</option>
          </select>
        </label>
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
