import Link from "next/link";
import { formatCount } from "./format";

/** Page numbers shown around the current page, with the first and last always reachable. */
export function pageWindow(page: number, pageCount: number, radius = 2): (number | "gap")[] {
  const pages = new Set<number>([1, pageCount]);
  for (let p = page - radius; p <= page + radius; p++) if (p >= 1 && p <= pageCount) pages.add(p);
  const sorted = [...pages].sort((a, b) => a - b);
  const out: (number | "gap")[] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1]! > 1) out.push("gap");
    out.push(p);
  });
  return out;
}

export function Pagination({
  page,
  pageCount,
  from,
  to,
  total,
  noun,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  from: number;
  to: number;
  total: number;
  noun: string;
  hrefFor: (page: number) => string;
}) {
  return (
    <div className="pagination">
      <span>
        {formatCount(from)}–{formatCount(to)} of {formatCount(total)} {noun}
      </span>
      {pageCount > 1 ? (
        <nav aria-label="Pages">
          <ul>
            {page > 1 ? (
              <li>
                <Link href={hrefFor(page - 1)} rel="prev">
                  Previous
                </Link>
              </li>
            ) : null}
            {pageWindow(page, pageCount).map((p, i) =>
              p === "gap" ? (
                <li key={`gap-${i}`} aria-hidden="true">
                  …
                </li>
              ) : (
                <li key={p}>
                  {p === page ? (
                    <span aria-current="page">{p}</span>
                  ) : (
                    <Link href={hrefFor(p)} aria-label={`Page ${p}`}>
                      {p}
                    </Link>
                  )}
                </li>
              ),
            )}
            {page < pageCount ? (
              <li>
                <Link href={hrefFor(page + 1)} rel="next">
                  Next
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
