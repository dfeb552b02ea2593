import { z } from "zod";
import { scopeLevelRank } from "@/lib/model/scope";
import type { IdentityKind } from "@/lib/model/types";
import { isIdentityKind } from "./kind";
import { IDENTITY_KIND_ORDER } from "@/lib/model/vocabulary";
import type { IdentityRow } from "./rows";
import { sortedOnce } from "@/components/ui/sorted-once";

export const identitySortKeys = ["name", "kind", "clusters", "assignments", "scope", "roles", "workloads"] as const;
export type IdentitySortKey = (typeof identitySortKeys)[number];
export type SortDirection = "asc" | "desc";

export const IDENTITY_PAGE_SIZE = 100;
const MAX_SEARCH_LENGTH = 200;

/** The identities list state, as carried in the URL query string. */
export interface IdentityQuery {
  q: string;
  kind?: IdentityKind;
  /** Cluster ARM id. */
  cluster?: string;
  /** Subscription GUID. */
  subscription?: string;
  sort: IdentitySortKey;
  dir: SortDirection;
  page: number;
}

export const defaultIdentityQuery: IdentityQuery = { q: "", sort: "scope", dir: "asc", page: 1 };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const fieldSchemas = {
  q: z.string().max(MAX_SEARCH_LENGTH, `is longer than ${MAX_SEARCH_LENGTH} characters`),
  kind: z.string().refine(isIdentityKind, { message: `must be one of ${IDENTITY_KIND_ORDER.join(", ")}` }),
  cluster: z.string().regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+$/i, "must be a managedCluster resource id"),
  subscription: z.string().regex(/^[0-9a-fA-F-]{36}$/, "must be a subscription id (GUID)"),
  sort: z.enum(identitySortKeys, { message: `must be one of ${identitySortKeys.join(", ")}` }),
  dir: z.enum(["asc", "desc"], { message: 'must be "asc" or "desc"' }),
  page: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be 1 or more"),
};

/**
 * Reads the list state from the query string. A bad value is dropped (its default applies)
 * and reported in `errors` by parameter name, so a mangled shared link still shows the list
 * and says what it ignored.
 */
export function parseIdentityQuery(params: SearchParams): { data: IdentityQuery; errors: string[] } {
  const data: IdentityQuery = { ...defaultIdentityQuery };
  const errors: string[] = [];
  for (const name of Object.keys(fieldSchemas) as (keyof typeof fieldSchemas)[]) {
    const raw = first(params[name]);
    if (raw === undefined || raw === "") continue;
    const result = fieldSchemas[name].safeParse(raw);
    if (!result.success) {
      errors.push(`Ignored ${name}=${JSON.stringify(raw.slice(0, 80))}: ${result.error.issues[0]?.message ?? "invalid"}`);
      continue;
    }
    (data as unknown as Record<string, unknown>)[name] = name === "q" ? (result.data as string).trim() : result.data;
  }
  return { data, errors };
}

/** Query string for a list state; defaults are left out so URLs stay short and shareable. */
export function identityQueryString(query: IdentityQuery): string {
  const sp = new URLSearchParams();
  if (query.q) sp.set("q", query.q);
  if (query.kind) sp.set("kind", query.kind);
  if (query.cluster) sp.set("cluster", query.cluster);
  if (query.subscription) sp.set("subscription", query.subscription);
  if (query.sort !== defaultIdentityQuery.sort || query.dir !== defaultIdentityQuery.dir) {
    sp.set("sort", query.sort);
    sp.set("dir", query.dir);
  }
  if (query.page > 1) sp.set("page", String(query.page));
  const s = sp.toString();
  return s ? `?${s}` : "";
}

export function identitiesHref(query: IdentityQuery, changes: Partial<IdentityQuery> = {}): string {
  return `/identities${identityQueryString({ ...query, ...changes })}`;
}

/** True when any filter (not sort or page) is set. */
export function hasIdentityFilters(query: IdentityQuery): boolean {
  return Boolean(query.q || query.kind || query.cluster || query.subscription);
}

export function filterIdentityRows(rows: readonly IdentityRow[], query: IdentityQuery): IdentityRow[] {
  const needle = query.q.toLowerCase();
  const cluster = query.cluster?.toLowerCase();
  const subscription = query.subscription?.toLowerCase();
  return rows.filter(
    (row) =>
      (!query.kind || row.kind === query.kind) &&
      (!cluster || row.clusters.some((c) => c.id.toLowerCase() === cluster)) &&
      (!subscription || row.subscriptionIds.includes(subscription)) &&
      (!needle || row.searchText.includes(needle)),
  );
}

// One collator for every comparison: String#localeCompare with options builds one per call,
// which makes sorting 10k rows take most of a second.
const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
const byName = (a: IdentityRow, b: IdentityRow) => collator.compare(a.displayName, b.displayName) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Rows with no role assignment sort after every scope level in ascending (widest-first) order. */
const scopeRank = (r: IdentityRow) => (r.widest ? scopeLevelRank(r.widest.level) : Number.MAX_SAFE_INTEGER);

const comparators: Record<IdentitySortKey, (a: IdentityRow, b: IdentityRow) => number> = {
  name: () => 0,
  kind: (a, b) => IDENTITY_KIND_ORDER.indexOf(a.kind) - IDENTITY_KIND_ORDER.indexOf(b.kind),
  clusters: (a, b) => a.clusters.length - b.clusters.length,
  assignments: (a, b) => a.assignmentCount - b.assignmentCount,
  scope: (a, b) => scopeRank(a) - scopeRank(b),
  roles: (a, b) => a.roles.length - b.roles.length,
  workloads: (a, b) => a.workloadCount - b.workloadCount,
};

/** Sorted copy; ties always fall back to name ascending so paging is stable. */
export function sortIdentityRows(rows: IdentityRow[], sort: IdentitySortKey, dir: SortDirection): IdentityRow[] {
  const sign = dir === "asc" ? 1 : -1;
  const cmp = comparators[sort];
  return [...rows].sort((a, b) => (sort === "name" ? sign * byName(a, b) : sign * cmp(a, b) || byName(a, b)));
}

export interface IdentityPage {
  rows: IdentityRow[];
  /** Rows matching the filters, across all pages. */
  total: number;
  page: number;
  pageCount: number;
  /** 1-based index of the first row on this page (0 when there are none). */
  from: number;
  to: number;
}

/** Filters, sorts and cuts one page; a page past the end shows the last page. */
export function listIdentityPage(rows: IdentityRow[], query: IdentityQuery, pageSize = IDENTITY_PAGE_SIZE): IdentityPage {
  const filtered = filterIdentityRows(
    sortedOnce(rows, `${query.sort}:${query.dir}`, (all) => sortIdentityRows([...all], query.sort, query.dir)),
    query,
  );
  const pageCount = Math.max(1, Math.ceil(filtered.length / pageSize));
  const page = Math.min(query.page, pageCount);
  const start = (page - 1) * pageSize;
  const slice = filtered.slice(start, start + pageSize);
  return { rows: slice, total: filtered.length, page, pageCount, from: slice.length ? start + 1 : 0, to: start + slice.length };
}
