import type { IdentityKind } from "@/lib/model/types";
import { identityKindDescriptions, identityKindLabels } from "./kind";

export function KindBadge({ kind }: { kind: IdentityKind }) {
  return (
    <span className="badge kind-badge" data-kind={kind} title={identityKindDescriptions[kind]}>
      {identityKindLabels[kind]}
    </span>
  );
}
