import { findingId } from "@/lib/model/finding-id";
import { Severity, type Finding } from "@/lib/model/findings";
import { normalizeId, roleDefinitionGuid, subscriptionOf } from "@/lib/model/scope";
import type { Inventory, RoleAssignment } from "@/lib/model/types";
import { RoleCatalog } from "@/lib/roles/catalog";
import { str } from "./azurerm-ids";
import type { Locate } from "./finding-origin";
import type { TerraformState } from "./terraform-json";
import { TerraformModel, type ModelInstance } from "./terraform-model";

/** The rule id of drift findings. A public contract like every rule id: never rename it. */
export const TERRAFORM_DRIFT = "terraform-drift";

export const ManagedKind = { RoleAssignment: "roleAssignment", Identity: "identity", FederatedCredential: "federatedCredential" } as const;
export type ManagedKind = (typeof ManagedKind)[keyof typeof ManagedKind];

/** A live object a Terraform state holds: "managed by Terraform: <address> in <file>:<line>". */
export interface ManagedObject {
  kind: ManagedKind;
  /** The ARM id as the state records it. */
  id: string;
  address: string;
  /** The state file that holds it. */
  state: string;
  file?: string;
  line?: number;
}

export interface Ownership {
  /** normalizeId(ARM id) → the state entry, for every role assignment, identity and federated credential a state holds. */
  managed: Map<string, ManagedObject>;
  /** Objects a state holds, changed or gone in Azure; live grants on state-managed identities that no state holds. */
  drift: Finding[];
}

const TYPES: Record<string, ManagedKind> = {
  azurerm_role_assignment: ManagedKind.RoleAssignment,
  azurerm_user_assigned_identity: ManagedKind.Identity,
  azurerm_federated_identity_credential: ManagedKind.FederatedCredential,
};

/**
 * Which live grants, identities and federated credentials the states hold (matched by ARM id,
 * case-insensitively), and drift both ways. Objects outside the scanned subscriptions are
 * neither matched nor reported gone: the scan could not have seen them.
 */
export function ownershipOf(states: readonly TerraformState[], inventory: Inventory, locate?: Locate): Ownership {
  const managed = new Map<string, ManagedObject>();
  const drift: Finding[] = [];
  const scanned = new Set(inventory.subscriptions.map((s) => s.subscriptionId.toLowerCase()));
  const inScan = (id: string) => scanned.has((subscriptionOf(id) ?? "").toLowerCase());
  const assignments = new Map(inventory.roleAssignments.map((a) => [normalizeId(a.id), a]));
  const identities = new Map(inventory.userAssignedIdentities.map((u) => [normalizeId(u.id), u]));
  const credentials = new Map(inventory.federatedCredentials.map((f) => [normalizeId(f.id), f]));
  const catalog = RoleCatalog.withBuiltins(inventory.roleDefinitions);

  const report = (inst: ModelInstance, entry: ManagedObject, key: string, message: string, severity: Severity, target?: RoleAssignment) => {
    drift.push({
      id: findingId(TERRAFORM_DRIFT, [entry.id, key]),
      ruleId: TERRAFORM_DRIFT,
      severity,
      baseSeverity: severity,
      title: "Live grant differs from Terraform state",
      message,
      evidence: [{ source: entry.id, fact: `${entry.address} in ${entry.state}${entry.file ? ` (${entry.file}:${entry.line})` : ""}` }],
      fixes: [],
      ...(target ? { roleAssignmentId: target.id, principalId: target.principalId, scope: target.scope, roleDefinitionId: target.roleDefinitionId, roleName: target.roleName } : {}),
      iac: { tool: "terraform", address: inst.address, ...(entry.file ? { file: entry.file, line: entry.line } : {}) },
    });
  };

  const managedIdentities: { inst: ModelInstance; entry: ManagedObject; principalId?: string }[] = [];
  for (const state of states) {
    const model = new TerraformModel(state);
    for (const inst of model.instances) {
      const kind = inst.mode === "managed" ? TYPES[inst.type] : undefined;
      const id = str(model.known(inst, ["id"]));
      if (!kind || !id || !inScan(id)) continue;
      const at = locate?.(inst.address);
      const entry: ManagedObject = { kind, id, address: inst.address, state: state.file, ...(at ? { file: at.file, line: at.line } : {}) };
      managed.set(normalizeId(id), entry);
      if (kind === ManagedKind.RoleAssignment) {
        const live = assignments.get(normalizeId(id));
        if (!live) {
          report(inst, entry, "gone", `${inst.address} (${state.file}) holds role assignment ${id}, which Azure no longer has: the next apply re-creates it.`, Severity.Low);
          continue;
        }
        const changes = assignmentChanges(model, inst, live, catalog);
        if (changes.length) report(inst, entry, "changed", `${inst.address} (${state.file}) differs from the live assignment: ${changes.join("; ")}. The next apply sets it back to the state.`, Severity.Medium, live);
      } else if (kind === ManagedKind.Identity) {
        const live = identities.get(normalizeId(id));
        if (!live) report(inst, entry, "gone", `${inst.address} (${state.file}) holds identity ${id}, which Azure no longer has.`, Severity.Low);
        else managedIdentities.push({ inst, entry, principalId: live.principalId });
      } else {
        const live = credentials.get(normalizeId(id));
        const issuer = str(model.known(inst, ["issuer"]));
        const subject = str(model.known(inst, ["subject"]));
        if (!live) report(inst, entry, "gone", `${inst.address} (${state.file}) holds federated credential ${id}, which Azure no longer has.`, Severity.Low);
        else if (issuer !== live.issuer || subject !== live.subject) {
          report(inst, entry, "changed", `${inst.address} (${state.file}) trusts ${subject} from ${issuer}; Azure has ${live.subject} from ${live.issuer}.`, Severity.Medium);
        }
      }
    }
  }
  // The reverse: grants on an identity the code manages that the code does not hold.
  for (const { inst, entry, principalId } of managedIdentities) {
    if (!principalId) continue;
    for (const a of inventory.roleAssignments) {
      if (a.principalId.toLowerCase() !== principalId.toLowerCase() || managed.has(normalizeId(a.id))) continue;
      report(inst, entry, `unmanaged|${a.id}`, `${a.roleName ?? a.roleDefinitionName} at ${a.scope} is granted to ${inst.address} (${entry.state}) outside Terraform: no state holds it.`, Severity.Medium, a);
    }
  }
  return { managed, drift };
}

/** What differs between a state's role assignment and the live one: role, scope, principal, condition. */
function assignmentChanges(model: TerraformModel, inst: ModelInstance, live: RoleAssignment, catalog: RoleCatalog): string[] {
  const out: string[] = [];
  const roleId = str(model.known(inst, ["role_definition_id"]));
  const roleName = str(model.known(inst, ["role_definition_name"]));
  const stateGuid = roleId ? roleDefinitionGuid(roleId) : roleName ? catalog.getByName(roleName)?.name : undefined;
  if (stateGuid && stateGuid !== live.roleDefinitionName) out.push(`role ${roleName ?? stateGuid} in state, ${live.roleName ?? live.roleDefinitionName} live`);
  const scope = str(model.known(inst, ["scope"]));
  if (scope && normalizeId(scope) !== normalizeId(live.scope)) out.push(`scope ${scope} in state, ${live.scope} live`);
  const principal = str(model.known(inst, ["principal_id"]));
  if (principal && principal.toLowerCase() !== live.principalId.toLowerCase()) out.push(`principal ${principal} in state, ${live.principalId} live`);
  const condition = str(model.known(inst, ["condition"])) ?? null;
  if ((condition ?? null) !== (live.condition || null)) out.push(`condition ${condition ?? "(none)"} in state, ${live.condition || "(none)"} live`);
  return out;
}
