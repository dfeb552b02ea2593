import { ScopeLevelLabel } from "@/lib/model/vocabulary";
import { type ScopeCrumb } from "@/lib/model/names";

const shortLevel: Record<ScopeCrumb["level"], string> = {
  root: "root",
  managementGroup: "mg",
  subscription: "sub",
  resourceGroup: "rg",
  resource: "res",
};

/** management group › subscription › resource group › resource, each step titled with its ARM id. */
export function ScopeBreadcrumb({ crumbs, label }: { crumbs: ScopeCrumb[]; label: string }) {
  return (
    <nav aria-label={label}>
      <ol className="scope-crumbs">
        {crumbs.map((crumb, i) => (
          <li key={`${crumb.id}-${i}`} aria-current={i === crumbs.length - 1 ? "location" : undefined}>
            <abbr className="scope-crumb-level" title={crumb.resourceType ?? ScopeLevelLabel[crumb.level]}>
              {shortLevel[crumb.level]}
            </abbr>
            <span
              className="scope-crumb-label"
              data-known={crumb.known}
              title={crumb.known ? crumb.id : `${crumb.id} (not seen by the scan)`}
            >
              {crumb.label}
            </span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
