import type { WireObject } from "@/lib/model/wire";
import { resourceIdOf, resourceWire, type ArmResource } from "./arm";

/**
 * Identities in the two places Azure keeps them: the ARM resource of a user-assigned
 * identity (and its federated credentials), and the directory object Microsoft Graph returns
 * for every principal (service principals, users, groups).
 */

/** A principal as role assignments name it. */
export interface PrincipalRef {
  /** Directory object id. */
  id: string;
  displayName: string;
  /** Role assignment `principalType`; ForeignGroup is a group of another tenant (Azure Lighthouse, cross-tenant access), which this tenant's Graph never returns. */
  principalType: "ServicePrincipal" | "User" | "Group" | "ForeignGroup";
  appId?: string;
}

/** A managed identity: its directory object and the resource it belongs to. */
export interface IdentityRef extends PrincipalRef {
  /** userAssignedIdentities resource id (user-assigned) or the owning resource id (system-assigned). */
  resourceId: string;
  clientId: string;
  principalId: string;
  name: string;
}

export type DirectoryObject = WireObject & { id: string; displayName: string };

export const USER_ASSIGNED_IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";
/** The audience Azure Workload Identity's projected tokens carry; a federated credential must accept it. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";

export interface UserAssignedIdentitySpec {
  tenantId: string;
  principalId: string;
  clientId: string;
  tags?: Record<string, string>;
  /** Include `isolationScope` (API 2023-01-31 and later return it). */
  isolationScope?: boolean;
}

export function userAssignedIdentityWire(rgId: string, name: string, location: string, s: UserAssignedIdentitySpec): ArmResource {
  return resourceWire(rgId, USER_ASSIGNED_IDENTITY_TYPE, name, location, {
    ...(s.tags ? { tags: s.tags } : {}),
    properties: { tenantId: s.tenantId, principalId: s.principalId, clientId: s.clientId, ...(s.isolationScope === false ? {} : { isolationScope: "None" }) },
  });
}

export function userAssignedIdentityIdOf(rgId: string, name: string): string {
  return resourceIdOf(rgId, USER_ASSIGNED_IDENTITY_TYPE, name);
}

export interface ManagedIdentityPrincipalSpec {
  principalId: string;
  clientId: string;
  displayName: string;
  /** The identity's ARM resource id (user-assigned) or its owner's (system-assigned). */
  resourceId: string;
  userAssigned: boolean;
  /** Graph lists the client id and, for managed identities, an identity.azure.net URL. */
  servicePrincipalNames: string[];
}

/** The service principal Entra keeps for a managed identity. */
export function managedIdentityPrincipalWire(s: ManagedIdentityPrincipalSpec): DirectoryObject {
  return {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: s.principalId,
    appId: s.clientId,
    displayName: s.displayName,
    accountEnabled: true,
    servicePrincipalType: "ManagedIdentity",
    servicePrincipalNames: s.servicePrincipalNames,
    // Graph lists the identity's ARM resource id here; isExplicit=True marks a user-assigned one.
    alternativeNames: [s.userAssigned ? "isExplicit=True" : "isExplicit=False", s.resourceId],
  };
}

/** An app registration's service principal (an identity with a secret or certificate). */
export function applicationPrincipalWire(s: { id: string; appId: string; displayName: string; tenantId: string }): DirectoryObject {
  return {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: s.id,
    appId: s.appId,
    displayName: s.displayName,
    appDisplayName: s.displayName,
    appOwnerOrganizationId: s.tenantId,
    accountEnabled: true,
    servicePrincipalType: "Application",
    servicePrincipalNames: [s.appId],
    alternativeNames: [],
  };
}

export function userWire(s: { id: string; userPrincipalName: string; displayName: string; mail?: string; jobTitle?: string }): DirectoryObject {
  return {
    "@odata.type": "#microsoft.graph.user",
    id: s.id,
    displayName: s.displayName,
    userPrincipalName: s.userPrincipalName,
    ...(s.mail ? { mail: s.mail } : {}),
    ...(s.jobTitle ? { jobTitle: s.jobTitle } : {}),
    accountEnabled: true,
  };
}

export function groupWire(s: { id: string; displayName: string; description?: string; mailNickname?: string }): DirectoryObject {
  return {
    "@odata.type": "#microsoft.graph.group",
    id: s.id,
    displayName: s.displayName,
    ...(s.description ? { description: s.description } : {}),
    ...(s.mailNickname ? { mailNickname: s.mailNickname } : {}),
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
  };
}

/** The subject Kubernetes puts in a service account's projected token. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** A federated identity credential on a user-assigned identity (trusts one issuer + subject). */
export function federatedCredentialWire(identityResourceId: string, name: string, issuer: string, subject: string): ArmResource {
  return {
    id: `${identityResourceId}/federatedIdentityCredentials/${name}`,
    name,
    type: `${USER_ASSIGNED_IDENTITY_TYPE}/federatedIdentityCredentials`,
    properties: { issuer, subject, audiences: [WORKLOAD_IDENTITY_AUDIENCE] },
  };
}

/** A flexible federated credential: a claims matching expression instead of a subject. */
export function flexibleFederatedCredentialWire(identityResourceId: string, name: string, issuer: string, expression: string): ArmResource {
  return {
    id: `${identityResourceId}/federatedIdentityCredentials/${name}`,
    name,
    type: `${USER_ASSIGNED_IDENTITY_TYPE}/federatedIdentityCredentials`,
    properties: { issuer, audiences: [WORKLOAD_IDENTITY_AUDIENCE], claimsMatchingExpression: { languageVersion: 1, value: expression } },
  };
}
