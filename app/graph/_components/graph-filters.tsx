import type { GraphQuery } from "@/components/graph/query";

interface Option {
  value: string;
  label: string;
}

/** The view and filters, as a plain GET form: the server builds the chosen view, so it works without script. */
export function GraphFilters({ query, clusters, subscriptions, identities }: { query: GraphQuery; clusters: Option[]; subscriptions: Option[]; identities: Option[] }) {
  return (
    <form className="toolbar" role="search" aria-label="Graph view and filters" method="get" action="/graph">
      <label className="field">
        View
        <select className="input" name="view" defaultValue={query.view}>
          <option value="cluster">One cluster</option>
          <option value="identity">One identity</option>
          <option value="tenant">Whole tenant</option>
        </select>
      </label>
      <label className="field">
        Cluster
        <select className="input" name="cluster" defaultValue={query.cluster}>
          {clusters.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Identity
        <select className="input" name="identity" defaultValue={query.identity} style={{ maxWidth: 320 }}>
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
        <select className="input" name="subscription" defaultValue={query.subscription}>
          <option value="">All subscriptions</option>
          {subscriptions.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field" style={{ flexDirection: "row", alignItems: "center", gap: 6, alignSelf: "flex-end", paddingBottom: 8 }}>
        <input type="checkbox" name="overbroad" value="1" defaultChecked={query.overBroad} /> Only over-broad paths
      </label>
      <button type="submit" className="button button-primary">
        Show
      </button>
    </form>
  );
}
