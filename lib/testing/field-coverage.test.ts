import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestTenant } from "@/emulator/testdata/tenant";
import { realArm, realGraph } from "@/lib/azure/testdata/real-examples";
import { buildInventory } from "@/lib/inventory/build";
import { realKubernetesObjects } from "@/lib/kubernetes/testdata/real-examples";
import type { RawCollection } from "@/lib/model/wire";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { loadTenantFile } from "@/lib/tenant/schema";
import type { WireObject } from "@/lib/model/wire";
import { keys, normalizePath, recordFieldReads, shownIn } from "./field-coverage";

const CLUSTER = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1";

function collection(parts: Partial<RawCollection>): RawCollection {
  return { managementGroups: [], subscriptions: [], resourceGroups: [], resources: [], roleDefinitions: [], roleAssignments: [], federatedIdentityCredentials: [], principals: [], kubernetes: {}, kubernetesRead: [], errors: [], ...parts };
}

/**
 * Every real example for the inventory builder. The cluster examples share one id, and the
 * builder keeps one body per id, so each cluster goes in a collection of its own.
 */
function realCollections(): RawCollection[] {
  return [
    ...realArm.managedClusters.map((c) => collection({ resources: [c] })),
    collection({
      resources: [realArm.managedClusters[0]!, ...realArm.userAssignedIdentities, ...realArm.resources],
      roleDefinitions: realArm.roleDefinitions,
      roleAssignments: realArm.roleAssignments,
      federatedIdentityCredentials: [...realArm.federatedIdentityCredentials, ...realArm.flexibleFederatedIdentityCredentials],
      principals: realGraph,
      kubernetes: { [CLUSTER]: realKubernetesObjects() },
      kubernetesRead: [CLUSTER],
    }),
  ];
}

/**
 * Inputs that take the adapters down the branches the tenants above never need (older or
 * alternative spellings, pod identities with a binding selector, the app-routing add-on), so
 * that every path the adapters can read is in the set the examples are checked against.
 */
function otherBranches(): RawCollection {
  const cluster = { ...realArm.managedClusters[0]!, properties: {
    ...realArm.managedClusters[0]!.properties,
    ingressProfile: { webAppRouting: { enabled: true, dnsZoneResourceIds: ["/z"], identity: { resourceId: "/r" } } },
    podIdentityProfile: { enabled: true, userAssignedIdentities: [{ name: "p", namespace: "ns", bindingSelector: "s", identity: { clientId: "c" } }] },
  } };
  const role = { id: "/providers/Microsoft.Authorization/roleDefinitions/r", name: "r", properties: { roleName: "R", roleType: "CustomRole", assignableScopes: [], permissions: [] } };
  const azureIdentity = { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentity", metadata: { name: "a", namespace: "ns" }, spec: { Type: 0 } };
  const binding = { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", metadata: { name: "b", namespace: "ns" }, spec: { AzureIdentity: "a", Selector: "s" } };
  // A namespace-scoped extension of an AKS cluster with the identity AKS assigns it.
  const extension = {
    id: `${CLUSTER}/providers/Microsoft.KubernetesConfiguration/extensions/e`,
    properties: { extensionType: "t", scope: { namespace: { targetNamespace: "ns" } }, aksAssignedIdentity: { principalId: "p", tenantId: null, type: null } },
  };
  return collection({
    resources: [cluster, extension],
    roleDefinitions: [role],
    subscriptions: [{ id: "/subscriptions/s", name: "s", properties: { state: "Enabled" } }],
    kubernetes: { [CLUSTER]: [azureIdentity, binding] },
    kubernetesRead: [CLUSTER],
  });
}

/** The real example objects of each adapter kind (FieldReader.kind). */
function examplesByKind(): Map<string, WireObject[]> {
  const kube = realKubernetesObjects();
  const arm = [...realArm.managedClusters, ...realArm.userAssignedIdentities, ...realArm.resources];
  const byKind = new Map<string, WireObject[]>([
    ["managedCluster", realArm.managedClusters],
    ["userAssignedIdentity", realArm.userAssignedIdentities],
    ["federatedIdentityCredential", [...realArm.federatedIdentityCredentials, ...realArm.flexibleFederatedIdentityCredentials]],
    ["roleAssignment", realArm.roleAssignments],
    ["roleDefinition", realArm.roleDefinitions],
    ["principal", realGraph],
    ["resource", [...arm, ...realArm.resourceGraphRows]],
    ["clusterExtension", realArm.resources],
    ["k8s", kube],
  ]);
  for (const o of kube) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
  return byKind;
}

/** Kubernetes ObjectMeta is one schema for every kind: its paths count once. */
const KUBE_KINDS = new Set(["Namespace", "ServiceAccount", "Pod", "Deployment", "DaemonSet", "StatefulSet", "Controller", "AzureIdentity", "AzureIdentityBinding", "ConfigMap"]);
function canonical(key: string): string {
  const [kind, p] = key.split(" ") as [string, string];
  return KUBE_KINDS.has(kind) && p.startsWith("metadata.") ? `k8s ${p}` : key;
}

/**
 * Paths the adapters read that no public example shows, with why. The test fails when the list
 * is wrong either way: a path read but neither shown nor listed, or a listed path an example
 * now shows.
 */
const NOT_SHOWN_BY_A_PUBLIC_EXAMPLE: Record<string, string> = {
  // Spec examples of managedClusters are synthetic and never show the managed identities AKS
  // creates; `az aks show` output in the AKS docs does, in the CLI's flattened shape.
  "managedCluster properties.identityProfile.kubeletidentity": "no spec example shows identityProfile (AKS docs show it only as az CLI output)",
  "managedCluster properties.identityProfile.kubeletidentity.resourceId": "as above",
  "managedCluster properties.identityProfile.kubeletidentity.clientId": "as above",
  "managedCluster properties.identityProfile.kubeletidentity.objectId": "as above",
  "managedCluster properties.addonProfiles.*.identity": "the add-on examples (azureKeyvaultSecretsProvider) show config and enabled, not the identity AKS adds",
  "managedCluster properties.addonProfiles.*.identity.resourceId": "as above",
  "managedCluster properties.addonProfiles.*.identity.clientId": "as above",
  "managedCluster properties.addonProfiles.*.identity.objectId": "as above",
  "managedCluster properties.ingressProfile.webAppRouting.identity": "ManagedClustersCreate_IngressProfile_WebAppRouting shows enabled and dnsZoneResourceIds only",
  "managedCluster properties.ingressProfile.webAppRouting.identity.resourceId": "as above",
  "managedCluster properties.ingressProfile.webAppRouting.identity.clientId": "as above",
  "managedCluster properties.ingressProfile.webAppRouting.identity.objectId": "as above",
  "managedCluster properties.ingressProfile.webAppRouting": "the example is a request-and-response pair not kept here (its response shows the same fields as the request)",
  "managedCluster properties.ingressProfile.webAppRouting.enabled": "as above",
  "managedCluster properties.ingressProfile.webAppRouting.dnsZoneResourceIds": "as above",
  "managedCluster properties.oidcIssuerProfile.enabled": "no stored spec example enables the OIDC issuer",
  "managedCluster properties.oidcIssuerProfile.issuerURL": "as above",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities": "the pod-identity example enables the profile without identities",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities[].name": "as above",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities[].namespace": "as above",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities[].bindingSelector": "as above",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities[].identity": "as above",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities[].identity.resourceId": "as above",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities[].identity.clientId": "as above",
  "managedCluster properties.podIdentityProfile.userAssignedIdentities[].identity.objectId": "as above",
  "managedCluster properties.apiServerAccessProfile.enablePrivateCluster": "ManagedClustersCreate_PrivateClusterFQDNSubdomain exists but is not stored here",
  "managedCluster properties.apiServerAccessProfile.privateDNSZone": "as above",
  "managedCluster properties.privateFQDN": "as above",
  "managedCluster properties.agentPoolProfiles[].vnetSubnetID": "no stored example places the agent pool in a subnet",
  "managedCluster properties.agentPoolProfiles[].podSubnetID": "as above",
  "managedCluster identity.principalId": "no stored example shows a system-assigned control-plane identity",
  "managedCluster identity.tenantId": "as above",
  // Cluster extensions: the spec's examples are of Azure Arc connected clusters (no AKS-assigned identity).
  "clusterExtension properties.aksAssignedIdentity.principalId": "the spec's extension examples are Arc connected clusters; AKS docs show aksAssignedIdentity only as az k8s-extension output (principalId, tenantId and type null)",
  "clusterExtension properties.aksAssignedIdentity.type": "as above",
  "clusterExtension identity.principalId": "the Arc identity of an extension appears in no stored example",
  "clusterExtension properties.scope.namespace.targetNamespace": "the stored example is cluster-scoped",
  "Pod spec.containers[].envFrom": "the webhook manifest shows envFrom on a Deployment's pod template; no stored Pod or DaemonSet takes env from a ConfigMap",
  "DaemonSet spec.template.spec.containers[].envFrom": "as above",
  "resource identity.principalId": "the stored resources with an identity block (the user-assigned cluster) give no principalId at the top level",
  "resource identity.tenantId": "as above",
  "roleDefinition properties.roleType": "the az CLI's name for properties.type; ARM examples use type",
  "principal userPrincipalName": "the getByIds example is truncated to id, accountEnabled and displayName",
  "principal servicePrincipalType": "the servicePrincipal example sends null",
  // Kubernetes: fields the API server sets (they are never in manifests), and kinds no public manifest here shows.
  "Pod spec.nodeName": "set by the scheduler; the Kubernetes docs elide list items",
  "Pod status.phase": "set by the kubelet; as above",
  "k8s metadata.ownerReferences": "set by controllers on the pods they create; as above",
  "Pod spec.serviceAccount": "the deprecated alias the API server fills; as above",
  "Pod spec.volumes": "the quick-start pod mounts nothing; hostPath volumes are in the aad-pod-identity pod templates, read by no adapter",
  "k8s metadata.uid": "set by the API server",
  "Deployment spec.template.spec.serviceAccount": "the deprecated alias; the manifests use serviceAccountName",
  "DaemonSet spec.template.spec.serviceAccount": "as above",
  "AzureIdentity spec.Type": "the pre-1.6 spelling, kept for old manifests",
  "AzureIdentity spec.ResourceID": "as above",
  "AzureIdentity spec.resourceId": "hand-written spelling, accepted for old manifests",
  "AzureIdentity spec.ClientID": "as above",
  "AzureIdentity spec.clientId": "as above",
  "AzureIdentityBinding spec.AzureIdentity": "as above",
  "AzureIdentityBinding spec.Selector": "as above",
  "managementGroup properties.displayName": "no management group example is stored",
  "managementGroup properties.details.parent.id": "as above",
  "managementGroup name": "as above",
  "managementGroup id": "as above",
  "subscription properties.managementGroupAncestorsChain": "no subscription or resourcecontainers example is stored",
  "subscription managementGroupId": "the tenant format's own field",
  "subscription subscriptionId": "no subscription example is stored",
  "subscription id": "as above",
  "subscription displayName": "as above",
  "subscription name": "as above",
  "subscription state": "as above",
  "subscription properties.state": "as above",
  "subscription tenantId": "as above",
  "resourceGroup name": "no resource group example is stored",
  "resourceGroup location": "as above",
  "resourceGroup managedBy": "as above",
  "resourceGroup id": "as above",
};

describe("every field the adapters read appears in a real example", () => {
  const read = (...raws: RawCollection[]) => recordFieldReads(() => raws.forEach((raw) => buildInventory(raw, { scannedAt: "2025-01-01T00:00:00Z" })));

  it("holds for every path read while building the demo tenant, the test tenant and the examples", async () => {
    const demo = await loadTenantFile("fixtures/tenants/demo.json");
    const universe = read(rawFromTenant(demo), rawFromTenant(buildTestTenant()), otherBranches(), ...realCollections());
    const readPaths = new Set([...keys(universe)].map(canonical));
    const examples = examplesByKind();
    const shownPaths = new Set([...readPaths].filter((key) => {
      const [kind, p] = key.split(" ") as [string, string];
      return shownIn(examples.get(kind) ?? [], p);
    }));
    const missing = [...readPaths].filter((p) => !shownPaths.has(p) && !(p in NOT_SHOWN_BY_A_PUBLIC_EXAMPLE)).sort();
    expect(missing, "paths read that no real example shows and NOT_SHOWN_BY_A_PUBLIC_EXAMPLE does not list").toEqual([]);
    const nowShown = Object.keys(NOT_SHOWN_BY_A_PUBLIC_EXAMPLE).filter((p) => shownPaths.has(p)).sort();
    expect(nowShown, "listed as not shown, but an example shows them").toEqual([]);
    const neverRead = Object.keys(NOT_SHOWN_BY_A_PUBLIC_EXAMPLE).filter((p) => !readPaths.has(p)).sort();
    expect(neverRead, "listed, but no adapter reads them").toEqual([]);
  });

  it("the recorded paths include every literal path in the adapters' code", () => {
    const literal = /\.(reqString|optString|optBool|optNumber|optRecord|optArray|stringArray|stringMap)\("([^"$]+)"\)/g;
    const files = [
      ...readdirSync("lib/azure").filter((f) => f.endsWith(".adapter.ts")).map((f) => path.join("lib/azure", f)),
      ...readdirSync("lib/kubernetes").filter((f) => f.endsWith(".adapter.ts")).map((f) => path.join("lib/kubernetes", f)),
    ];
    const inCode = new Set<string>();
    for (const file of files) for (const m of readFileSync(file, "utf8").matchAll(literal)) inCode.add(normalizePath(m[2]!));
    const recorded = new Set([...keys(read(rawFromTenant(buildTestTenant()), otherBranches(), ...realCollections()))].map((k) => k.slice(k.indexOf(" ") + 1)));
    // Relative paths of nested readers ("name", "mode", "env") are recorded under their parent's path.
    const unrecorded = [...inCode].filter((p) => ![...recorded].some((r) => r === p || r.endsWith(`.${p}`) || r.endsWith(`[].${p}`))).sort();
    expect(unrecorded).toEqual([]);
  });
});
