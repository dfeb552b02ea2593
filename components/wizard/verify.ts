import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import type { ChangeRecord } from "@/lib/remediation/changes";

export interface GrantCheck {
  description: string;
  /** For creations: present in the rescan; for deletions: gone from it. */
  ok: boolean;
  expectation: "present" | "gone";
}

interface RecordedOp {
  op: string;
  scope?: string;
  id?: string;
  roleDefinitionId?: string;
  principalId?: string;
  roleName?: string;
  identityId?: string;
  name?: string;
  issuer?: string;
  subject?: string;
  clusterId?: string;
  kind?: string;
  namespace?: string;
}

/** aad-pod-identity kinds the scan reads, so a deletion of one can be seen gone. */
const POD_IDENTITY_KINDS = { AzureIdentityBinding: "azureIdentityBindings", AzureIdentity: "azureIdentities" } as const;

/**
 * What the rescan shows for each role-assignment write of a change: new grants present
 * (same role, scope and principal, under whatever name) and deleted ones gone.
 */
export function checkChangeAgainstScan(change: ChangeRecord, inventory: Inventory): GrantCheck[] {
  const grants = new Set(inventory.roleAssignments.map((a) => `${roleDefinitionGuid(a.roleDefinitionId)}|${normalizeId(a.scope)}|${a.principalId.toLowerCase()}`));
  const ids = new Set(inventory.roleAssignments.map((a) => normalizeId(a.id)));
  const out: GrantCheck[] = [];
  const credentials = new Set(inventory.federatedCredentials.map((f) => `${normalizeId(f.identityId)}|${f.issuer}|${f.subject ?? ""}`));
  const kube = (kind: keyof typeof POD_IDENTITY_KINDS) => new Set(inventory.kubernetes[POD_IDENTITY_KINDS[kind]].map((o) => `${normalizeId(o.clusterId)}|${o.namespace}|${o.name}`));
  const read = new Set(inventory.kubernetes.readClusterIds.map(normalizeId));
  for (const s of change.steps) {
    if (s.kind.startsWith("rollback:") || s.status !== "done") continue;
    const op = s.operation as RecordedOp;
    if (op.op === "create-federated-credential" && op.identityId && op.issuer && op.subject) {
      out.push({ description: `federated credential ${op.name ?? ""} trusting ${op.subject}`, ok: credentials.has(`${normalizeId(op.identityId)}|${op.issuer}|${op.subject}`), expectation: "present" });
    }
    // A cluster the rescan could not read says nothing about its objects: no check rather than a false "gone".
    if (op.op === "kubernetes-delete" && op.clusterId && op.kind && op.kind in POD_IDENTITY_KINDS && op.name && read.has(normalizeId(op.clusterId))) {
      const key = `${normalizeId(op.clusterId)}|${op.namespace ?? ""}|${op.name}`;
      out.push({ description: `${op.kind} ${op.namespace ? `${op.namespace}/` : ""}${op.name}`, ok: !kube(op.kind as keyof typeof POD_IDENTITY_KINDS).has(key), expectation: "gone" });
    }
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

/**
 * The verdict on the applied change itself, apart from the finding: a partial migration (some
 * bindings of a cluster) leaves the finding reported for the others while its own writes all
 * took effect.
 */
export function changeVerdict(checks: readonly GrantCheck[]): { ok: boolean; text: string } | undefined {
  if (checks.length === 0) return undefined;
  const failed = checks.filter((c) => !c.ok).length;
  return failed === 0
    ? { ok: true, text: `The applied plan took effect: all ${checks.length} of its writes show in the rescan.` }
    : { ok: false, text: `The applied plan did not fully take effect: ${failed} of ${checks.length} writes do not show in the rescan.` };
}
