import type { Permission, RoleDefinition } from "@/lib/model/types";
import { RoleCatalog } from "./catalog";

/** Test helper: the real built-in catalog, and custom roles built the way ARM returns them. */
export const catalog = RoleCatalog.withBuiltins();

export function builtin(roleName: string): RoleDefinition {
  const role = catalog.getByName(roleName);
  if (!role) throw new Error(`test setup: no built-in role named "${roleName}"`);
  return role;
}

let seq = 0;
export function customRole(roleName: string, ...blocks: Partial<Permission>[]): RoleDefinition {
  const guid = `00000000-0000-4000-8000-${String(++seq).padStart(12, "0")}`;
  return {
    id: `/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    roleName,
    roleType: "CustomRole",
    description: "",
    assignableScopes: ["/subscriptions/11111111-1111-1111-1111-111111111111"],
    permissions: blocks.map((b) => ({ actions: [], notActions: [], dataActions: [], notDataActions: [], ...b })),
  };
}
