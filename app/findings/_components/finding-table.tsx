import Link from "next/link";
import type { ReactNode } from "react";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { KindBadge } from "@/components/identities/kind-badge";
import { identityHref } from "@/components/findings/detail";
import { findingsHref, type FindingQuery, type FindingSortKey } from "@/components/findings/query";
import type { FindingRow } from "@/components/findings/rows";
import { SeverityBadge, StatusMarker } from "@/components/findings/severity-badge";
import { severityLabels } from "@/components/findings/severity";
import { TriageBadge } from "@/components/findings/triage-badge";
import { ScopeLevelLabel } from "@/lib/model/vocabulary";

const sortable: { key: FindingSortKey; label: string; firstDir: "asc" | "desc" }[] = [
  { key: "severity", label: "Severity", firstDir: "desc" },
  { key: "rule", label: "Finding", firstDir: "asc" },
  { key: "identity", label: "Identity", firstDir: "asc" },
];

function SortHeader({ column, query }: { column: { key: FindingSortKey; label: string; firstDir: "asc" | "desc" }; query: FindingQuery }) {
  const active = query.sort === column.key;
  const nextDir = active ? (query.dir === "asc" ? "desc" : "asc") : column.firstDir;
  const ariaSort = active ? (query.dir === "asc" ? "ascending" : "descending") : "none";
  return (
    <th scope="col" aria-sort={ariaSort}>
      <Link className="sort-link" href={findingsHref(query, { sort: column.key, dir: nextDir, page: 1 })} scroll={false}>
        {column.label}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (query.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
        <span className="visually-hidden">{`, sort ${nextDir === "asc" ? "ascending" : "descending"}`}</span>
      </Link>
    </th>
  );
}

export function FindingTable({
  rows,
  query,
  caption,
  footer,
  showStatus,
  selectForm,
}: {
  rows: FindingRow[];
  query: FindingQuery;
  caption: ReactNode;
  footer?: ReactNode;
  showStatus: boolean;
  /** The id of the bulk-action form the rows' checkboxes belong to; no checkboxes without it. */
  selectForm?: string;
}) {
  const [severity, rule, identity] = sortable as [(typeof sortable)[number], (typeof sortable)[number], (typeof sortable)[number]];
  return (
    <ScrollRegion label="Findings" id="results">
      <table className="data cards-narrow">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {selectForm ? (
              <th scope="col" className="col-select">
                <span className="visually-hidden">Select</span>
              </th>
            ) : null}
            <SortHeader column={severity} query={query} />
            <SortHeader column={rule} query={query} />
            <SortHeader column={identity} query={query} />
            <th scope="col">Role</th>
            <SortHeader column={{ key: "scope", label: "Scope", firstDir: "asc" }} query={query} />
            <th scope="col">Cluster</th>
            {showStatus ? <th scope="col">Since last scan</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {selectForm ? (
                <td className="col-select">
                  <input type="checkbox" form={selectForm} name="finding" value={row.id} aria-label={`Select: ${row.title}${row.identity ? `, ${row.identity.name}` : ""}`} />
                </td>
              ) : null}
              <td data-label="Severity">
                <SeverityBadge
                  severity={row.severity}
                  title={row.severity !== row.baseSeverity ? `${severityLabels[row.severity]} (base ${severityLabels[row.baseSeverity]})` : undefined}
                />
              </td>
              <th scope="row" className="col-finding">
                <Link className="cell-title" href={`/findings/${encodeURIComponent(row.id)}`}>
                  {row.title}
                </Link>
                <div className="id">{row.ruleId}</div>
                {row.triage ? <TriageBadge status={row.triage} /> : null}
                {row.managed ? (
                  <div className="cell-sub" title={`Managed by Terraform: ${row.managed.address}`}>
                    Terraform: <code>{row.managed.address}</code>
                  </div>
                ) : null}
              </th>
              <td className="col-identity" data-label="Identity">
                {row.identity ? (
                  <>
                    {row.identity.key ? (
                      <Link href={identityHref(row.identity.key)} className="name">
                        {row.identity.name}
                      </Link>
                    ) : (
                      <span className="name">{row.identity.name}</span>
                    )}
                    {row.identity.kind ? (
                      <div>
                        <KindBadge kind={row.identity.kind} />
                      </div>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label="Role">{row.roleName ?? <span className="muted">—</span>}</td>
              <td className="col-scope" data-label="Scope">
                {row.scope ? (
                  <details className="disclosure">
                    <summary title={row.scope.id}>
                      <span className="cell-sub">{ScopeLevelLabel[row.scope.level]} </span>
                      <span className="name">{row.scope.name}</span>
                    </summary>
                    <div className="id">{row.scope.id}</div>
                  </details>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label="Cluster">{row.cluster ? <span title={row.cluster.id}>{row.cluster.name}</span> : <span className="muted">—</span>}</td>
              {showStatus ? (
                <td data-label="Since last scan">
                  <StatusMarker status={row.status} reason={row.statusReason} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {footer}
    </ScrollRegion>
  );
}
