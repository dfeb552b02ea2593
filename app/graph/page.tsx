import type { Metadata } from "next";
import Link from "next/link";
import { loadInventory } from "@/app/_lib/inventory";
import { GraphExplorer } from "@/components/graph/graph-explorer";
import { buildGraphPageModel } from "@/components/graph/page-model";
import { graphHref } from "@/components/graph/links";
import { parseGraphQuery } from "@/components/graph/query";
import { QuestionResults } from "@/components/graph/question-results";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { DataNotices } from "@/components/ui/data-notices";
import { EmptyState } from "@/components/ui/empty-state";
import { getIndex } from "@/lib/inventory/names";
import type { Finding } from "@/lib/model/findings";
import { evaluateRules } from "@/lib/rules/evaluate";
import { describeManaged } from "@/lib/iac/managed-origin";
import { normalizeId } from "@/lib/model/scope";
import { ownershipOfInventory } from "@/lib/scan/terraform-ownership";
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
  const m = buildGraphPageModel(inventory, findings, getIndex(inventory), query, queryErrors);
  // Which role assignments and identities a Terraform state holds, for the side panel: by role assignment id and identity key.
  const { managed: held } = await ownershipOfInventory(inventory);
  const managed: Record<string, string> = {};
  for (const [id, entry] of held) managed[id] = describeManaged(entry);
  for (const i of inventory.identities) {
    const entry = i.resourceId ? held.get(normalizeId(i.resourceId)) : undefined;
    if (entry) managed[normalizeId(i.key)] = describeManaged(entry);
  }

  return (
    <>
      {header}
      {m.notices.length > 0 ? (
        <div className="callout callout-warn" role="status">
          <h2>Some of the link was not understood</h2>
          <ul>
            {m.notices.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <DataNotices errors={inventory.errors.length} what="the graph may be missing nodes and edges" />
      {rulesError ? (
        <p className="callout callout-warn" role="alert">
          The rules could not be evaluated ({rulesError}); edges are shown without findings.
        </p>
      ) : null}
      {m.question ? <QuestionResults question={m.question} query={m.query} /> : null}
      <section className="card section" aria-labelledby="graph-view-title">
        <GraphFilters query={m.query} clusters={m.options.clusters} subscriptions={m.options.subscriptions} identities={m.options.identities} />
        <div className="section-header graph-view-header">
          <h2 id="graph-view-title">{m.title}</h2>
          <p className="muted">
            {m.flagged > 0
              ? `${m.flagged} over-broad grant${m.flagged === 1 ? "" : "s"} or link${m.flagged === 1 ? "" : "s"} marked in this view.`
              : findings.length === 0
                ? "No findings yet: every edge is neutral."
                : "No findings in this view."}{" "}
            {m.spec.view !== "tenant" || m.question ? <Link href={graphHref(m.query, { view: "tenant", identity: "", to: "", from: "", select: "" })}>Whole tenant</Link> : null}
          </p>
        </div>
        {m.missingIdentity ? (
          <EmptyState title="No such identity in the graph">
            <p>
              The identity in the link is not used by any cluster or workload. <Link href="/graph">Back to the cluster view</Link>
            </p>
          </EmptyState>
        ) : m.view.nodes.length === 0 ? (
          <EmptyState title={m.question ? "Nothing reaches this scope" : query.overBroad ? "No over-broad paths in this view" : "Nothing to draw"}>
            <p>
              {m.question ? "" : query.overBroad ? "No edge in this view carries a finding. " : "No cluster identities or workloads were found. "}
              <Link href={graphHref(m.query, { overBroad: false, subscription: "", to: "", from: "" })}>Clear filters</Link>
            </p>
          </EmptyState>
        ) : (
          <GraphExplorer
            key={graphHref(m.query, { select: "" })}
            graph={m.view}
            initialCollapsed={m.initialCollapsed}
            initialSelected={m.selected}
            highlight={m.question ? { nodeIds: m.question.nodeIds, edgeIds: m.question.edgeIds, targetId: m.question.targetNodeId } : undefined}
            identityHrefTemplate={graphHref(m.query, { view: "identity", identity: "{identity}", to: "", from: "", select: "" })}
            exportName={m.exportName}
            managed={managed}
          />
        )}
      </section>
    </>
  );
}
