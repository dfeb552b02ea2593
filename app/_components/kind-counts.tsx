import Link from "next/link";
import type { Overview } from "@/components/inventory/overview";
import { defaultIdentityQuery, identitiesHref } from "@/components/identities/query";
import { formatCount } from "@/components/ui/format";
import { IdentityKindDescription } from "@/lib/model/vocabulary";

export function KindCounts({ kindCounts }: { kindCounts: Overview["kindCounts"] }) {
  return (
    <ul className="stat-grid" aria-label="Identities by kind">
      {kindCounts.map(({ kind, label, count }) => (
        <li key={kind} className="card stat" style={{ ["--stat-color" as string]: `var(--kind-${kind})` }} data-kind={kind}>
          <span className="stat-label" title={IdentityKindDescription[kind]}>
            {label}
          </span>
          <Link className="stat-value" href={identitiesHref(defaultIdentityQuery, { kind })} aria-label={`${formatCount(count)} ${label} identities`}>
            {formatCount(count)}
          </Link>
        </li>
      ))}
    </ul>
  );
}
