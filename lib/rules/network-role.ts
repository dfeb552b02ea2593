import type { RoleDefinition } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import { isBroad, isPrivileged, writesProvider } from "@/lib/roles/classify";

const g = (id: string) => id.toLowerCase();

/** A custom role "equivalent" to Network Contributor: writes under Microsoft.Network only, neither broad nor privileged. */
export function isNetworkRole(role: RoleDefinition | undefined): boolean {
  if (!role) return false;
  if (g(role.name) === g(BuiltinRoleId.NetworkContributor)) return true;
  if (role.roleType !== "CustomRole" || isPrivileged(role) || isBroad(role)) return false;
  if (!writesProvider(role, "Microsoft.Network")) return false;
  return role.permissions.every((p) =>
    p.actions.every((a) => a.toLowerCase().startsWith("microsoft.network/") || a.toLowerCase().endsWith("/read")),
  );
}
