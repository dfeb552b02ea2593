import { clusterName, getIndex } from "@/components/inventory/lookup";
import { buildScopeCrumbs } from "@/lib/model/names";
import type { InventoryIndex } from "@/lib/inventory/indexes";
import type { Finding, IacOrigin, Severity } from "@/lib/model/findings";
import { normalizeId, subscriptionOf, tryParseScope } from "@/lib/model/scope";
import type { IdentityKind, Inventory, ScopeLevel } from "@/lib/model/types";
import type { TriageStatus } from "@/lib/model/decisions";

/**
 * Against the previous complete scan: absent before ("new"), present before ("unchanged"), or
 * not known because a source it rests on failed in one of the scans ("unknown"); undefined on
 * a scope's first scan.
 */
export type FindingStatus = "new" | "unchanged" | "unknown";

/** The comparison the findings views need (lib/store/scan-comparison ScanComparison satisfies it). */
export interface FindingComparison {
  previous?: { id: number; scannedAt: string };
  new: readonly string[];
  unchanged: readonly string[];
  /** Findings one of the two scans could not check, with why. */
  unknown?: readonly { id: string; reason: string }[];
  resolved: readonly Finding[];
  /** Findings of the previous scan this scan could not check: unknown, not resolved. */
  unverified?: readonly { finding: Finding; reason: string }[];
}

/** One line of the findings table. */
export interface FindingRow {
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  baseSeverity: Severity;
  message: string;
  identity?: { key?: string; name: string; kind?: IdentityKind };
  roleName?: string;
  scope?: { id: string; name: string; level: ScopeLevel };
  cluster?: { id: string; name: string };
  /** Subscription GUIDs (lower-case) the finding touches: its scope, cluster and role assignment. */
  subscriptionIds: string[];
  status?: FindingStatus;
  /** Why the status is unknown: which scan could not read which source. */
  statusReason?: string;
  /** Triage status (open when unset): decisions from the exceptions file or the dashboard. */
  triage?: TriageStatus;
  /** Keys of the benchmark controls the finding's rule evidences (`mcsb:PA-7`). */
  controls?: readonly string[];
  /** The Terraform block that manages what the finding is about (from the configured states). */
  managed?: IacOrigin;
  /** Lower-cased identity name, role, scope (id and name), message, rule, for free-text search. */
  searchText: string;
}

export function buildFindingRow(finding: Finding, index: InventoryIndex, status?: FindingStatus, statusReason?: string): FindingRow {
  const subs = new Set<string>();
  for (const id of [finding.scope, finding.clusterId, finding.roleAssignmentId]) {
    const sub = id ? subscriptionOf(id) : undefined;
    if (sub) subs.add(sub.toLowerCase());
  }
  let scope: FindingRow["scope"];
  if (finding.scope) {
    const crumbs = buildScopeCrumbs(finding.scope, index);
    const last = crumbs[crumbs.length - 1];
    scope = { id: finding.scope, name: last?.label ?? finding.scope, level: tryParseScope(finding.scope)?.level ?? last?.level ?? "resource" };
  }
  const identityName = finding.identityName ?? (finding.principalId ? index.identityByPrincipalId.get(normalizeId(finding.principalId))?.displayName ?? finding.principalId : undefined);
  const row: FindingRow = {
    id: finding.id,
    ruleId: finding.ruleId,
    title: finding.title,
    severity: finding.severity,
    baseSeverity: finding.baseSeverity,
    message: finding.message,
    roleName: finding.roleName,
    scope,
    subscriptionIds: [...subs].sort(),
    status,
    searchText: "",
  };
  if (statusReason) row.statusReason = statusReason;
  if (finding.iac) row.managed = finding.iac;
  if (identityName) row.identity = { key: finding.identityKey, name: identityName, kind: finding.identityKind };
  if (finding.clusterId) row.cluster = { id: finding.clusterId, name: clusterName(index, finding.clusterId) };
  row.searchText = [identityName, finding.principalId, finding.roleName, finding.scope, scope?.name, finding.message, finding.ruleId, finding.title, row.cluster?.name, finding.iac?.address]
    .filter(Boolean)
    .join("\n")
    .toLowerCase();
  return row;
}

export function findingStatuses(comparison: FindingComparison | undefined): Map<string, FindingStatus> {
  const statuses = new Map<string, FindingStatus>();
  if (!comparison?.previous) return statuses;
  for (const id of comparison.new) statuses.set(id, "new");
  for (const id of comparison.unchanged) statuses.set(id, "unchanged");
  for (const u of comparison.unknown ?? []) statuses.set(u.id, "unknown");
  return statuses;
}

const rowCache = new WeakMap<readonly Finding[], WeakMap<object, FindingRow[]>>();
const NO_COMPARISON = {};

/** Rows for every finding of a scan, built once per (findings, comparison) pair. */
export function buildFindingRows(inv: Inventory, findings: readonly Finding[], comparison?: FindingComparison): FindingRow[] {
  let byComparison = rowCache.get(findings);
  if (!byComparison) {
    byComparison = new WeakMap();
    rowCache.set(findings, byComparison);
  }
  const key = comparison ?? NO_COMPARISON;
  const cached = byComparison.get(key);
  if (cached) return cached;
  const index = getIndex(inv);
  const statuses = findingStatuses(comparison);
  const reasons = new Map((comparison?.unknown ?? []).map((u) => [u.id, u.reason]));
  const rows = findings.map((f) => buildFindingRow(f, index, statuses.get(f.id), reasons.get(f.id)));
  byComparison.set(key, rows);
  return rows;
}
