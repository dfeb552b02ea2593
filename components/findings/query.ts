import { z } from "zod";
import { isIdentityKind } from "@/components/identities/kind";
import { IDENTITY_KIND_ORDER } from "@/lib/model/vocabulary";
import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";
import { scopeLevelRank } from "@/lib/model/scope";
import type { IdentityKind } from "@/lib/model/types";
import type { FindingRow, FindingStatus } from "./rows";
import { isSeverity } from "./severity";
import { TRIAGE_STATUSES, TriageStatus } from "@/lib/model/decisions";
import { CONTROLS, controlKey } from "@/lib/rules/benchmarks";
import { sortedOnce } from "@/components/ui/sorted-once";

export const findingSortKeys = ["severity", "rule", "identity", "scope"] as const;
export type FindingSortKey = (typeof findingSortKeys)[number];
export type SortDirection = "asc" | "desc";
export const findingStatuses = ["new", "unchanged", "unknown"] as const;

export const FINDING_PAGE_SIZE = 100;
export const iacFilters = ["managed", "unmanaged"] as const;
export type IacFilter = (typeof iacFilters)[number];
const MAX_SEARCH_LENGTH = 200;

/** The findings list state, as carried in the URL query string. */
export interface FindingQuery {
  q: string;
  severity?: Severity;
  /** Rule id. */
  rule?: string;
  /** Cluster ARM id. */
  cluster?: string;
  kind?: IdentityKind;
  /** Subscription GUID. */
  subscription?: string;
  status?: FindingStatus;
  /** Triage status: open, accepted, false-positive, expired (a decision that ran out). */
  triage?: TriageStatus;
  /** Benchmark control key (`mcsb:PA-7`): findings of the rules that evidence it. */
  control?: string;
  /** Whether a Terraform state holds what the finding is about. */
  iac?: IacFilter;
  sort: FindingSortKey;
  /** For severity, "desc" is most severe first. */
  dir: SortDirection;
  page: number;
}

export const defaultFindingQuery: FindingQuery = { q: "", sort: "severity", dir: "desc", page: 1 };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function fieldSchemas(ruleIds: readonly string[] | undefined) {
  return {
    q: z.string().max(MAX_SEARCH_LENGTH, `is longer than ${MAX_SEARCH_LENGTH} characters`),
    severity: z.string().refine(isSeverity, { message: `must be one of ${SEVERITY_ORDER.join(", ")}` }),
    rule: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a rule id such as subscription-scope-grant")
      .refine((id) => !ruleIds || ruleIds.includes(id), { message: "is not a known rule id" }),
    cluster: z
      .string()
      .regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+$/i, "must be a managedCluster resource id"),
    kind: z.string().refine(isIdentityKind, { message: `must be one of ${IDENTITY_KIND_ORDER.join(", ")}` }),
    subscription: z.string().regex(/^[0-9a-fA-F-]{36}$/, "must be a subscription id (GUID)"),
    status: z.enum(findingStatuses, { message: `must be one of ${findingStatuses.join(", ")}` }),
    triage: z.enum(TRIAGE_STATUSES as [TriageStatus, ...TriageStatus[]], { message: `must be one of ${TRIAGE_STATUSES.join(", ")}` }),
    control: z.string().refine((k) => CONTROLS.some((c) => controlKey(c) === k), { message: "must be a benchmark control such as mcsb:PA-7" }),
    iac: z.enum(iacFilters, { message: `must be one of ${iacFilters.join(", ")}` }),
    sort: z.enum(findingSortKeys, { message: `must be one of ${findingSortKeys.join(", ")}` }),
    dir: z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }),
    page: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be 1 or more"),
  };
}

/**
 * Reads the list state from the query string. A bad value is dropped (its default applies)
 * and reported in `errors` by parameter name, so a mangled shared link still shows the list
 * and says what it ignored. `ruleIds`, when given, are the only rule ids accepted.
 */
export function parseFindingQuery(params: SearchParams, options: { ruleIds?: readonly string[] } = {}): { data: FindingQuery; errors: string[] } {
  const schemas = fieldSchemas(options.ruleIds);
  const data: FindingQuery = { ...defaultFindingQuery };
  const errors: string[] = [];
  for (const name of Object.keys(schemas) as (keyof typeof schemas)[]) {
    const raw = first(params[name]);
    if (raw === undefined || raw === "") continue;
    const result = schemas[name].safeParse(raw);
    if (!result.success) {
      errors.push(`Ignored ${name}=${JSON.stringify(raw.slice(0, 80))}: ${result.error.issues[0]?.message ?? "invalid"}`);
      continue;
    }
    (data as unknown as Record<string, unknown>)[name] = name === "q" ? (result.data as string).trim() : result.data;
  }
  return { data, errors };
}

/** Query string for a list state; defaults are left out so URLs stay short and shareable. */
export function findingQueryString(query: FindingQuery): string {
  const sp = new URLSearchParams();
  if (query.q) sp.set("q", query.q);
  if (query.severity) sp.set("severity", query.severity);
  if (query.rule) sp.set("rule", query.rule);
  if (query.cluster) sp.set("cluster", query.cluster);
  if (query.kind) sp.set("kind", query.kind);
  if (query.subscription) sp.set("subscription", query.subscription);
  if (query.status) sp.set("status", query.status);
  if (query.triage) sp.set("triage", query.triage);
  if (query.control) sp.set("control", query.control);
  if (query.iac) sp.set("iac", query.iac);
  if (query.sort !== defaultFindingQuery.sort || query.dir !== defaultFindingQuery.dir) {
    sp.set("sort", query.sort);
    sp.set("dir", query.dir);
  }
  if (query.page > 1) sp.set("page", String(query.page));
  const s = sp.toString();
  return s ? `?${s}` : "";
}

export function findingsHref(query: FindingQuery, changes: Partial<FindingQuery> = {}): string {
  return `/findings${findingQueryString({ ...query, ...changes })}`;
}

/** True when any filter (not sort or page) is set. */
export function hasFindingFilters(query: FindingQuery): boolean {
  return Boolean(query.q || query.severity || query.rule || query.cluster || query.kind || query.subscription || query.status || query.triage || query.control || query.iac);
}

export function filterFindingRows(rows: readonly FindingRow[], query: FindingQuery): FindingRow[] {
  const needle = query.q.toLowerCase();
  const cluster = query.cluster?.toLowerCase();
  const subscription = query.subscription?.toLowerCase();
  return rows.filter(
    (row) =>
      (!query.severity || row.severity === query.severity) &&
      (!query.rule || row.ruleId === query.rule) &&
      (!cluster || row.cluster?.id.toLowerCase() === cluster) &&
      (!query.kind || row.identity?.kind === query.kind) &&
      (!subscription || row.subscriptionIds.includes(subscription)) &&
      (!query.status || row.status === query.status) &&
      (!query.triage || (row.triage ?? TriageStatus.Open) === query.triage) &&
      (!query.control || (row.controls ?? []).includes(query.control)) &&
      (!query.iac || (query.iac === "managed") === (row.managed !== undefined)) &&
      (!needle || row.searchText.includes(needle)),
  );
}

export type SeverityCountMap = Record<Severity, number>;

/**
 * Counts per severity among the rows matching every filter except severity, so each count
 * is what clicking it would show.
 */
export function countFindingSeverities(rows: readonly FindingRow[], query: FindingQuery): SeverityCountMap {
  const counts: SeverityCountMap = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const row of filterFindingRows(rows, { ...query, severity: undefined })) counts[row.severity] += 1;
  return counts;
}

// One collator for every comparison: String#localeCompare with options builds one per call.
const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
const byId = (a: FindingRow, b: FindingRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** Higher is more severe. */
const severityValue = (s: Severity) => SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(s);
/** Findings with no scope sort after every scope level in ascending (widest-first) order. */
const scopeRank = (r: FindingRow) => (r.scope ? scopeLevelRank(r.scope.level) : Number.MAX_SAFE_INTEGER);

const comparators: Record<FindingSortKey, (a: FindingRow, b: FindingRow) => number> = {
  severity: (a, b) => severityValue(a.severity) - severityValue(b.severity),
  rule: (a, b) => collator.compare(a.ruleId, b.ruleId),
  identity: (a, b) => collator.compare(a.identity?.name ?? "\uffff", b.identity?.name ?? "\uffff"),
  scope: (a, b) => scopeRank(a) - scopeRank(b) || collator.compare(a.scope?.name ?? "", b.scope?.name ?? ""),
};

/** Ties fall back to severity (most severe first), rule, identity, then id, so paging is stable. */
const tieBreak = (a: FindingRow, b: FindingRow) =>
  comparators.severity(b, a) || comparators.rule(a, b) || comparators.identity(a, b) || byId(a, b);

export function sortFindingRows(rows: readonly FindingRow[], sort: FindingSortKey, dir: SortDirection): FindingRow[] {
  const sign = dir === "asc" ? 1 : -1;
  const cmp = comparators[sort];
  return [...rows].sort((a, b) => sign * cmp(a, b) || tieBreak(a, b));
}

export interface FindingPage {
  rows: FindingRow[];
  /** Rows matching the filters, across all pages. */
  total: number;
  page: number;
  pageCount: number;
  /** 1-based index of the first row on this page (0 when there are none). */
  from: number;
  to: number;
}

/** Filters, sorts and cuts one page; a page past the end shows the last page. */
export function listFindingPage(rows: readonly FindingRow[], query: FindingQuery, pageSize = FINDING_PAGE_SIZE): FindingPage {
  const filtered = filterFindingRows(
    sortedOnce(rows, `${query.sort}:${query.dir}`, (all) => sortFindingRows(all, query.sort, query.dir)),
    query,
  );
  const pageCount = Math.max(1, Math.ceil(filtered.length / pageSize));
  const page = Math.min(query.page, pageCount);
  const start = (page - 1) * pageSize;
  const slice = filtered.slice(start, start + pageSize);
  return { rows: slice, total: filtered.length, page, pageCount, from: slice.length ? start + 1 : 0, to: start + slice.length };
}
