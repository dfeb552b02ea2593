import type { IdentityKind } from "@/lib/model/types";
import { IdentityKindDescription, IdentityKindLabel } from "@/lib/model/vocabulary";

export function KindBadge({ kind }: { kind: IdentityKind }) {
  return (
    <span className="badge kind-badge" data-kind={kind} title={IdentityKindDescription[kind]}>
      {IdentityKindLabel[kind]}
    </span>
  );
}
