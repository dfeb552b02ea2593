import { describe, expect, it } from "vitest";
import { BuiltinRoleId, builtinRoleDefinitions, RoleCatalog, RoleNotFoundError } from "./catalog";
import { RoleDefinitionError } from "./permissions";
import { catalog, customRole } from "./test-roles";

/** The role name each constant must resolve to in Azure's catalog. */
const EXPECTED_NAMES: Record<keyof typeof BuiltinRoleId, string> = {
  Owner: "Owner",
  Contributor: "Contributor",
  Reader: "Reader",
  UserAccessAdministrator: "User Access Administrator",
  RoleBasedAccessControlAdministrator: "Role Based Access Control Administrator",
  AcrPull: "AcrPull",
  AcrPush: "AcrPush",
  AcrDelete: "AcrDelete",
  NetworkContributor: "Network Contributor",
  ManagedIdentityOperator: "Managed Identity Operator",
  ManagedIdentityContributor: "Managed Identity Contributor",
  VirtualMachineContributor: "Virtual Machine Contributor",
  DnsZoneContributor: "DNS Zone Contributor",
  PrivateDnsZoneContributor: "Private DNS Zone Contributor",
  MonitoringMetricsPublisher: "Monitoring Metrics Publisher",
  StorageAccountContributor: "Storage Account Contributor",
  KeyVaultReader: "Key Vault Reader",
  KeyVaultSecretsUser: "Key Vault Secrets User",
  KeyVaultCertificateUser: "Key Vault Certificate User",
  KeyVaultCryptoUser: "Key Vault Crypto User",
  KeyVaultCryptoServiceEncryptionUser: "Key Vault Crypto Service Encryption User",
  KeyVaultAdministrator: "Key Vault Administrator",
  KeyVaultSecretsOfficer: "Key Vault Secrets Officer",
  KeyVaultCertificatesOfficer: "Key Vault Certificates Officer",
  KeyVaultCryptoOfficer: "Key Vault Crypto Officer",
  StorageBlobDataOwner: "Storage Blob Data Owner",
  StorageBlobDataContributor: "Storage Blob Data Contributor",
  StorageBlobDataReader: "Storage Blob Data Reader",
  StorageQueueDataContributor: "Storage Queue Data Contributor",
  StorageQueueDataReader: "Storage Queue Data Reader",
  StorageQueueDataMessageSender: "Storage Queue Data Message Sender",
  StorageQueueDataMessageProcessor: "Storage Queue Data Message Processor",
  ServiceBusDataOwner: "Azure Service Bus Data Owner",
  ServiceBusDataSender: "Azure Service Bus Data Sender",
  ServiceBusDataReceiver: "Azure Service Bus Data Receiver",
  EventHubsDataOwner: "Azure Event Hubs Data Owner",
  EventHubsDataSender: "Azure Event Hubs Data Sender",
  EventHubsDataReceiver: "Azure Event Hubs Data Receiver",
  AksRbacReader: "Azure Kubernetes Service RBAC Reader",
  AksRbacWriter: "Azure Kubernetes Service RBAC Writer",
  AksRbacAdmin: "Azure Kubernetes Service RBAC Admin",
  AksRbacClusterAdmin: "Azure Kubernetes Service RBAC Cluster Admin",
  AksClusterUser: "Azure Kubernetes Service Cluster User Role",
  AksClusterAdmin: "Azure Kubernetes Service Cluster Admin Role",
  AksContributor: "Azure Kubernetes Service Contributor Role",
};

describe("BuiltinRoleId", () => {
  it.each(Object.entries(BuiltinRoleId))("%s is the catalog's GUID for its role", (key, guid) => {
    const role = catalog.get(guid);
    expect(role?.roleName).toBe(EXPECTED_NAMES[key as keyof typeof BuiltinRoleId]);
    expect(catalog.getByName(EXPECTED_NAMES[key as keyof typeof BuiltinRoleId])?.name).toBe(guid);
  });
});

describe("builtinRoleDefinitions", () => {
  it("adapts all 928 built-in roles to domain RoleDefinitions", () => {
    const roles = builtinRoleDefinitions();
    expect(roles).toHaveLength(928);
    const owner = roles.find((r) => r.name === BuiltinRoleId.Owner)!;
    expect(owner).toMatchObject({
      id: `/providers/Microsoft.Authorization/roleDefinitions/${BuiltinRoleId.Owner}`,
      roleName: "Owner",
      roleType: "BuiltInRole",
      permissions: [{ actions: ["*"], notActions: [], dataActions: [], notDataActions: [] }],
    });
    expect(Object.keys(owner)).not.toContain("createdOn");
    expect(builtinRoleDefinitions()[0]).toBe(roles[0]);
    expect(Object.isFrozen(owner.permissions[0]!.actions)).toBe(true);
  });
});

describe("RoleCatalog", () => {
  it("looks roles up by GUID in any id form and by name, case-insensitively", () => {
    const guid = BuiltinRoleId.AcrPull;
    for (const key of [guid, guid.toUpperCase(), `/providers/Microsoft.Authorization/roleDefinitions/${guid}`, `/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/providers/Microsoft.Authorization/roleDefinitions/${guid}/`]) {
      expect(catalog.get(key)?.roleName, key).toBe("AcrPull");
    }
    expect(catalog.getByName("acrpull")?.name).toBe(guid);
    expect(catalog.get("00000000-0000-0000-0000-000000000000")).toBeUndefined();
    expect(() => catalog.require("nope")).toThrow(RoleNotFoundError);
  });

  it("adds custom roles and lets a tenant definition replace a built-in with the same GUID", () => {
    const custom = customRole("AKS subnet joiner", { actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] });
    const changedReader = { ...catalog.require(BuiltinRoleId.Reader), permissions: [{ actions: ["*/read", "Microsoft.Support/*"], notActions: [], dataActions: [], notDataActions: [] }] };
    const cat = RoleCatalog.withBuiltins([custom, changedReader]);
    expect(cat.size).toBe(929);
    expect(cat.get(custom.id)).toBe(custom);
    expect(cat.getByName("aks subnet joiner")).toBe(custom);
    expect(cat.listCustom()).toEqual([custom]);
    expect(cat.get(BuiltinRoleId.Reader)).toBe(changedReader);
    expect(cat.classify(custom.id)).toMatchObject({ privileged: false, readerClass: false });
    expect(cat.classify(custom.id)).toBe(cat.classify(custom.name));
  });

  it("rejects malformed definitions, naming the role and what is wrong", () => {
    const noGuid = { ...customRole("x", { actions: ["*"] }), name: "not-a-guid", id: "/providers/Microsoft.Authorization/roleDefinitions/not-a-guid" };
    expect(() => new RoleCatalog([noGuid])).toThrow(/not-a-guid.*not a role definition GUID/);
    const mismatch = { ...customRole("y", { actions: ["*"] }), name: BuiltinRoleId.Owner };
    expect(() => new RoleCatalog([mismatch])).toThrow(/different GUID/);
    const badPerms = { ...customRole("z"), permissions: "all" } as never;
    expect(() => new RoleCatalog([badPerms])).toThrow(RoleDefinitionError);
  });
});
