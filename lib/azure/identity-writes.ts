import type { AzureClients } from "@/lib/azure/clients";
import { errorStatus } from "@/lib/model/source-error";
import { parseScope } from "@/lib/model/scope";

/**
 * User-assigned managed identities and their federated identity credentials, one object at a
 * time: read (404 → undefined), create or update, delete. Objects come back as the msi SDK
 * returns them (properties flattened), as plain JSON: the shape the audit log keeps.
 */

export interface UserAssignedIdentityState {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
  clientId?: string;
  principalId?: string;
  [field: string]: unknown;
}

export interface FederatedCredentialState {
  id?: string;
  name?: string;
  issuer?: string;
  subject?: string;
  audiences?: string[];
  [field: string]: unknown;
}

/** What a federated identity credential trusts: tokens with this issuer, subject and audience. */
export interface FederatedTrust {
  issuer: string;
  subject: string;
  audiences: string[];
}

interface IdentityParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const plain = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (errorStatus(error) === 404) return undefined;
    throw error;
  }
}

/** Subscription, resource group and name of a userAssignedIdentities id; throws on anything else. */
export function identityParts(identityId: string): IdentityParts {
  const p = parseScope(identityId);
  if (!p.subscriptionId || !p.resourceGroup || !p.resourceName || !/\/userAssignedIdentities\/[^/]+$/i.test(identityId)) {
    throw new Error(`not a user-assigned identity id: ${identityId}`);
  }
  return { subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, name: p.resourceName };
}

/** `<identity id>/federatedIdentityCredentials/<name>` → the identity id and the credential name; throws on anything else. */
export function federatedCredentialParts(id: string): { identityId: string; name: string } {
  const m = /^(.*\/userAssignedIdentities\/[^/]+)\/federatedIdentityCredentials\/([^/]+)$/is.exec(id);
  if (!m) throw new Error(`not a federated identity credential id: ${id}`);
  return { identityId: m[1]!, name: m[2]! };
}

export function userAssignedIdentityId(resourceGroupId: string, name: string): string {
  return `${resourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}

export function federatedCredentialId(identityId: string, name: string): string {
  return `${identityId}/federatedIdentityCredentials/${name}`;
}

export async function getUserAssignedIdentity(clients: AzureClients, identityId: string): Promise<UserAssignedIdentityState | undefined> {
  const p = identityParts(identityId);
  return orUndefined(async () => plain(await clients.msi(p.subscriptionId).userAssignedIdentities.get(p.resourceGroup, p.name)));
}

export async function createUserAssignedIdentity(clients: AzureClients, identityId: string, body: { location: string; tags?: Record<string, string> }): Promise<void> {
  const p = identityParts(identityId);
  await clients.msi(p.subscriptionId).userAssignedIdentities.createOrUpdate(p.resourceGroup, p.name, { location: body.location, ...(body.tags ? { tags: body.tags } : {}) });
}

export async function deleteUserAssignedIdentity(clients: AzureClients, identityId: string): Promise<void> {
  const p = identityParts(identityId);
  await clients.msi(p.subscriptionId).userAssignedIdentities.delete(p.resourceGroup, p.name);
}

export async function getFederatedCredential(clients: AzureClients, id: string): Promise<FederatedCredentialState | undefined> {
  const { identityId, name } = federatedCredentialParts(id);
  const p = identityParts(identityId);
  return orUndefined(async () => plain(await clients.msi(p.subscriptionId).federatedIdentityCredentials.get(p.resourceGroup, p.name, name)));
}

/** `PUT`: creates the credential or replaces what an existing one of that name trusts. */
export async function createFederatedCredential(clients: AzureClients, id: string, trust: FederatedTrust): Promise<void> {
  const { identityId, name } = federatedCredentialParts(id);
  const p = identityParts(identityId);
  await clients.msi(p.subscriptionId).federatedIdentityCredentials.createOrUpdate(p.resourceGroup, p.name, name, { issuer: trust.issuer, subject: trust.subject, audiences: trust.audiences });
}

export async function deleteFederatedCredential(clients: AzureClients, id: string): Promise<void> {
  const { identityId, name } = federatedCredentialParts(id);
  const p = identityParts(identityId);
  await clients.msi(p.subscriptionId).federatedIdentityCredentials.delete(p.resourceGroup, p.name, name);
}
