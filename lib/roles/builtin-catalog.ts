import catalog from "@/data/builtin-role-definitions.json";
import type { ArmWireObject } from "@/lib/model/wire";

/**
 * Azure's built-in role definitions (928 roles), in `az role definition list` shape.
 * Source: easimon/azure-builtin-roles (MIT), see README "Data sources".
 */
export interface CatalogRole {
  id: string;
  name: string;
  roleName: string;
  roleType: string;
  description: string;
  assignableScopes: string[];
  permissions: { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[]; condition?: string | null; conditionVersion?: string | null }[];
  createdOn?: string | null;
  updatedOn?: string | null;
  createdBy?: string | null;
  updatedBy?: string | null;
}

export const builtinCatalog: readonly CatalogRole[] = catalog as CatalogRole[];

/** A catalog role in ARM's wire shape (properties nested, `properties.type` = BuiltInRole), id at `scopePrefix`. */
export function catalogRoleToWire(role: CatalogRole, scopePrefix = ""): ArmWireObject {
  return {
    id: `${scopePrefix}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`,
    type: "Microsoft.Authorization/roleDefinitions",
    name: role.name,
    properties: {
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions.map((p) => ({
        actions: p.actions,
        notActions: p.notActions,
        dataActions: p.dataActions,
        notDataActions: p.notDataActions,
        ...(p.condition ? { condition: p.condition, conditionVersion: p.conditionVersion } : {}),
      })),
      createdOn: role.createdOn ?? undefined,
      updatedOn: role.updatedOn ?? undefined,
      createdBy: role.createdBy ?? null,
      updatedBy: role.updatedBy ?? null,
    },
  };
}
