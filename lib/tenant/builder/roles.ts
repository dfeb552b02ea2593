import { builtinCatalog, type CatalogRole } from "@/lib/roles/builtin-catalog";
import type { ArmWireObject } from "@/lib/model/wire";
import type { PrincipalRef } from "./identities";

/** Role definitions and role assignments in Microsoft.Authorization's GET shapes. */

const catalogByName = new Map(builtinCatalog.map((r) => [r.roleName.toLowerCase(), r]));

/** A built-in role from the catalog by its exact roleName; throws so a typo cannot produce a made-up GUID. */
export function builtinRole(roleName: string): CatalogRole {
  const role = catalogByName.get(roleName.toLowerCase());
  if (!role || role.roleName !== roleName) throw new Error(`"${roleName}" is not a built-in role name in data/builtin-role-definitions.json`);
  return role;
}

/** `/subscriptions/<s>` of an ARM id, or "" for management-group and root scopes. */
export function subscriptionPrefixOf(id: string): string {
  return /^\/subscriptions\/[^/]+/i.exec(id)?.[0] ?? "";
}

/**
 * The role definition id as ARM returns it on an assignment: qualified by the subscription of
 * the scope, or in the tenant-level form at management-group and root scope.
 */
export function roleDefinitionIdAt(scope: string, roleGuid: string): string {
  return `${subscriptionPrefixOf(scope)}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/** `<scope>/providers/Microsoft.Authorization/roleAssignments/<name>`; at the root scope `/` the id starts at /providers. */
export function roleAssignmentIdOf(scope: string, name: string): string {
  return `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

export interface RoleAssignmentSpec {
  scope: string;
  /** The assignment's GUID (its name). */
  name: string;
  roleGuid: string;
  principalId: string;
  principalType: PrincipalRef["principalType"];
  /** When and by whom it was made; without it the audit fields are left out, as in older API versions. */
  created?: { on: string; by: string };
  /** An ABAC condition (conditionVersion 2.0). */
  condition?: string;
}

export function roleAssignmentWire(s: RoleAssignmentSpec): ArmWireObject & { id: string; name: string } {
  return {
    id: roleAssignmentIdOf(s.scope, s.name),
    name: s.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: roleDefinitionIdAt(s.scope, s.roleGuid),
      principalId: s.principalId,
      principalType: s.principalType,
      scope: s.scope,
      condition: s.condition ?? null,
      conditionVersion: s.condition ? "2.0" : null,
      ...(s.created
        ? { createdOn: s.created.on, updatedOn: s.created.on, createdBy: s.created.by, updatedBy: s.created.by, delegatedManagedIdentityResourceId: null, description: null }
        : {}),
    },
  };
}

export interface Permissions {
  actions: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

export interface CustomRoleSpec {
  guid: string;
  roleName: string;
  description: string;
  permissions: Permissions;
  assignableScopes: string[];
  created?: { on: string; updatedOn: string; by: string };
}

/** A custom role definition, defined at the first assignable scope's subscription (tenant level when that is a management group). */
export function customRoleWire(s: CustomRoleSpec): ArmWireObject & { id: string; name: string } {
  return {
    id: `${subscriptionPrefixOf(s.assignableScopes[0] ?? "")}/providers/Microsoft.Authorization/roleDefinitions/${s.guid}`,
    name: s.guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: s.roleName,
      description: s.description,
      type: "CustomRole",
      permissions: [
        {
          actions: s.permissions.actions,
          notActions: s.permissions.notActions ?? [],
          dataActions: s.permissions.dataActions ?? [],
          notDataActions: s.permissions.notDataActions ?? [],
        },
      ],
      assignableScopes: s.assignableScopes,
      ...(s.created ? { createdOn: s.created.on, updatedOn: s.created.updatedOn, createdBy: s.created.by, updatedBy: s.created.by } : {}),
    },
  };
}

/**
 * A blob data role's condition as the Azure portal writes it: the listed blob data actions (`read`,
 * `write`, `add/action`, ...) run only in the container named `container`.
 */
export function blobContainerCondition(container: string, actions: readonly string[]): string {
  const guards = actions.map((a) => `!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${a}'})`).join(" AND ");
  return `((${guards}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${container}'))`;
}
