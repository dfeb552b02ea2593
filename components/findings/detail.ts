import { defaultIdentityQuery, identitiesHref } from "@/components/identities/query";
import { clusterName, getIndex } from "@/components/inventory/lookup";
import { buildScopeCrumbs, type ScopeCrumb } from "@/lib/model/names";
import type { InventoryIndex } from "@/lib/inventory/indexes";
import type { Finding, Severity } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Identity, IdentityKind, Inventory } from "@/lib/model/types";
import { buildNameLookups } from "@/lib/inventory/names";
import { describePlans, type PlanDescription } from "@/lib/remediation/describe";
import type { FindingStatus } from "./rows";

/** The rule text a finding page shows (lib/rules RuleMeta satisfies it). */
export interface FindingRuleText {
  id: string;
  title: string;
  description: string;
  rationale: string;
  remediation: string;
  references: { title: string; url: string }[];
}

export interface EvidenceView {
  fact: string;
  source: string;
  /** Where the source object is shown in the dashboard, when it has a page. */
  link?: { href: string; label: string };
}

export interface FindingDetail {
  finding: Finding;
  rule?: FindingRuleText;
  severity: Severity;
  baseSeverity: Severity;
  /** Set when the final severity differs from the base, or the rule gave a reason anyway. */
  severityReason?: string;
  identity?: { key: string; name: string; kind: IdentityKind; href: string };
  /** The identity named by the finding but not in this scan's inventory (e.g. a deleted principal). */
  identityLabel?: string;
  cluster?: { id: string; name: string; href: string };
  scope?: { id: string; crumbs: ScopeCrumb[] };
  evidence: EvidenceView[];
  fixes: PlanDescription[];
  status?: FindingStatus;
}

export const identityHref = (key: string) => `/identities/${encodeURIComponent(key)}`;
export const clusterIdentitiesHref = (clusterId: string) => identitiesHref(defaultIdentityQuery, { cluster: clusterId });

function identityOf(index: InventoryIndex, id: string): Identity | undefined {
  const k = normalizeId(id);
  return index.identityByKey.get(k) ?? index.identityByPrincipalId.get(k) ?? index.identityByResourceId.get(k) ?? index.identityByClientId.get(k);
}

/** Links an evidence source id to its page: identities to theirs, clusters to their identities, assignments to their holder. */
export function linkSource(index: InventoryIndex, source: string): EvidenceView["link"] {
  const identity = identityOf(index, source);
  if (identity) return { href: identityHref(identity.key), label: identity.displayName };
  const cluster = index.clusterById.get(normalizeId(source));
  if (cluster) return { href: clusterIdentitiesHref(cluster.id), label: `identities of cluster ${cluster.name}` };
  // A role assignment is shown on its principal's page, in that identity's assignments table.
  const assignment = index.assignmentById.get(normalizeId(source));
  const holder = assignment ? index.identityByPrincipalId.get(normalizeId(assignment.principalId)) : undefined;
  if (holder) return { href: identityHref(holder.key), label: `role assignments of ${holder.displayName}` };
  return undefined;
}

export function buildFindingDetail(inv: Inventory, finding: Finding, rule?: FindingRuleText, status?: FindingStatus): FindingDetail {
  const index = getIndex(inv);
  const identity =
    (finding.identityKey && index.identityByKey.get(normalizeId(finding.identityKey))) ||
    (finding.principalId ? index.identityByPrincipalId.get(normalizeId(finding.principalId)) : undefined);
  const detail: FindingDetail = {
    finding,
    rule,
    severity: finding.severity,
    baseSeverity: finding.baseSeverity,
    evidence: finding.evidence.map((e) => ({ fact: e.fact, source: e.source, link: linkSource(index, e.source) })),
    fixes: describePlans(finding.fixes, buildNameLookups(inv)),
    status,
  };
  if (finding.severityReason) detail.severityReason = finding.severityReason;
  if (identity) detail.identity = { key: identity.key, name: identity.displayName, kind: identity.kind, href: identityHref(identity.key) };
  else if (finding.identityName || finding.principalId) detail.identityLabel = finding.identityName ?? finding.principalId;
  if (finding.clusterId) detail.cluster = { id: finding.clusterId, name: clusterName(index, finding.clusterId), href: clusterIdentitiesHref(finding.clusterId) };
  if (finding.scope) detail.scope = { id: finding.scope, crumbs: buildScopeCrumbs(finding.scope, index) };
  return detail;
}

/** The findings about one identity (its key or principal id), most severe first as evaluated. */
export function findingsOfIdentity(findings: readonly Finding[], identity: Pick<Identity, "key" | "principalId">): Finding[] {
  const key = normalizeId(identity.key);
  const principal = identity.principalId ? normalizeId(identity.principalId) : undefined;
  return findings.filter(
    (f) => (f.identityKey !== undefined && normalizeId(f.identityKey) === key) || (principal !== undefined && f.principalId !== undefined && normalizeId(f.principalId) === principal),
  );
}
