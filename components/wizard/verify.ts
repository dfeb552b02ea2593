import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import type { ChangeRecord } from "@/lib/remediation/changes";

export interface GrantCheck {
  description: string;
  /** For creations: present in the rescan; for deletions: gone from it. */
  ok: boolean;
  expectation: "present" | "gone";
}

interface RoleOp {
  op: string;
  scope?: string;
  id?: string;
  roleDefinitionId?: string;
  principalId?: string;
  roleName?: string;
}

/**
 * What the rescan shows for each role-assignment write of a change: new grants present
 * (same role, scope and principal, under whatever name) and deleted ones gone.
 */
export function checkChangeAgainstScan(change: ChangeRecord, inventory: Inventory): GrantCheck[] {
  const grants = new Set(inventory.roleAssignments.map((a) => `${roleDefinitionGuid(a.roleDefinitionId)}|${normalizeId(a.scope)}|${a.principalId.toLowerCase()}`));
  const ids = new Set(inventory.roleAssignments.map((a) => normalizeId(a.id)));
  const out: GrantCheck[] = [];
  for (const s of change.steps) {
    if (s.kind.startsWith("rollback:") || s.status !== "done") continue;
    const op = s.operation as RoleOp;
    if (op.op === "create-role-assignment" && op.scope && op.roleDefinitionId && op.principalId) {
      const key = `${roleDefinitionGuid(op.roleDefinitionId)}|${normalizeId(op.scope)}|${op.principalId.toLowerCase()}`;
      out.push({ description: `${op.roleName ?? roleDefinitionGuid(op.roleDefinitionId)} at ${op.scope}`, ok: grants.has(key), expectation: "present" });
    }
    if (op.op === "delete-role-assignment" && op.id) {
      out.push({ description: `${op.roleName ?? "assignment"} ${op.id}`, ok: !ids.has(normalizeId(op.id)), expectation: "gone" });
    }
  }
  return out;
}
