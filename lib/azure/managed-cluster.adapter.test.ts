import { describe, expect, it } from "vitest";
import getExample from "./testdata/ManagedClustersGet.json";
import podIdentityExample from "./testdata/ManagedClustersCreate_PodIdentity.json";
import securityProfileExample from "./testdata/ManagedClustersCreate_SecurityProfile.json";
import { adaptManagedCluster } from "./managed-cluster.adapter";
import { AdapterError } from "@/lib/model/wire";

const base = getExample.responses["200"].body;
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const uaiId = (n: string) => `${SUB}/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${n}`;

describe("adaptManagedCluster", () => {
  it("reads the ManagedClusters_Get example: service-principal control plane, kubelet on the same SP, node resource group id", () => {
    const c = adaptManagedCluster(base);
    expect(c.name).toBe("clustername1");
    expect(c.resourceGroup).toBe("rg1");
    expect(c.controlPlane).toEqual({ type: "ServicePrincipal", clientId: "clientid" });
    expect(c.kubelet).toEqual({ type: "ServicePrincipal", clientId: "clientid" });
    expect(c.nodeResourceGroupId).toBe(`${SUB}/resourceGroups/MC_rg1_clustername1_location1`);
    expect(c.kubernetesVersion).toBe("1.9.6");
    expect(c.networkPlugin).toBe("kubenet");
    expect(c.agentPools).toEqual([expect.objectContaining({ name: "nodepool1", count: 3, vmSize: "Standard_DS1_v2" })]);
    expect(c.oidcIssuerEnabled).toBe(false);
    expect(c.workloadIdentityEnabled).toBe(false);
    expect(c.privateCluster).toBe(false);
  });

  it("reads podIdentityProfile.enabled from the pod-identity example", () => {
    const c = adaptManagedCluster(podIdentityExample.responses["200"].body);
    expect(c.podIdentityEnabled).toBe(true);
    expect(c.podIdentities).toEqual([]);
  });

  it("reads securityProfile.workloadIdentity.enabled from the security-profile example", () => {
    const c = adaptManagedCluster(securityProfileExample.responses["201"].body);
    expect(c.workloadIdentityEnabled).toBe(true);
  });

  it("treats servicePrincipalProfile.clientId 'msi' as managed identity, taking the identity block", () => {
    const c = adaptManagedCluster({
      ...base,
      identity: { type: "SystemAssigned", principalId: "p-1", tenantId: "t" },
      properties: { ...base.properties, servicePrincipalProfile: { clientId: "msi" } },
    });
    expect(c.controlPlane).toEqual({ type: "SystemAssigned", principalId: "p-1" });
    expect(c.kubelet).toBeUndefined();
  });

  it("reads a user-assigned control plane, kubelet identity, add-on identities, OIDC, WI, pod identities, AAD and private cluster", () => {
    const c = adaptManagedCluster({
      ...base,
      identity: { type: "UserAssigned", userAssignedIdentities: { [uaiId("cp")]: { clientId: "cp-client", principalId: "cp-principal" } } },
      properties: {
        ...base.properties,
        servicePrincipalProfile: { clientId: "msi" },
        identityProfile: { kubeletidentity: { resourceId: uaiId("kubelet"), clientId: "k-client", objectId: "k-object" } },
        addonProfiles: {
          omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: "/ws" }, identity: { resourceId: uaiId("omsagent"), clientId: "o-client", objectId: "o-object" } },
          azurepolicy: { enabled: false, config: null },
        },
        agentPoolProfiles: [{ name: "np", vnetSubnetID: `${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/aks` }],
        oidcIssuerProfile: { enabled: true, issuerURL: "https://westeurope.oic.prod-aks.azure.com/t/i/" },
        securityProfile: { workloadIdentity: { enabled: true } },
        podIdentityProfile: {
          enabled: true,
          userAssignedIdentities: [{ name: "api", namespace: "payments", bindingSelector: "api-sel", identity: { resourceId: uaiId("api"), clientId: "a-client", objectId: "a-object" } }],
        },
        aadProfile: { managed: true, enableAzureRBAC: true },
        apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: "system" },
      },
    });
    expect(c.controlPlane).toEqual({ type: "UserAssigned", resourceId: uaiId("cp"), clientId: "cp-client", principalId: "cp-principal" });
    expect(c.kubelet).toEqual({ type: "UserAssigned", resourceId: uaiId("kubelet"), clientId: "k-client", principalId: "k-object" });
    expect(c.addons).toEqual([
      { name: "omsagent", enabled: true, config: { logAnalyticsWorkspaceResourceID: "/ws" }, identity: { type: "UserAssigned", resourceId: uaiId("omsagent"), clientId: "o-client", principalId: "o-object" } },
      { name: "azurepolicy", enabled: false, identity: undefined },
    ]);
    expect(c.agentPools[0]?.vnetSubnetId).toMatch(/subnets\/aks$/);
    expect(c.oidcIssuerEnabled).toBe(true);
    expect(c.oidcIssuerUrl).toBe("https://westeurope.oic.prod-aks.azure.com/t/i/");
    expect(c.workloadIdentityEnabled).toBe(true);
    expect(c.podIdentities).toEqual([{ name: "api", namespace: "payments", bindingSelector: "api-sel", identity: { type: "UserAssigned", resourceId: uaiId("api"), clientId: "a-client", principalId: "a-object" } }]);
    expect(c.aadEnabled).toBe(true);
    expect(c.azureRbacEnabled).toBe(true);
    expect(c.privateCluster).toBe(true);
    expect(c.privateDnsZone).toBe("system");
  });

  it("tolerates a Resource Graph row with no properties", () => {
    const c = adaptManagedCluster({ id: base.id, name: "clustername1", type: "microsoft.containerservice/managedclusters", location: "eastus" });
    expect(c.addons).toEqual([]);
    expect(c.agentPools).toEqual([]);
    expect(c.controlPlane).toBeUndefined();
  });

  it("names the cluster and field when a required field is wrong", () => {
    const bad = { ...base, properties: { ...base.properties, agentPoolProfiles: [{ count: 1 }] } };
    expect(() => adaptManagedCluster(bad)).toThrow(AdapterError);
    expect(() => adaptManagedCluster(bad)).toThrow(/managedCluster .*clustername1: properties\.agentPoolProfiles\[0\]\.name is missing/);
    expect(() => adaptManagedCluster({ ...base, id: `${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm` })).toThrow(/not a Microsoft.ContainerService\/managedClusters id/);
    expect(() => adaptManagedCluster({ name: "x" })).toThrow(/managedCluster named "x": id is missing/);
  });
});
