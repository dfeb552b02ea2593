"use client";

import { useState } from "react";
import type { GraphQuery } from "@/components/graph/links";

interface Option {
  value: string;
  label: string;
}

/**
 * The view and filters, as a plain GET form: the server builds the chosen view, so it works
 * without script. Picking an identity chooses the identity view (the server does the same for
 * a form sent without script); choosing another view lets go of the identity.
 */
export function GraphFilters({ query, clusters, subscriptions, identities }: { query: GraphQuery; clusters: Option[]; subscriptions: Option[]; identities: Option[] }) {
  const [view, setView] = useState<string>(query.view);
  const [identity, setIdentity] = useState(query.view === "identity" ? query.identity : "");
  return (
    <form className="toolbar" role="search" aria-label="Graph view and filters" method="get" action="/graph">
      <label className="field">
        View
        <select
          className="input"
          name="view"
          value={view}
          onChange={(e) => {
            setView(e.target.value);
            if (e.target.value !== "identity") setIdentity("");
          }}
        >
          <option value="cluster">One cluster</option>
          <option value="identity">One identity</option>
          <option value="tenant">Whole tenant</option>
        </select>
      </label>
      <label className="field">
        Cluster
        <select className="input select" name="cluster" defaultValue={query.cluster}>
          {clusters.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Identity
        <select
          className="input select select-wide"
          name="identity"
          value={identity}
          onChange={(e) => {
            setIdentity(e.target.value);
            if (e.target.value) setView("identity");
          }}
        >
          <option value="">—</option>
          {identities.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Subscription
        <select className="input select" name="subscription" defaultValue={query.subscription}>
          <option value="">All subscriptions</option>
          {subscriptions.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-check">
        <input type="checkbox" name="overbroad" value="1" defaultChecked={query.overBroad} /> Only over-broad paths
      </label>
      <button type="submit" className="button button-primary">
        Show
      </button>
    </form>
  );
}
