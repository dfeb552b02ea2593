import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { findingGraphHref } from "@/components/graph/finding-link";
import { KindBadge } from "@/components/identities/kind-badge";
import { buildFindingDetail } from "@/components/findings/detail";
import { loadCurrentScan } from "@/components/findings/load";
import { findingStatuses } from "@/components/findings/rows";
import { severityLabels } from "@/components/findings/severity";
import { SeverityBadge, StatusMarker } from "@/components/findings/severity-badge";
import { TriageBadge } from "@/components/findings/triage-badge";
import { InventoryUnavailable } from "@/components/inventory/inventory-unavailable";
import { ScopeBreadcrumb } from "@/components/inventory/scope-breadcrumb";
import { headers } from "next/headers";
import { findingPath, publicOrigin } from "@/app/_lib/origin";
import { getScanTriage, historyOf, serverDecisions } from "@/lib/scan/triage";
import { TerraformOrigin } from "@/components/findings/terraform-origin";
import { findingKinds } from "@/lib/rules/input-kinds";
import { ownershipOfShownScan } from "@/lib/scan/terraform-ownership";
import { latestApplied } from "@/components/wizard/changes";
import { currentViewer } from "@/lib/auth/viewer";
import { changesOfFinding } from "@/lib/scan/apply";
import { FindingChanges, FixedFinding } from "./_components/finding-changes";
import { FixPlans } from "./_components/fix-plans";
import { TicketSummary } from "./_components/ticket-summary";
import { TriagePanel } from "./_components/triage-panel";

type Props = { params: Promise<{ id: string }> };

/** Finding ids are `<rule-id>-<hash>`, but a hand-edited link may carry anything; a bad escape is just an unknown id. */
function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const loaded = await loadCurrentScan();
  const finding = loaded.ok ? loaded.scan.findings.find((f) => f.id === decodeId(id)) : undefined;
  return { title: finding ? `${finding.title}${finding.identityName ? ` · ${finding.identityName}` : ""}` : loaded.ok && loaded.scan.comparison.resolved.find((f) => f.id === decodeId(id))?.title || "Finding" };
}

export default async function FindingPage({ params }: Props) {
  const id = decodeId((await params).id);
  const loaded = await loadCurrentScan();
  if (!loaded.ok) {
    return (
      <>
        <div className="page-header">
          <h1>Finding</h1>
        </div>
        <InventoryUnavailable message={loaded.message} pending={loaded.pending} />
      </>
    );
  }
  const { inventory, comparison } = loaded.scan;
  const [{ findings }, changes] = await Promise.all([ownershipOfShownScan(loaded.scan), currentViewer().then((viewer) => changesOfFinding(id, viewer))]);
  const finding = findings.find((f) => f.id === id);
  if (!finding) {
    const fix = latestApplied(changes.changes, id);
    if (!fix) notFound();
    return <FixedFinding findingId={id} fix={fix} before={comparison.resolved.find((f) => f.id === id)} changes={changes.changes} />;
  }
  const rule = findingKinds.find((k) => k.id === finding.ruleId);
  const detail = buildFindingDetail(inventory, finding, rule, findingStatuses(comparison).get(finding.id));
  const triage = await getScanTriage([finding]);
  const history = triage.storeError ? [] : await historyOf(finding, await serverDecisions()).catch(() => []);
  const triageProblems = [
    ...(triage.fileError ? [`The exceptions file is not used until it is fixed:\n${triage.fileError}`] : []),
    ...(triage.storeError ? [`Decisions made here could not be read: ${triage.storeError}`] : []),
  ];

  return (
    <>
      <p className="muted back-link">
        <Link href="/findings">← Findings</Link>
      </p>
      <div className="page-header">
        <div className="title-block">
          <h1>{finding.title}</h1>
          <p className="flags">
            <SeverityBadge severity={detail.severity} />
            <StatusMarker status={detail.status} />
            <TriageBadge status={triage.byFinding.get(finding.id)!.status} />
            <span className="id">{finding.ruleId}</span>
          </p>
        </div>
        <p>
          <Link className="button" href={findingGraphHref(finding)}>
            Open in graph
          </Link>
        </p>
      </div>

      <section className="card section" aria-labelledby="what-title">
        <div className="section-header">
          <h2 id="what-title">What was found</h2>
        </div>
        <div className="section-body">
          <p className="finding-message">{finding.message}</p>
        </div>
      </section>

      <div className="grid-2 section">
        <section className="card" aria-labelledby="where-title">
          <div className="section-header">
            <h2 id="where-title">Identity and scope</h2>
          </div>
          <div className="section-body">
            <dl className="meta-list">
              <dt>Identity</dt>
              <dd>
                {detail.identity ? (
                  <>
                    <Link href={detail.identity.href}>{detail.identity.name}</Link> <KindBadge kind={detail.identity.kind} />
                  </>
                ) : detail.identityLabel ? (
                  <span title="Not in this scan's identities">{detail.identityLabel}</span>
                ) : (
                  <span className="muted">—</span>
                )}
              </dd>
              {finding.roleName ? (
                <>
                  <dt>Role</dt>
                  <dd>
                    {finding.roleName}
                    {finding.roleDefinitionId ? <div className="id">{finding.roleDefinitionId}</div> : null}
                  </dd>
                </>
              ) : null}
              <dt>Scope</dt>
              <dd>
                {detail.scope ? (
                  <>
                    <ScopeBreadcrumb crumbs={detail.scope.crumbs} label="Scope of the finding" />
                    <div className="id">{detail.scope.id}</div>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </dd>
              {detail.cluster ? (
                <>
                  <dt>Cluster</dt>
                  <dd>
                    <Link href={detail.cluster.href} title={detail.cluster.id}>
                      {detail.cluster.name}
                    </Link>
                  </dd>
                </>
              ) : null}
              {finding.roleAssignmentId ? (
                <>
                  <dt>Role assignment</dt>
                  <dd className="id">{finding.roleAssignmentId}</dd>
                </>
              ) : null}
              {finding.iac ? (
                <>
                  <dt>Code</dt>
                  <dd>
                    <TerraformOrigin origin={finding.iac} />
                  </dd>
                </>
              ) : null}
            </dl>
          </div>
        </section>
        <section className="card" aria-labelledby="severity-title">
          <div className="section-header">
            <h2 id="severity-title">Severity</h2>
          </div>
          <div className="section-body">
            <dl className="meta-list">
              <dt>Severity</dt>
              <dd>{severityLabels[detail.severity]}</dd>
              <dt>Rule&apos;s base severity</dt>
              <dd>{severityLabels[detail.baseSeverity]}</dd>
              {detail.severityReason ? (
                <>
                  <dt>Why {detail.severity === detail.baseSeverity ? "unchanged" : "adjusted"}</dt>
                  <dd>{detail.severityReason}</dd>
                </>
              ) : null}
            </dl>
          </div>
        </section>
      </div>

      {detail.rule ? (
        <section className="card section" aria-labelledby="why-title">
          <div className="section-header">
            <h2 id="why-title">Why it matters</h2>
          </div>
          <div className="section-body">
            <p className="flush-top">{detail.rule.rationale}</p>
            <p className="muted">{detail.rule.description}</p>
            {detail.rule.references.length > 0 ? (
              <>
                <h3>References</h3>
                <ul className="reference-list">
                  {detail.rule.references.map((r) => (
                    <li key={r.url}>
                      <a href={r.url} target="_blank" rel="noreferrer">
                        {r.title}
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        </section>
      ) : null}

      <section className="card section" aria-labelledby="evidence-title">
        <div className="section-header">
          <h2 id="evidence-title">Evidence</h2>
          <p>The facts the rule relied on, with the object each came from</p>
        </div>
        <ul className="evidence-list" aria-label="Evidence">
          {detail.evidence.map((e, i) => (
            <li key={`${e.source}-${i}`}>
              <div>{e.fact}</div>
              <div className="cell-sub">
                Source:{" "}
                {e.link ? (
                  <Link href={e.link.href} title={e.link.label}>
                    <span className="id inherit-color">
                      {e.source}
                    </span>
                  </Link>
                ) : (
                  <span className="id">{e.source}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <TriagePanel finding={finding} view={triage.byFinding.get(finding.id)!} history={history} problems={triageProblems} />

      <FindingChanges changes={changes.changes} error={changes.error} />
      <FixPlans plans={detail.fixes} remediation={detail.rule?.remediation} />
      {finding.fixes.length > 0 ? (
        <p className="section">
          <Link className="button button-primary" href={`/findings/${encodeURIComponent(finding.id)}/fix`}>
            Fix with wizard
          </Link>
        </p>
      ) : null}
      <TicketSummary detail={detail} findingUrl={`${publicOrigin(await headers())}${findingPath(finding.id)}`} />
    </>
  );
}
