import type { Finding, IacOrigin } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { ManagedObject } from "./ownership";

/** The Terraform origin of a live object the states hold, in the shape findings carry. */
export function originOfManaged(m: ManagedObject): IacOrigin {
  return { tool: "terraform", address: m.address, ...(m.file ? { file: m.file, line: m.line } : {}) };
}

/**
 * The state entry a finding is about, most specific first: its role assignment, the federated
 * credentials or identities it targets, then its identity's own resource. A drift finding
 * carries its origin already; undefined when no state holds what the finding is about.
 */
export function managedObjectOf(finding: Finding, managed: ReadonlyMap<string, ManagedObject>, identityResourceId?: string): ManagedObject | undefined {
  const get = (id: string | undefined) => (id ? managed.get(normalizeId(id)) : undefined);
  if (finding.roleAssignmentId) return get(finding.roleAssignmentId);
  for (const id of finding.targetIds ?? []) {
    const m = get(id);
    if (m) return m;
  }
  return get(identityResourceId);
}

/** The finding with the origin of the grant it is about, so a code fix can find its block; unchanged when no state holds it. */
export function withManagedOrigin(finding: Finding, managed: ReadonlyMap<string, ManagedObject>, identityResourceId?: string): Finding {
  if (finding.iac) return finding;
  const m = managedObjectOf(finding, managed, identityResourceId);
  return m ? { ...finding, iac: originOfManaged(m) } : finding;
}

/** "module.aks.azurerm_role_assignment.acr_pull in main.tf:42", or the address and state file when the HCL was not read. */
export function describeManaged(m: Pick<ManagedObject, "address" | "file" | "line" | "state">): string {
  return m.file ? `${m.address} in ${m.file}:${m.line}` : `${m.address} (state ${m.state})`;
}
