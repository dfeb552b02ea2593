import type { ArmWireObject, WireObject } from "@/lib/model/wire";
import fic from "./FederatedIdentityCredentialList.json";
import flexibleFic from "./FlexibleFederatedIdentityCredentialGet.json";
import extension from "./GetExtension.json";
import roleDefinition from "./GetRoleDefinitionById.json";
import identity from "./IdentityGet.json";
import keyVaultAddon from "./ManagedClustersCreate_AzureKeyvaultSecretsProvider.201.json";
import podIdentity from "./ManagedClustersCreate_PodIdentity.json";
import securityProfile from "./ManagedClustersCreate_SecurityProfile.json";
import userAssignedCluster from "./ManagedClustersCreate_Update.200.json";
import azureRbacCluster from "./ManagedClustersCreate_UpdateWithEnableAzureRBAC.201.json";
import clusterGet from "./ManagedClustersGet.json";
import argQuery from "./ResourcesBasicQuery.json";
import conditioned from "./RoleAssignment_Condition.docs.json";
import assignmentById from "./RoleAssignments_GetById.json";
import listedAtScope from "./RoleAssignments_ListAtScopeAssignedTo.docs.json";
import listedForResourceGroup from "./RoleAssignments_ListForResourceGroup.json";
import getByIds from "./graph/directoryObjects_getByIds.docs.json";
import servicePrincipal from "./graph/servicePrincipal_get.docs.json";

/**
 * The public, real response examples of lib/azure/testdata (PROVENANCE.md), as the wire objects
 * the readers would collect: ARM GET bodies, list items, Resource Graph rows, Graph directory
 * objects. Each is exactly as published; nothing is edited to suit the adapters.
 */
export const realArm = {
  managedClusters: [
    clusterGet.responses["200"].body,
    podIdentity.responses["200"].body,
    securityProfile.responses["201"].body,
    userAssignedCluster,
    azureRbacCluster,
    keyVaultAddon,
  ] as ArmWireObject[],
  userAssignedIdentities: [identity.responses["200"].body] as ArmWireObject[],
  federatedIdentityCredentials: fic.responses["200"].body.value as ArmWireObject[],
  /** A flexible credential (claimsMatchingExpression, no subject): the model has no place for it yet. */
  flexibleFederatedIdentityCredentials: [flexibleFic.responses["200"].body] as ArmWireObject[],
  roleAssignments: [...listedForResourceGroup.responses["200"].body.value, assignmentById.responses["200"].body, conditioned, ...listedAtScope.value] as ArmWireObject[],
  roleDefinitions: [roleDefinition.responses["200"].body] as ArmWireObject[],
  /** An extension resource (a child of a cluster): a generic ARM resource to the adapters. */
  resources: [extension.responses["200"].body] as ArmWireObject[],
  resourceGraphRows: argQuery.responses["200"].body.data as Record<string, unknown>[],
};

export const realGraph: WireObject[] = [...getByIds.value, servicePrincipal];
