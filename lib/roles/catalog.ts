import type { RoleDefinition } from "@/lib/model/types";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import { builtinCatalog, type CatalogRole } from "./builtin-catalog";
import { classifyRole, type RoleClassification } from "./classify";
import { permissionBlocks, RoleDefinitionError } from "./permissions";

/**
 * GUIDs of the built-in roles the rules and profiles name. Built-in role GUIDs are the same
 * in every tenant and cloud; each one is checked against the catalog in catalog.test.ts.
 */
export const BuiltinRoleId = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  UserAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  RoleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  AcrDelete: "c2f4ef07-c644-48eb-af81-4b1b4947fb11",
  NetworkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  ManagedIdentityOperator: "f1a07417-d97a-45cb-824c-7a7467783830",
  ManagedIdentityContributor: "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
  VirtualMachineContributor: "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
  DnsZoneContributor: "befefa01-2a29-4197-83a8-272ff33ce314",
  PrivateDnsZoneContributor: "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
  MonitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  StorageAccountContributor: "17d1049b-9a84-46fb-8f53-869881c3d3ab",
  KeyVaultReader: "21090545-7ca7-4776-b22c-e363652d74d2",
  KeyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  KeyVaultCertificateUser: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
  KeyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  KeyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  KeyVaultAdministrator: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  KeyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  KeyVaultCertificatesOfficer: "a4417e6f-fecd-4de8-b567-7b0420556985",
  KeyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  StorageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  StorageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  StorageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  StorageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  StorageQueueDataReader: "19e7f393-937e-4f77-808e-94535e297925",
  StorageQueueDataMessageSender: "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
  StorageQueueDataMessageProcessor: "8a0f0c08-91a1-4084-bc3d-661d67233fed",
  ServiceBusDataOwner: "090c5cfd-751d-490a-894a-3ce6f1109419",
  ServiceBusDataSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
  ServiceBusDataReceiver: "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
  EventHubsDataOwner: "f526a384-b230-433a-b45c-95f59c4a2dec",
  EventHubsDataSender: "2b629674-e913-4c01-ae53-ef4638d8f975",
  EventHubsDataReceiver: "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
  AksRbacReader: "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
  AksRbacWriter: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
  AksRbacAdmin: "3498e952-d568-435e-9b2c-8d77e338d7f7",
  AksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  AksClusterUser: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  AksClusterAdmin: "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8",
  AksContributor: "ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8",
} as const;
export type BuiltinRoleId = (typeof BuiltinRoleId)[keyof typeof BuiltinRoleId];

/** The tenant-level id of a role definition GUID. */
export function roleDefinitionIdOf(guid: string): string {
  return `/providers/Microsoft.Authorization/roleDefinitions/${guid.toLowerCase()}`;
}

/** A catalog entry (`az role definition list` shape) as a domain RoleDefinition. */
export function adaptCatalogRole(role: CatalogRole): RoleDefinition {
  return {
    id: roleDefinitionIdOf(role.name),
    name: role.name.toLowerCase(),
    roleName: role.roleName,
    roleType: role.roleType === "CustomRole" ? "CustomRole" : "BuiltInRole",
    description: role.description,
    assignableScopes: [...role.assignableScopes],
    permissions: role.permissions.map((p) => ({
      actions: [...p.actions],
      notActions: [...p.notActions],
      dataActions: [...p.dataActions],
      notDataActions: [...p.notDataActions],
      ...(p.condition ? { condition: p.condition } : {}),
    })),
  };
}

let builtins: readonly RoleDefinition[] | undefined;

/**
 * Azure's built-in role definitions as domain RoleDefinitions. Adapted once; the same
 * (frozen) objects are returned on every call so per-role memoisation is shared.
 */
export function builtinRoleDefinitions(): RoleDefinition[] {
  builtins ??= Object.freeze(builtinCatalog.map((r) => deepFreeze(adaptCatalogRole(r))));
  return [...builtins];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A role definition named by id or name that the catalog does not hold. */
export class RoleNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Role definition not found: "${key}"`);
    this.name = "RoleNotFoundError";
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Built-in plus tenant (custom, and any built-in re-read from ARM) role definitions, looked up
 * by GUID in any id form (`<guid>`, `/providers/.../roleDefinitions/<guid>`,
 * `/subscriptions/<s>/providers/.../roleDefinitions/<guid>`) or by role name
 * (case-insensitive). A tenant definition with a built-in's GUID replaces it: what the
 * tenant returned is what Azure enforces there. Classification is memoised per GUID.
 */
export class RoleCatalog {
  private readonly byGuid = new Map<string, RoleDefinition>();
  private readonly byName = new Map<string, RoleDefinition[]>();
  private readonly classifications = new Map<string, RoleClassification>();

  /**
   * @param roles definitions to index; later entries replace earlier ones with the same GUID.
   * @throws RoleDefinitionError naming the role and field when a definition is malformed.
   */
  constructor(roles: readonly RoleDefinition[]) {
    roles.forEach((role, index) => {
      if (!role || typeof role !== "object") throw new RoleDefinitionError(`#${index}`, "not an object");
      const key = role.name || role.id;
      if (typeof key !== "string" || key.trim() === "") throw new RoleDefinitionError(`#${index}`, "has neither name (GUID) nor id");
      const guid = roleDefinitionGuid(key);
      if (!GUID.test(guid)) throw new RoleDefinitionError(role.id ?? `#${index}`, `name "${role.name}" is not a role definition GUID`);
      if (role.id && roleDefinitionGuid(role.id) !== guid) {
        throw new RoleDefinitionError(role.id, `id ends in a different GUID than name "${role.name}"`);
      }
      if (typeof role.roleName !== "string" || role.roleName.trim() === "") throw new RoleDefinitionError(role.id ?? guid, "roleName is missing");
      permissionBlocks(role);
      this.byGuid.set(guid, role);
    });
    for (const role of this.byGuid.values()) {
      const k = role.roleName.trim().toLowerCase();
      const list = this.byName.get(k) ?? [];
      list.push(role);
      this.byName.set(k, list);
    }
  }

  /** The built-in catalog plus the tenant's definitions (which win on the same GUID). */
  static withBuiltins(tenantRoles: readonly RoleDefinition[] = []): RoleCatalog {
    return new RoleCatalog([...builtinRoleDefinitions(), ...tenantRoles]);
  }

  get size(): number {
    return this.byGuid.size;
  }

  /** By GUID or any role definition id form; undefined when unknown. */
  get(idOrGuid: string): RoleDefinition | undefined {
    if (typeof idOrGuid !== "string" || idOrGuid.trim() === "") return undefined;
    return this.byGuid.get(roleDefinitionGuid(normalizeId(idOrGuid)));
  }

  /** Like `get`, but throws RoleNotFoundError. */
  require(idOrGuid: string): RoleDefinition {
    const role = this.get(idOrGuid);
    if (!role) throw new RoleNotFoundError(idOrGuid);
    return role;
  }

  /**
   * By role name, case-insensitive. Azure keeps role names unique per tenant; if a custom
   * role shares a built-in's name anyway, the built-in is returned (see `listByName`).
   */
  getByName(roleName: string): RoleDefinition | undefined {
    const list = this.listByName(roleName);
    return list.find((r) => r.roleType === "BuiltInRole") ?? list[0];
  }

  listByName(roleName: string): RoleDefinition[] {
    return [...(this.byName.get(roleName.trim().toLowerCase()) ?? [])];
  }

  list(): RoleDefinition[] {
    return [...this.byGuid.values()];
  }

  listBuiltin(): RoleDefinition[] {
    return this.list().filter((r) => r.roleType === "BuiltInRole");
  }

  listCustom(): RoleDefinition[] {
    return this.list().filter((r) => r.roleType === "CustomRole");
  }

  /** Classification of the role with this id (memoised per GUID); undefined when unknown. */
  classify(idOrGuid: string): RoleClassification | undefined {
    const role = this.get(idOrGuid);
    if (!role) return undefined;
    const guid = roleDefinitionGuid(role.name || role.id);
    let c = this.classifications.get(guid);
    if (!c) {
      c = classifyRole(role);
      this.classifications.set(guid, c);
    }
    return c;
  }
}
