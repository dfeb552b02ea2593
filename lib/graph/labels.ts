import { IdentityKind } from "@/lib/model/types";
import { IdentityKindLabel } from "@/lib/model/vocabulary";
import type { GraphRole } from "./types";

/** A "holds role" edge's label: its distinct role names, sorted, at most three then "+n". */
export function roleLabel(roles: readonly GraphRole[]): string {
  const names = [...new Set(roles.map((r) => r.roleName))].sort((a, b) => a.localeCompare(b));
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} +${names.length - 3}`;
}

/** "control plane", "add-on omsagent": the job an identity does, as an edge label reads it. */
export function jobLabel(kind: IdentityKind, addon?: string): string {
  const label = IdentityKindLabel[kind]?.toLowerCase() ?? kind;
  return kind === IdentityKind.Addon && addon ? `${label} ${addon}` : label;
}
