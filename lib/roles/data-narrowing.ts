import type { RoleDefinition } from "@/lib/model/types";
import { BuiltinRoleId, type RoleCatalog } from "./catalog";
import { countGrantedOperations, narrowestCovering, type CoveringRole, type OperationNeed } from "./narrowest";
import { findGrantedOperation } from "./permissions";

/**
 * Data-plane narrowing for rule data-role-broader-than-needed: the wizard asks what the app
 * does with the data (read / write / send / receive / manage); each answer is a set of
 * concrete operations per service (the table below, data), and the role proposed is the
 * narrowest built-in role covering those operations, computed by `narrowestCovering` from
 * the role definitions, not looked up.
 */

export const DataNeed = {
  Read: "read",
  Write: "write",
  Send: "send",
  Receive: "receive",
  Manage: "manage",
} as const;
export type DataNeed = (typeof DataNeed)[keyof typeof DataNeed];

export const DataRoleFamilyId = {
  StorageBlob: "storage-blob",
  StorageQueue: "storage-queue",
  ServiceBus: "service-bus",
  EventHubs: "event-hubs",
  KeyVaultSecrets: "key-vault-secrets",
  KeyVaultKeys: "key-vault-keys",
  KeyVaultCertificates: "key-vault-certificates",
} as const;
export type DataRoleFamilyId = (typeof DataRoleFamilyId)[keyof typeof DataRoleFamilyId];

export interface DataRoleFamily {
  id: DataRoleFamilyId;
  label: string;
  /** The resource type whose instances hold the data. */
  resourceType: string;
  /** A role belongs to the family when it grants a data action matching this pattern. */
  dataScope: string;
  /** The operations each need requires. Needs a service has no notion of are absent. */
  needs: Partial<Record<DataNeed, OperationNeed>>;
  /**
   * The general-purpose built-in roles to choose from. Azure also ships roles made for one
   * Microsoft service (e.g. CosmosDB Fleet Analytics Storage Data Writer) that happen to
   * be narrow; proposing those to an app would confuse more than it helps.
   */
  candidates: readonly string[];
}

const BLOB = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
const QUEUE = "Microsoft.Storage/storageAccounts/queueServices/queues";
const SB = "Microsoft.ServiceBus/namespaces";
const EH = "Microsoft.EventHub/namespaces";
const KV = "Microsoft.KeyVault/vaults";

/** Operation sets per service and need (operation names from Azure's provider operations). */
export const DATA_ROLE_FAMILIES: readonly DataRoleFamily[] = [
  {
    id: DataRoleFamilyId.StorageBlob,
    candidates: [BuiltinRoleId.StorageBlobDataOwner, BuiltinRoleId.StorageBlobDataContributor, BuiltinRoleId.StorageBlobDataReader],
    label: "Blob storage",
    resourceType: "Microsoft.Storage/storageAccounts",
    dataScope: "Microsoft.Storage/storageAccounts/blobServices/*",
    needs: {
      read: { dataActions: [`${BLOB}/read`] },
      write: { dataActions: [`${BLOB}/read`, `${BLOB}/write`, `${BLOB}/delete`, `${BLOB}/add/action`] },
      // POSIX ACLs and ownership on Data Lake Storage Gen2 are Owner-only.
      manage: { dataActions: [`${BLOB}/read`, `${BLOB}/write`, `${BLOB}/delete`, `${BLOB}/modifyPermissions/action`, `${BLOB}/manageOwnership/action`] },
    },
  },
  {
    id: DataRoleFamilyId.StorageQueue,
    candidates: [BuiltinRoleId.StorageQueueDataContributor, BuiltinRoleId.StorageQueueDataReader, BuiltinRoleId.StorageQueueDataMessageSender, BuiltinRoleId.StorageQueueDataMessageProcessor],
    label: "Queue storage",
    resourceType: "Microsoft.Storage/storageAccounts",
    dataScope: "Microsoft.Storage/storageAccounts/queueServices/*",
    needs: {
      // Peek: read messages without dequeuing them.
      read: { dataActions: [`${QUEUE}/messages/read`] },
      send: { dataActions: [`${QUEUE}/messages/add/action`] },
      // Dequeue and delete after processing.
      receive: { dataActions: [`${QUEUE}/messages/read`, `${QUEUE}/messages/process/action`] },
      write: { dataActions: [`${QUEUE}/messages/write`, `${QUEUE}/messages/delete`] },
      manage: { actions: [`${QUEUE}/write`, `${QUEUE}/delete`], dataActions: [`${QUEUE}/messages/write`, `${QUEUE}/messages/delete`] },
    },
  },
  {
    id: DataRoleFamilyId.ServiceBus,
    candidates: [BuiltinRoleId.ServiceBusDataOwner, BuiltinRoleId.ServiceBusDataSender, BuiltinRoleId.ServiceBusDataReceiver],
    label: "Service Bus",
    resourceType: "Microsoft.ServiceBus/namespaces",
    dataScope: "Microsoft.ServiceBus/*",
    needs: {
      send: { dataActions: [`${SB}/messages/send/action`] },
      receive: { dataActions: [`${SB}/messages/receive/action`] },
      // Peeking a Service Bus message needs the receive right: there is no read-only data action.
      read: { dataActions: [`${SB}/messages/receive/action`] },
      write: { dataActions: [`${SB}/messages/send/action`] },
      manage: { actions: [`${SB}/queues/write`, `${SB}/topics/write`], dataActions: [`${SB}/messages/send/action`, `${SB}/messages/receive/action`] },
    },
  },
  {
    id: DataRoleFamilyId.EventHubs,
    candidates: [BuiltinRoleId.EventHubsDataOwner, BuiltinRoleId.EventHubsDataSender, BuiltinRoleId.EventHubsDataReceiver],
    label: "Event Hubs",
    resourceType: "Microsoft.EventHub/namespaces",
    dataScope: "Microsoft.EventHub/*",
    needs: {
      send: { dataActions: [`${EH}/messages/send/action`] },
      receive: { dataActions: [`${EH}/messages/receive/action`] },
      read: { dataActions: [`${EH}/messages/receive/action`] },
      write: { dataActions: [`${EH}/messages/send/action`] },
      manage: { actions: [`${EH}/eventhubs/write`], dataActions: [`${EH}/messages/send/action`, `${EH}/messages/receive/action`] },
    },
  },
  {
    id: DataRoleFamilyId.KeyVaultSecrets,
    candidates: [BuiltinRoleId.KeyVaultAdministrator, BuiltinRoleId.KeyVaultSecretsOfficer, BuiltinRoleId.KeyVaultSecretsUser],
    label: "Key Vault secrets",
    resourceType: "Microsoft.KeyVault/vaults",
    dataScope: `${KV}/secrets/*`,
    needs: {
      read: { dataActions: [`${KV}/secrets/getSecret/action`] },
      write: { dataActions: [`${KV}/secrets/getSecret/action`, `${KV}/secrets/setSecret/action`, `${KV}/secrets/delete`] },
      manage: { dataActions: [`${KV}/secrets/setSecret/action`, `${KV}/secrets/delete`, `${KV}/secrets/purge/action`, `${KV}/secrets/recover/action`] },
    },
  },
  {
    id: DataRoleFamilyId.KeyVaultKeys,
    candidates: [BuiltinRoleId.KeyVaultAdministrator, BuiltinRoleId.KeyVaultCryptoOfficer, BuiltinRoleId.KeyVaultCryptoUser, BuiltinRoleId.KeyVaultCryptoServiceEncryptionUser],
    label: "Key Vault keys",
    resourceType: "Microsoft.KeyVault/vaults",
    dataScope: `${KV}/keys/*`,
    needs: {
      // "Read" for keys means using them: the private key never leaves the vault.
      read: {
        dataActions: [`${KV}/keys/read`, `${KV}/keys/encrypt/action`, `${KV}/keys/decrypt/action`, `${KV}/keys/wrap/action`, `${KV}/keys/unwrap/action`, `${KV}/keys/sign/action`, `${KV}/keys/verify/action`],
      },
      write: { dataActions: [`${KV}/keys/read`, `${KV}/keys/create/action`, `${KV}/keys/update/action`, `${KV}/keys/delete`] },
      manage: { dataActions: [`${KV}/keys/create/action`, `${KV}/keys/delete`, `${KV}/keys/purge/action`, `${KV}/keyrotationpolicies/write`] },
    },
  },
  {
    id: DataRoleFamilyId.KeyVaultCertificates,
    candidates: [BuiltinRoleId.KeyVaultAdministrator, BuiltinRoleId.KeyVaultCertificatesOfficer, BuiltinRoleId.KeyVaultCertificateUser],
    label: "Key Vault certificates",
    resourceType: "Microsoft.KeyVault/vaults",
    dataScope: `${KV}/certificates/*`,
    needs: {
      // A certificate's private key is served as a secret: reading a usable certificate needs getSecret.
      read: { dataActions: [`${KV}/certificates/read`, `${KV}/secrets/getSecret/action`] },
      write: { dataActions: [`${KV}/certificates/read`, `${KV}/certificates/create/action`, `${KV}/certificates/import/action`, `${KV}/certificates/update/action`, `${KV}/certificates/delete`] },
      manage: { dataActions: [`${KV}/certificates/create/action`, `${KV}/certificates/delete`, `${KV}/certificates/purge/action`] },
    },
  },
];

/**
 * RULES.md data-role-broader-than-needed, as data: the wide roles and the narrower ones the
 * rule names. `narrowerDataRoles` computes its proposals; catalog tests check that the
 * computation reproduces this table.
 */
export const DATA_ROLE_NARROWING: readonly { family: DataRoleFamilyId; from: readonly string[]; to: Partial<Record<DataNeed, string>> }[] = [
  {
    family: DataRoleFamilyId.StorageBlob,
    from: [BuiltinRoleId.StorageBlobDataOwner, BuiltinRoleId.StorageBlobDataContributor],
    to: { read: BuiltinRoleId.StorageBlobDataReader },
  },
  {
    family: DataRoleFamilyId.ServiceBus,
    from: [BuiltinRoleId.ServiceBusDataOwner],
    to: { send: BuiltinRoleId.ServiceBusDataSender, receive: BuiltinRoleId.ServiceBusDataReceiver },
  },
  {
    family: DataRoleFamilyId.KeyVaultSecrets,
    from: [BuiltinRoleId.KeyVaultAdministrator, BuiltinRoleId.KeyVaultSecretsOfficer],
    to: { read: BuiltinRoleId.KeyVaultSecretsUser },
  },
  {
    family: DataRoleFamilyId.StorageQueue,
    from: [BuiltinRoleId.StorageQueueDataContributor],
    to: { send: BuiltinRoleId.StorageQueueDataMessageSender, receive: BuiltinRoleId.StorageQueueDataMessageProcessor },
  },
  {
    family: DataRoleFamilyId.EventHubs,
    from: [BuiltinRoleId.EventHubsDataOwner],
    to: { send: BuiltinRoleId.EventHubsDataSender, receive: BuiltinRoleId.EventHubsDataReceiver },
  },
];

export function getDataRoleFamily(id: DataRoleFamilyId): DataRoleFamily {
  const f = DATA_ROLE_FAMILIES.find((x) => x.id === id);
  if (!f) throw new RangeError(`Unknown data role family "${id}"; known: ${DATA_ROLE_FAMILIES.map((x) => x.id).join(", ")}`);
  return f;
}

/** The data services whose data the role's data actions reach (Key Vault Administrator reaches secrets, keys and certificates). */
export function dataRoleFamilies(role: RoleDefinition): DataRoleFamily[] {
  return DATA_ROLE_FAMILIES.filter((f) => findGrantedOperation(role, f.dataScope, { data: true }) !== undefined);
}

/** The narrowest of the service's built-in roles covering `need`, or undefined when the service has no such need. */
export function narrowestDataRole(catalog: RoleCatalog, family: DataRoleFamilyId, need: DataNeed): CoveringRole | undefined {
  const ops = getDataRoleFamily(family).needs[need];
  if (!ops) return undefined;
  const candidates = getDataRoleFamily(family)
    .candidates.map((id) => catalog.get(id))
    .filter((r): r is RoleDefinition => r !== undefined);
  return narrowestCovering(catalog, ops, { candidates, includePrivileged: false, limit: 1 })[0];
}

export interface DataRoleNarrowing {
  family: DataRoleFamily;
  need: DataNeed;
  /** The narrowest role for the need; it grants strictly fewer operations than the held role. */
  suggestion: CoveringRole;
  /** Universe operations the held role grants, for the message ("grants N operations, M needed"). */
  heldGrantedOperations: number;
}

/**
 * For a held data role: per service it reaches and per need (all of them, or `needs`), the
 * narrowest built-in role when it is strictly narrower than the held one. Empty when the
 * held role is already the narrowest for every need (Storage Blob Data Reader for reading).
 */
export function narrowerDataRoles(catalog: RoleCatalog, held: RoleDefinition, needs?: readonly DataNeed[]): DataRoleNarrowing[] {
  if (needs) return computeNarrowerDataRoles(catalog, held, needs);
  // A catalog does not change once built, and a scan holds the same few data roles thousands of times.
  let byRole = narrowingMemo.get(catalog);
  if (!byRole) {
    byRole = new WeakMap();
    narrowingMemo.set(catalog, byRole);
  }
  let all = byRole.get(held);
  if (!all) {
    all = computeNarrowerDataRoles(catalog, held, undefined);
    byRole.set(held, all);
  }
  return [...all];
}

const narrowingMemo = new WeakMap<RoleCatalog, WeakMap<RoleDefinition, DataRoleNarrowing[]>>();

function computeNarrowerDataRoles(catalog: RoleCatalog, held: RoleDefinition, needs: readonly DataNeed[] | undefined): DataRoleNarrowing[] {
  const heldCount = countGrantedOperations(held).total;
  const out: DataRoleNarrowing[] = [];
  for (const family of dataRoleFamilies(held)) {
    for (const need of needs ?? (Object.values(DataNeed) as DataNeed[])) {
      const suggestion = narrowestDataRole(catalog, family.id, need);
      if (!suggestion || suggestion.role.name.toLowerCase() === held.name.toLowerCase()) continue;
      if (suggestion.grantedOperations >= heldCount) continue;
      out.push({ family, need, suggestion, heldGrantedOperations: heldCount });
    }
  }
  return out;
}
