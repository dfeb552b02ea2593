import type { Metadata } from "next";
import Link from "next/link";
import { loadInventory } from "@/app/_lib/inventory";
import { GraphExplorer } from "@/components/graph/graph-explorer";
import { graphHref, parseGraphQuery } from "@/components/graph/query";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { EmptyState } from "@/components/ui/empty-state";
import { partialCoverageNotice } from "@/lib/model/vocabulary";
import { buildGraph } from "@/lib/graph/build";
import { defaultCollapsed } from "@/lib/graph/collapse";
import { selectView, type GraphViewSpec } from "@/lib/graph/view";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { evaluateRules } from "@/lib/rules/evaluate";
import { GraphFilters } from "./_components/graph-filters";

export const metadata: Metadata = { title: "Identity graph" };

export default async function GraphPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { data: query, errors: queryErrors } = parseGraphQuery(await searchParams);
  const loaded = await loadInventory();
  const header = (
    <div className="page-header">
      <div>
        <h1>Identity graph</h1>
        <p>Which pods can act as which identity, and where those identities hold roles. Over-broad grants are marked by severity.</p>
      </div>
    </div>
  );
  if (!loaded.ok) {
    return (
      <>
        {header}
        <InventoryUnavailable message={loaded.message} pending={loaded.pending} />
      </>
    );
  }
  const { inventory } = loaded.result;

  // The rules are evaluated here, not trusted to succeed: a rule error leaves the graph drawn
  // with neutral edges and says so, instead of failing the page.
  let findings: Finding[] = [];
  let rulesError: string | undefined;
  try {
    findings = evaluateRules(inventory);
  } catch (err) {
    rulesError = err instanceof Error ? err.message : String(err);
  }

  const clusters = [...inventory.clusters].sort((a, b) => a.name.localeCompare(b.name));
  const full = buildGraph(inventory, findings);
  const identities = full.nodes
    .filter((n) => n.kind === "identity")
    .map((n) => ({ value: n.entityId, label: `${n.label} (${n.sublabel ?? ""})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const subscriptions = inventory.subscriptions.map((s) => ({ value: s.subscriptionId.toLowerCase(), label: s.displayName })).sort((a, b) => a.label.localeCompare(b.label));

  const cluster = clusters.find((c) => normalizeId(c.id) === normalizeId(query.cluster)) ?? clusters[0];
  const notices = [...queryErrors];
  if (query.cluster && cluster && normalizeId(cluster.id) !== normalizeId(query.cluster)) notices.push("The cluster in the link was not found; showing the first cluster.");
  let spec: GraphViewSpec;
  if (query.view === "identity") spec = { view: "identity", identityKey: query.identity };
  else if (query.view === "tenant" || !cluster) spec = { view: "tenant" };
  else spec = { view: "cluster", clusterId: cluster.id };
  const view = selectView(full, spec, { subscriptionId: query.subscription || undefined, overBroadOnly: query.overBroad });
  const effectiveQuery = { ...query, cluster: cluster?.id ?? "" };
  const identityNode = spec.view === "identity" ? full.nodes.find((n) => n.kind === "identity" && normalizeId(n.entityId) === normalizeId(spec.identityKey)) : undefined;

  const title =
    spec.view === "cluster" ? `Cluster ${cluster?.name ?? ""}` : spec.view === "identity" ? `Identity ${identityNode?.label ?? query.identity}` : "Whole tenant";
  const flagged = view.edges.filter((e) => e.severity).length;
  const exportName = `scopewise-graph-${spec.view === "cluster" ? (cluster?.name ?? "cluster") : spec.view === "identity" ? (identityNode?.label ?? "identity") : "tenant"}`.replace(/[^A-Za-z0-9._-]/g, "_");

  return (
    <>
      {header}
      {notices.length > 0 ? (
        <div className="callout callout-warn" role="status">
          <h2>Some of the link was not understood</h2>
          <ul>
            {notices.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {inventory.errors.length > 0 ? (
        <p className="callout callout-warn">
          {partialCoverageNotice(inventory.errors.length)}, so the graph may be missing nodes and edges.{" "}
          <Link href="/">See what failed</Link>.
        </p>
      ) : null}
      {rulesError ? (
        <p className="callout callout-warn" role="alert">
          The rules could not be evaluated ({rulesError}); edges are shown without findings.
        </p>
      ) : null}
      <section className="card section">
        <GraphFilters query={effectiveQuery} clusters={clusters.map((c) => ({ value: c.id, label: c.name }))} subscriptions={subscriptions} identities={identities} />
        <div className="section-header">
          <h2>{title}</h2>
          <p className="muted">
            {flagged > 0 ? `${flagged} over-broad grant${flagged === 1 ? "" : "s"} or link${flagged === 1 ? "" : "s"} marked in this view.` : findings.length === 0 ? "No findings yet: every edge is neutral." : "No findings in this view."}{" "}
            {spec.view !== "tenant" ? <Link href={graphHref(effectiveQuery, { view: "tenant" })}>Whole tenant</Link> : null}
          </p>
        </div>
        {spec.view === "identity" && !identityNode ? (
          <EmptyState title="No such identity in the graph">
            <p>
              The identity in the link is not used by any cluster or workload. <Link href="/graph">Back to the cluster view</Link>
            </p>
          </EmptyState>
        ) : view.nodes.length === 0 ? (
          <EmptyState title={query.overBroad ? "No over-broad paths in this view" : "Nothing to draw"}>
            <p>
              {query.overBroad ? "No edge in this view carries a finding. " : "No cluster identities or workloads were found. "}
              <Link href={graphHref(effectiveQuery, { overBroad: false, subscription: "" })}>Clear filters</Link>
            </p>
          </EmptyState>
        ) : (
          <GraphExplorer
            key={graphHref(effectiveQuery)}
            graph={view}
            initialCollapsed={query.expandAll ? [] : [...defaultCollapsed(view, { tenant: spec.view === "tenant" })]}
            identityHrefTemplate={graphHref(effectiveQuery, { view: "identity", identity: "{identity}" })}
            exportName={exportName}
          />
        )}
      </section>
    </>
  );
}
