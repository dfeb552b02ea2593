import type { Permission, RoleAssignment, RoleDefinition, ScopeLevel } from "@/lib/model/types";
import { roleDefinitionGuid, lastSegment } from "@/lib/model/scope";
import { parseScopeOrFail } from "./hierarchy.adapter";
import { armReader, FieldReader, isRecord } from "@/lib/model/wire";

// Tenants hold many assignments per scope; parse each scope string once.
const scopeLevels = new Map<string, ScopeLevel>();

const ASSIGNMENT_SUFFIX = /\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+\/?$/i;

/** The tenant-level id every form of a role definition id maps to (ARM qualifies it per subscription). */
export function tenantRoleDefinitionId(guid: string): string {
  return `/providers/Microsoft.Authorization/roleDefinitions/${guid.toLowerCase()}`;
}

/** Microsoft.Authorization/roleDefinitions GET body (`properties.type` is BuiltInRole or CustomRole). */
export function adaptRoleDefinition(wire: unknown): RoleDefinition {
  const r = armReader("roleDefinition", wire);
  const id = r.reqString("id");
  const guid = (r.optString("name") ?? lastSegment(id)).toLowerCase();
  const type = r.optString("properties.type") ?? r.optString("properties.roleType");
  return {
    id: tenantRoleDefinitionId(guid),
    name: guid,
    roleName: r.reqString("properties.roleName"),
    roleType: type?.toLowerCase() === "builtinrole" ? "BuiltInRole" : "CustomRole",
    description: r.optString("properties.description") ?? "",
    assignableScopes: r.stringArray("properties.assignableScopes"),
    permissions: r.optArray("properties.permissions").map((p, i) => adaptPermission(r, p, i)),
  };
}

function adaptPermission(r: FieldReader, p: unknown, i: number): Permission {
  const path = `properties.permissions[${i}]`;
  if (!isRecord(p)) r.fail(path, "must be an object");
  const pr = new FieldReader(r.kind, r.objectId, p);
  const list = (f: string) => {
    try {
      return pr.stringArray(f);
    } catch {
      return r.fail(`${path}.${f}`, "must be an array of strings");
    }
  };
  return {
    actions: list("actions"),
    notActions: list("notActions"),
    dataActions: list("dataActions"),
    notDataActions: list("notDataActions"),
    ...(typeof p.condition === "string" ? { condition: p.condition } : {}),
  };
}

/** Microsoft.Authorization/roleAssignments GET body (also the Resource Graph authorizationresources row). */
export function adaptRoleAssignment(wire: unknown): RoleAssignment {
  const r = armReader("roleAssignment", wire);
  const id = r.reqString("id");
  const roleDefinitionId = r.reqString("properties.roleDefinitionId");
  const principalId = r.reqString("properties.principalId");
  // ARM always returns properties.scope; the id carries it too, before /providers/Microsoft.Authorization/roleAssignments.
  let scope = r.optString("properties.scope");
  if (!scope) {
    if (!ASSIGNMENT_SUFFIX.test(id)) r.fail("properties.scope", "is missing and the id does not end in /providers/Microsoft.Authorization/roleAssignments/<guid>");
    scope = id.replace(ASSIGNMENT_SUFFIX, "") || "/";
  }
  const level = scopeLevels.get(scope) ?? parseScopeOrFail(r, scope, "properties.scope").level;
  if (scopeLevels.size < 100_000) scopeLevels.set(scope, level);
  return {
    id,
    name: r.optString("name") ?? lastSegment(id),
    scope,
    scopeLevel: level,
    principalId,
    principalType: r.optString("properties.principalType") ?? "Unknown",
    roleDefinitionId,
    roleDefinitionName: roleDefinitionGuid(roleDefinitionId),
    condition: r.optString("properties.condition") ?? null,
    conditionVersion: r.optString("properties.conditionVersion") ?? null,
    description: r.optString("properties.description") ?? null,
    createdOn: r.optString("properties.createdOn"),
  };
}
