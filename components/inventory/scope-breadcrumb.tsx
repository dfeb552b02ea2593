import Link from "next/link";
import { reachHref } from "@/components/graph/links";
import { ScopeLevelLabel } from "@/lib/model/vocabulary";
import { type ScopeCrumb } from "@/lib/model/names";

const shortLevel: Record<ScopeCrumb["level"], string> = {
  root: "root",
  managementGroup: "mg",
  subscription: "sub",
  resourceGroup: "rg",
  resource: "res",
};

/**
 * management group › subscription › resource group › resource, each step titled with its ARM
 * id and linking to the graph's "who can reach this?". A page's own breadcrumb is a navigation
 * landmark; one per table row (`landmark={false}`) is a plain labelled list, so a page does not
 * fill up with landmarks of the same name.
 */
export function ScopeBreadcrumb({ crumbs, label, landmark = true }: { crumbs: ScopeCrumb[]; label: string; landmark?: boolean }) {
  const list = (
    <ol className="scope-crumbs" aria-label={landmark ? undefined : label}>
      {crumbs.map((crumb, i) => (
        <li key={`${crumb.id}-${i}`} aria-current={i === crumbs.length - 1 ? "location" : undefined}>
          <abbr className="scope-crumb-level" title={crumb.resourceType ?? ScopeLevelLabel[crumb.level]}>
            {shortLevel[crumb.level]}
          </abbr>
          <Link
            className="scope-crumb-label"
            data-known={crumb.known}
            href={reachHref(crumb.id)}
            title={`${crumb.known ? crumb.id : `${crumb.id} (not seen by the scan)`}: who can reach it?`}
          >
            {crumb.label}
          </Link>
        </li>
      ))}
    </ol>
  );
  return landmark ? <nav aria-label={label}>{list}</nav> : list;
}
