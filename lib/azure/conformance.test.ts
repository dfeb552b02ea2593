import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { AdapterError } from "@/lib/model/wire";
import type { RawCollection } from "@/lib/model/wire";
import { adaptRoleAssignment, adaptRoleDefinition } from "./authorization.adapter";
import { adaptClusterExtension } from "./cluster-extension.adapter";
import { adaptManagedCluster } from "./managed-cluster.adapter";
import { adaptFederatedCredential, adaptUserAssignedIdentity } from "./managed-identity.adapter";
import { adaptPrincipal } from "./principal.adapter";
import { adaptGraphResourceRow } from "./resource-graph";
import { adaptResource } from "./resource.adapter";
import { realArm, realGraph } from "./testdata/real-examples";

/**
 * Conformance: the public response examples of lib/azure/testdata (PROVENANCE.md) go through
 * the same adapters and inventory builder as a live scan. Where an example shows a field,
 * the model must carry its value.
 */
describe("Azure adapters on real response examples", () => {
  it("managed clusters: service principal, user-assigned control plane, pod identity, workload identity, Azure RBAC", () => {
    const [get, podIdentity, securityProfile, userAssigned, azureRbac] = realArm.managedClusters.map(adaptManagedCluster);
    expect(get!.controlPlane).toEqual({ type: "ServicePrincipal", clientId: "clientid" });
    expect(podIdentity!.podIdentityEnabled).toBe(true);
    expect(securityProfile!.workloadIdentityEnabled).toBe(true);
    // identity.type UserAssigned wins over a servicePrincipalProfile the same body still carries.
    expect(userAssigned!.controlPlane).toEqual({
      type: "UserAssigned",
      resourceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rgName1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identity1",
      clientId: "clientId1",
      principalId: "principalId1",
    });
    expect(userAssigned!.kubernetesVersion).toBe("1.9.6");
    expect(userAssigned!.agentPools).toEqual([{ name: "nodepool1", mode: "System", count: 3, vmSize: "Standard_DS1_v2", vnetSubnetId: undefined, podSubnetId: undefined }]);
    // aadProfile with adminGroupObjectIDs: null, as ARM sends it.
    expect(azureRbac).toMatchObject({ aadEnabled: true, azureRbacEnabled: true });
  });

  it("role assignments keep condition, description and createdOn; ids with placeholders still parse", () => {
    const adapted = realArm.roleAssignments.map(adaptRoleAssignment);
    const conditioned = adapted.find((a) => a.condition !== null)!;
    expect(conditioned.condition).toMatch(/^\(\(!\(ActionMatches\{'Microsoft\.Storage\/storageAccounts\/blobServices\/containers\/blobs\/read'\}\)\) OR/);
    expect(conditioned).toMatchObject({ scopeLevel: "resourceGroup", roleDefinitionName: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", description: "Read access if container name equals blobs-example-container" });
    expect(adapted.map((a) => a.principalType)).toEqual(adapted.map(() => "User"));
    // The 2022-04-01 examples give roleDefinitionId at the tenant root, the docs ones under the subscription: the same GUID either way.
    expect(new Set(adapted.map((a) => a.scopeLevel))).toEqual(new Set(["subscription", "resourceGroup"]));
  });

  it("role definitions: actions and data actions, assignable scopes", () => {
    const [role] = realArm.roleDefinitions.map(adaptRoleDefinition);
    expect(role).toMatchObject({ roleType: "CustomRole", assignableScopes: ["/subscriptions/subId"], permissions: [{ actions: ["action"], dataActions: ["dataAction"] }] });
  });

  it("user-assigned identities and federated credentials, flexible ones (claimsMatchingExpression, no subject) included", () => {
    expect(realArm.userAssignedIdentities.map(adaptUserAssignedIdentity)[0]).toMatchObject({ clientId: "4024ab25-56a8-4370-aea6-6389221caf29", principalId: "25cc773c-7f05-40fc-a104-32d2300754ad" });
    expect(realArm.federatedIdentityCredentials.map(adaptFederatedCredential)[0]).toMatchObject({ issuer: "https://oidc.prod-aks.azure.com/TenantGUID/IssuerGUID", subject: "system:serviceaccount:ns:svcaccount" });
    const flexible = adaptFederatedCredential(realArm.flexibleFederatedIdentityCredentials[0]);
    expect(flexible).toEqual({
      id: "/subscriptions/c267c0e7-0a73-4789-9e17-d26aeb0904e5/resourcegroups/rgName/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName/federatedIdentityCredentials/ficResourceName",
      name: "ficResourceName",
      identityId: "/subscriptions/c267c0e7-0a73-4789-9e17-d26aeb0904e5/resourcegroups/rgName/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName",
      issuer: "https://oidc.prod-aks.azure.com/TenantGUID/IssuerGUID",
      claimsMatchingExpression: "claims['sub'] matches system:serviceaccount:ns:*",
      audiences: ["api://AzureADTokenExchange"],
    });
    // One with neither a subject nor an expression trusts nothing: refused, naming the field.
    const neither = { ...realArm.flexibleFederatedIdentityCredentials[0], properties: { issuer: "https://x", audiences: [] } };
    expect(() => adaptFederatedCredential(neither)).toThrow(AdapterError);
    expect(() => adaptFederatedCredential(neither)).toThrow(/properties\.subject is missing \(and no properties\.claimsMatchingExpression\.value either\)/);
  });

  it("role assignments carry conditionVersion", () => {
    const conditioned = realArm.roleAssignments.map(adaptRoleAssignment).find((a) => a.condition !== null)!;
    expect(conditioned.conditionVersion).toBe("2.0");
  });

  it("Graph directory objects: users by @odata.type, a service principal with alternativeNames and a null servicePrincipalType", () => {
    const [user, , sp] = realGraph.map(adaptPrincipal);
    expect(user).toMatchObject({ type: "user", displayName: "Trevor Jones" });
    expect(sp).toMatchObject({ type: "servicePrincipal", appId: "appId-value", alternativeNames: ["http://contoso/a7770d29-4321-41a6-b863-ca11d6639448"], servicePrincipalType: undefined });
  });

  it("an extension resource under a cluster and Resource Graph rows adapt as resources", () => {
    const [extension] = realArm.resources.map(adaptResource);
    expect(extension).toMatchObject({ type: "Microsoft.KubernetesConfiguration/extensions", name: "ClusterMonitor", subscriptionId: "subId1", resourceGroup: "rg1" });
    // As a cluster extension: the cluster it extends (here an Arc connected cluster), its type and release namespace.
    expect(adaptClusterExtension(realArm.resources[0])).toEqual({
      id: "/subscriptions/subId1/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/clusterName1/providers/Microsoft.KubernetesConfiguration/extensions/ClusterMonitor",
      clusterId: "/subscriptions/subId1/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/clusterName1",
      name: "ClusterMonitor",
      extensionType: "azuremonitor-containers",
      identity: undefined,
      releaseNamespace: "kube-system",
      configurationSettings: { "omsagent.secret.wsid": "fakeTokenPlaceholder", "omsagent.env.clusterName": "clusterName1" },
    });
    const rows = realArm.resourceGraphRows.map((r) => adaptResource(adaptGraphResourceRow(r)));
    // ARG lower-cases type; the id gives ARM's spelling back.
    expect(rows.map((r) => r.type)).toEqual(["Microsoft.Network/networkInterfaces", "Microsoft.Network/virtualNetworks", "Microsoft.Network/publicIPAddresses"]);
    expect(rows[0]!.tags).toEqual({ tag1: "Value1" });
  });
});

describe("the inventory builder on real response examples", () => {
  const raw: RawCollection = {
    managementGroups: [],
    subscriptions: [],
    resourceGroups: [],
    resources: [...realArm.managedClusters, ...realArm.userAssignedIdentities, ...realArm.resources],
    roleDefinitions: realArm.roleDefinitions,
    roleAssignments: realArm.roleAssignments,
    federatedIdentityCredentials: [...realArm.federatedIdentityCredentials, ...realArm.flexibleFederatedIdentityCredentials],
    principals: realGraph,
    kubernetes: {},
    kubernetesRead: [],
    errors: [],
  };

  it("builds from all of them without rejecting any payload, the flexible federated credential included", () => {
    const inventory = buildInventory(raw, { scannedAt: "2025-01-01T00:00:00Z" });
    expect(inventory.errors).toEqual([]);
    // The five cluster examples share one id (clustername1): the most detailed body is kept.
    expect(inventory.clusters).toHaveLength(1);
    expect(inventory.userAssignedIdentities).toHaveLength(1);
    // Both credential examples share one id: the first read is kept.
    expect(inventory.federatedCredentials).toHaveLength(1);
    const alone = buildInventory({ ...raw, federatedIdentityCredentials: realArm.flexibleFederatedIdentityCredentials }, { scannedAt: "2025-01-01T00:00:00Z" });
    expect(alone.errors).toEqual([]);
    expect(alone.federatedCredentials.map((f) => [f.subject, f.claimsMatchingExpression])).toEqual([[undefined, "claims['sub'] matches system:serviceaccount:ns:*"]]);
    expect(inventory.roleAssignments.some((a) => a.condition !== null)).toBe(true);
    expect(inventory.principals.map((p) => p.id)).toContain("00af5dfb-85da-4b41-a677-0c6b86dd34f8");
  });
});
