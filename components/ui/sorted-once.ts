/**
 * A list's rows in one sort order, sorted once per rows array: the identities and findings
 * pages re-render from the same cached rows on every request, and sorting 100k+ rows with a
 * collator took most of a second each time. Filtering keeps order, so pages filter the
 * sorted rows instead of sorting the filtered ones.
 */
const sortedBy = new WeakMap<readonly object[], Map<string, readonly object[]>>();

export function sortedOnce<T extends object>(rows: readonly T[], order: string, sort: (rows: readonly T[]) => T[]): readonly T[] {
  let byOrder = sortedBy.get(rows);
  if (!byOrder) sortedBy.set(rows, (byOrder = new Map()));
  let sorted = byOrder.get(order) as readonly T[] | undefined;
  if (!sorted) {
    sorted = sort(rows);
    byOrder.set(order, sorted);
  }
  return sorted;
}
