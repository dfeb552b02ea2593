import type { FindingRow } from "./rows";

/** At most one page of ticked rows travels in a URL; "all matching the filter" covers more. */
export const MAX_SELECTED_IDS = 500;
const FINDING_ID = /^[a-z0-9][a-z0-9-]{0,199}$/;

/** `id=a,b,c` (finding ids are rule id + hash: no commas) → the ids, each bad one named. */
export function parseSelectedIds(raw: string): { ids?: string[]; errors: string[] } {
  const ids = [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
  if (ids.length === 0) return { errors: ["id: list at least one finding id, or leave id out to export what the filter shows"] };
  if (ids.length > MAX_SELECTED_IDS) return { errors: [`id: at most ${MAX_SELECTED_IDS} ids; export all matching the filter instead`] };
  const bad = ids.filter((id) => !FINDING_ID.test(id));
  if (bad.length > 0) return { errors: bad.slice(0, 5).map((id) => `id: ${JSON.stringify(id.slice(0, 80))} is not a finding id`) };
  return { ids, errors: [] };
}

/** The listed rows whose ids are chosen, in the list's order, and the chosen ids the list does not show. */
export function selectedRows(listed: readonly FindingRow[], ids: readonly string[]): { rows: FindingRow[]; missing: string[] } {
  const wanted = new Set(ids);
  const rows = listed.filter((r) => wanted.has(r.id));
  const found = new Set(rows.map((r) => r.id));
  return { rows, missing: ids.filter((id) => !found.has(id)) };
}

/**
 * The export URL for a bulk selection: the list's query (filters, sort; never the page) with
 * the format, and `id` for ticked rows — or no `id` for "all matching the filters".
 */
export function selectionExportHref(listQuery: string, format: "csv" | "json", ids?: readonly string[]): string {
  const params = new URLSearchParams(listQuery.startsWith("?") ? listQuery.slice(1) : listQuery);
  params.delete("page");
  params.set("format", format);
  if (ids) params.set("id", ids.join(","));
  return `/api/findings/export?${params.toString()}`;
}
