"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import type { IdentityKind } from "@/lib/model/types";
import { identityKindLabels, identityKindOrder } from "@/components/identities/kind";
import { identitiesHref, type IdentityQuery } from "@/components/identities/query";

interface Option {
  value: string;
  label: string;
}

/**
 * Filter controls for the identities list. A plain GET form, so it works without script;
 * with script, changes update the URL in place (search debounced) and the server re-renders
 * the filtered page. Any filter change goes back to page 1.
 */
export function IdentityFilters({ query, clusters, subscriptions }: { query: IdentityQuery; clusters: Option[]; subscriptions: Option[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(query.q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Back/forward and "clear filters" change the URL underneath the input; a URL that only
  // differs by trimming is the user's own typing and must not eat their trailing space.
  useEffect(() => setQ((current) => (current.trim() === query.q ? current : query.q)), [query.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const navigate = (changes: Partial<IdentityQuery>) => {
    clearTimeout(timer.current);
    startTransition(() => router.replace(identitiesHref(query, { ...changes, page: 1 }), { scroll: false }));
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    navigate({ q: q.trim() });
  };

  return (
    <form className="toolbar" role="search" aria-label="Filter identities" method="get" action="/identities" onSubmit={onSubmit} aria-busy={pending}>
      <label className="field field-grow">
        Search
        <input
          className="input"
          type="search"
          name="q"
          value={q}
          maxLength={200}
          placeholder="Name, principal id, client id or role"
          onChange={(e) => {
            const value = e.target.value;
            setQ(value);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => navigate({ q: value.trim() }), 350);
          }}
        />
      </label>
      <label className="field">
        Kind
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
