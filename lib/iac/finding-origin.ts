import type { Finding, IacOrigin } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { WireOrigin } from "./azurerm-wire";

/** File and line of a resource block; `file` relative to the directory the HCL was read from. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** Finds the block of a resource instance address (instance keys ignored: one block makes every instance). */
export type Locate = (address: string) => SourceLocation | undefined;

/** The origin entry a finding is about, most specific first: its role assignment, other objects, its cluster, its principal. */
function originOf(f: Finding, origins: Map<string, WireOrigin>): WireOrigin | undefined {
  if (f.roleAssignmentId) return origins.get(normalizeId(f.roleAssignmentId));
  for (const id of [...(f.targetIds ?? []), f.clusterId, f.principalId]) {
    const o = id ? origins.get(normalizeId(id)) : undefined;
    if (o) return o;
  }
  return undefined;
}

/** The IaC origin of one finding, or undefined when no planned object is involved. */
export function iacOriginOf(f: Finding, origins: Map<string, WireOrigin>, locate?: Locate): IacOrigin | undefined {
  const o = originOf(f, origins);
  if (!o) return undefined;
  const at = locate?.(o.address);
  return { tool: "terraform", address: o.address, ...(at ? { file: at.file, line: at.line } : {}) };
}

/**
 * Marks each finding about a planned object with its Terraform origin, and names objects the
 * plan creates by address: a cluster that does not exist yet has no ARM id anyone can look up.
 */
export function annotateFindings(findings: Finding[], origins: Map<string, WireOrigin>, locate?: Locate): Finding[] {
  return findings.map((f) => {
    const iac = iacOriginOf(f, origins, locate);
    if (!iac) return f;
    const out: Finding = { ...f, iac };
    const cluster = f.clusterId ? origins.get(normalizeId(f.clusterId)) : undefined;
    if (cluster && cluster.type === "azurerm_kubernetes_cluster" && isCreate(cluster.actions)) out.clusterId = cluster.address;
    return out;
  });
}

/** True when the plan makes the object anew (create, or replace: delete then create or the reverse). */
export function isCreate(actions: readonly string[]): boolean {
  return actions.includes("create");
}
