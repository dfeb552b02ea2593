import Link from "next/link";
import { KindBadge } from "@/components/identities/kind-badge";
import { identitiesHref, type IdentityQuery, type IdentitySortKey } from "@/components/identities/query";
import type { IdentityRow } from "@/components/identities/rows";
import { RoleChips } from "@/components/identities/role-chips";
import { ScopeLevelLabel } from "@/lib/model/vocabulary";
import { formatCount } from "@/components/ui/format";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { ReactNode } from "react";

const columns: { key: IdentitySortKey; label: string; numeric?: boolean; firstDir: "asc" | "desc" }[] = [
  { key: "name", label: "Identity", firstDir: "asc" },
  { key: "kind", label: "Kind", firstDir: "asc" },
  { key: "clusters", label: "Clusters", firstDir: "desc" },
  { key: "assignments", label: "Role assignments", numeric: true, firstDir: "desc" },
  { key: "scope", label: "Widest scope", firstDir: "asc" },
  { key: "roles", label: "Roles", firstDir: "desc" },
  { key: "workloads", label: "Bound workloads", numeric: true, firstDir: "desc" },
];

function SortHeader({ column, query }: { column: (typeof columns)[number]; query: IdentityQuery }) {
  const active = query.sort === column.key;
  const nextDir = active ? (query.dir === "asc" ? "desc" : "asc") : column.firstDir;
  const ariaSort = active ? (query.dir === "asc" ? "ascending" : "descending") : "none";
  return (
    <th scope="col" aria-sort={ariaSort} className={column.numeric ? "num" : undefined}>
      <Link className="sort-link" href={identitiesHref(query, { sort: column.key, dir: nextDir, page: 1 })} scroll={false}>
        {column.label}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (query.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
        <span className="visually-hidden">{`, sort ${nextDir === "asc" ? "ascending" : "descending"}`}</span>
      </Link>
    </th>
  );
}

export function IdentityTable({ rows, query, caption, footer }: { rows: IdentityRow[]; query: IdentityQuery; caption: ReactNode; footer?: ReactNode }) {
  return (
    <ScrollRegion label="Identities" id="results">
      <table className="data cards-narrow">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <SortHeader key={c.key} column={c} query={query} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" className="col-name">
                <Link className="cell-title" href={`/identities/${encodeURIComponent(row.key)}`}>
                  {row.displayName}
                </Link>
                {row.principalId ? <div className="id" title="Principal (object) id">{row.principalId}</div> : null}
              </th>
              <td data-label="Kind">
                <KindBadge kind={row.kind} />
              </td>
              <td data-label="Clusters">
                {row.clusters.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  row.clusters.map((c) => (
                    <div key={c.id} title={c.id}>
                      {c.name}
                    </div>
                  ))
                )}
              </td>
              <td className="num" data-label="Role assignments">
                {formatCount(row.assignmentCount)}
              </td>
              <td data-label="Widest scope">
                {row.widest ? (
                  <>
                    <div className="cell-sub">{ScopeLevelLabel[row.widest.level]}</div>
                    <div title={row.widest.scope} className="name">
                      {row.widest.name}
                    </div>
                  </>
                ) : (
                  <span className="muted">No role assignments</span>
                )}
              </td>
              <td className="col-roles" data-label="Roles">
                <RoleChips roles={row.roles} />
              </td>
              <td className="num" data-label="Bound workloads">
                {formatCount(row.workloadCount)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {footer}
    </ScrollRegion>
  );
}
