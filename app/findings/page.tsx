import type { Metadata } from "next";
import Link from "next/link";
import { loadCurrentScan } from "@/components/findings/load";
import {
  countFindingSeverities,
  defaultFindingQuery,
  findingQueryString,
  findingsHref,
  hasFindingFilters,
  listFindingPage,
  parseFindingQuery,
} from "@/components/findings/query";
import { SeverityCounts } from "@/components/findings/severity-counts";
import { buildCoverageGaps } from "@/components/findings/summary";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { ExportLinks } from "@/components/exports/export-links";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount, formatDateTime } from "@/components/ui/format";
import { Pagination } from "@/components/ui/pagination";
import { findingKinds } from "@/lib/rules/input-kinds";
import { rules } from "@/lib/rules/registry";
import { controlKey, controlLabel, rulesByControl } from "@/lib/rules/benchmarks";
import { buildTriagedRows, FILTER_PARAMS } from "@/components/findings/triaged-rows";
import { utcDate } from "@/lib/model/triage";
import { BULK_FORM_ID, BulkTriage } from "./_components/bulk-triage";
import { ownershipOfShownScan } from "@/lib/scan/terraform-ownership";
import { TerraformUnread } from "@/components/findings/terraform-origin";
import { FindingFilters } from "./_components/finding-filters";
import { FindingTable } from "./_components/finding-table";
import { ResolvedFindings, UnverifiedFindings } from "./_components/resolved-findings";

export const metadata: Metadata = { title: "Findings" };

const ruleIds = findingKinds.map((k) => k.id);
const controlOptions = rulesByControl(rules.map((r) => r.meta)).map(({ control }) => ({ value: controlKey(control), label: `${controlLabel(control)}: ${control.title}` }));

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { data: query, errors: queryErrors } = parseFindingQuery(await searchParams, { ruleIds });
  const loaded = await loadCurrentScan();
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Findings</h1>
        </div>
        <InventoryUnavailable message={loaded.message} pending={loaded.pending} />
      </>
    );
  }
  const { inventory, comparison } = loaded.scan;
  const ownership = await ownershipOfShownScan(loaded.scan);
  const { findings } = ownership;
  const hasHistory = comparison?.previous !== undefined;
  const { rows: all, triage } = await buildTriagedRows({ inventory, findings, comparison });
  const bulkFilter = Object.fromEntries(FILTER_PARAMS.flatMap((k) => (query[k] ? [[k, String(query[k])]] : [])));
  const page = listFindingPage(all, query);
  const counts = countFindingSeverities(all, query);
  const filtered = hasFindingFilters(query);
  const clearHref = findingsHref(defaultFindingQuery, { sort: query.sort, dir: query.dir });
  const gaps = buildCoverageGaps(inventory);
  const ruleOptions = findingKinds.map((k) => ({ value: k.id, label: k.title })).sort((a, b) => a.label.localeCompare(b.label));
  const clusters = inventory.clusters.map((c) => ({ value: c.id, label: c.name })).sort((a, b) => a.label.localeCompare(b.label));
  const subscriptions = inventory.subscriptions
    .map((s) => ({ value: s.subscriptionId, label: s.displayName }))
    .sort((a, b) => a.label.localeCompare(b.label));

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Findings</h1>
          <p>Grants and bindings wider than each identity&apos;s job needs, judged against the rules in the catalog.</p>
          <p className="muted">
            By benchmark control: <a href="/api/findings/controls?format=csv" download>CSV</a> · <a href="/api/findings/controls">JSON</a>
          </p>
        </div>
        <dl className="meta-list" aria-label="Scan history">
          <dt>Scanned</dt>
          <dd>
            <time dateTime={inventory.scannedAt}>{formatDateTime(inventory.scannedAt)}</time>
          </dd>
          <dt>Compared with</dt>
          <dd>
            {comparison?.previous ? (
              <time dateTime={comparison.previous.scannedAt}>{formatDateTime(comparison.previous.scannedAt)}</time>
            ) : (
              <span className="muted" title="New / unchanged markers start with the next scan">— (first recorded scan)</span>
            )}
          </dd>
        </dl>
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
      {triage.fileError || triage.storeError ? (
        <div className="callout callout-warn" role="status">
          <h2>Triage decisions are not all applied</h2>
          {triage.fileError ? <p className="code-wrap">The exceptions file is not used until it is fixed:{"\n"}{triage.fileError}</p> : null}
          {triage.storeError ? <p>Decisions made in the dashboard could not be read: {triage.storeError}</p> : null}
        </div>
      ) : null}
      {ownership.error ? <TerraformUnread message={ownership.error} /> : null}
      {gaps.length > 0 ? (
        <section className="callout callout-warn" aria-labelledby="findings-partial-title">
          <h2 id="findings-partial-title">Findings may be incomplete</h2>
          <p>
            The scan could not read {gaps.length === 1 ? "this source" : "these sources"}, so findings that depend on them may be missing. Missing is unknown, not clean.{" "}
            <Link href="/">See the scan errors</Link>.
          </p>
          <ul className="problem-list inherit-color">
            {gaps.map((g) => (
              <li key={`${g.source}|${g.clusterName ?? ""}|${g.scope ?? ""}`}>
                <code>{g.source}</code>
                {g.clusterName ? ` on cluster ${g.clusterName}` : ""}
                {g.scope ? (
                  <>
                    {" "}
                    at <span className="id">{g.scope}</span>
                  </>
                ) : null}
                {g.count > 1 ? ` (${formatCount(g.count)} errors)` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="section" aria-labelledby="severity-title">
        <h2 id="severity-title" className="visually-hidden">
          Findings by severity
        </h2>
        <SeverityCounts
          counts={counts}
          selected={query.severity}
          hrefFor={(severity) => findingsHref(query, { severity: query.severity === severity ? undefined : severity, page: 1 })}
        />
      </section>
      <section className="card section">
        <FindingFilters query={query} rules={ruleOptions} controls={controlOptions} clusters={clusters} subscriptions={subscriptions} hasHistory={hasHistory} hasTerraform={ownership.configured} />
        {all.length === 0 ? (
          <EmptyState title="No findings — every grant matches its job">
            <p>
              {formatCount(rules.length)} rules checked {formatCount(inventory.roleAssignments.length)} role assignments of {formatCount(inventory.identities.length)} identities.
              {gaps.length > 0 ? " Some sources could not be read (see above)." : ""}
            </p>
          </EmptyState>
        ) : page.total === 0 ? (
          <EmptyState title="No findings match these filters">
            <p>
              {formatCount(all.length)} findings exist. <Link href={clearHref}>Clear filters</Link>
            </p>
          </EmptyState>
        ) : (
          <>
          <BulkTriage filter={bulkFilter} listQuery={findingQueryString(query)} total={page.total} today={utcDate(new Date())} />
          <FindingTable
            selectForm={BULK_FORM_ID}
            rows={page.rows}
            query={query}
            showStatus={hasHistory}
            caption={
              <>
                Findings
                <span className="caption-note">
                  {filtered ? `${formatCount(page.total)} of ${formatCount(all.length)} match` : `${formatCount(all.length)} in total`}
                  {filtered ? (
                    <>
                      {" · "}
                      <Link href={clearHref}>Clear filters</Link>
                    </>
                  ) : null}
                  {" · "}
                  <ExportLinks href="/api/findings/export" query={findingQueryString(query)} noun={filtered ? "the matching findings" : "all findings"} />
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
                noun="findings"
                hrefFor={(p) => findingsHref(query, { page: p })}
              />
            }
          />
          </>
        )}
      </section>
      {comparison?.previous ? <UnverifiedFindings rows={comparison.unverified ?? []} previousScannedAt={comparison.previous.scannedAt} /> : null}
      {comparison?.previous ? <ResolvedFindings findings={comparison.resolved} previousScannedAt={comparison.previous.scannedAt} /> : null}
    </>
  );
}
