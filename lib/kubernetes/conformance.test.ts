import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { realArm } from "@/lib/azure/testdata/real-examples";
import { adaptAzureIdentity, adaptAzureIdentityBinding } from "./aad-pod-identity.adapter";
import { adaptController } from "./controller.adapter";
import { adaptConfigMap, adaptPod, adaptServiceAccount } from "./core.adapter";
import { isWorkloadIdentityWebhook } from "@/lib/inventory/workload-identity";
import { realKubernetesObjects } from "./testdata/real-examples";

const CLUSTER = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1";

/**
 * Conformance: the public manifests of lib/kubernetes/testdata (aad-pod-identity's deployment
 * and demo files, Azure Workload Identity's quick start; PROVENANCE.md) through the Kubernetes
 * adapters and the inventory builder.
 */
describe("Kubernetes adapters on real manifests", () => {
  const objects = realKubernetesObjects();
  const of = (kind: string) => objects.filter((o) => o.kind === kind);

  it("reads aad-pod-identity's AzureIdentity (type 0 and 1) and AzureIdentityBinding", () => {
    expect(of("AzureIdentity").map((o) => adaptAzureIdentity(o, CLUSTER)).map((a) => a.type).sort()).toEqual([0, 1]);
    expect(of("AzureIdentityBinding").map((o) => adaptAzureIdentityBinding(o, CLUSTER))[0]).toMatchObject({ azureIdentity: "demo-aad1", selector: "demo" });
  });

  it("reads the MIC and NMI controllers with their arguments (forced namespacing shows in the managed-mode NMI)", () => {
    const controllers = [...of("Deployment"), ...of("DaemonSet")].map((o) => adaptController(o, CLUSTER));
    const nmi = controllers.filter((c) => c.kind === "DaemonSet" && c.name === "nmi");
    expect(nmi.length).toBeGreaterThan(0);
    expect(nmi.some((c) => c.containers.some((x) => x.args.includes("--forceNamespaced")))).toBe(true);
    const mic = controllers.find((c) => c.kind === "Deployment" && c.name === "mic")!;
    expect(mic.containers[0]!.args).toContain("--cloudconfig=/etc/kubernetes/azure.json");
  });

  it("reads the workload-identity quick start: the ServiceAccount's client-id annotation and the pod's label and env", () => {
    const sa = adaptServiceAccount(of("ServiceAccount").find((o) => o.metadata.annotations?.["azure.workload.identity/client-id"])!, CLUSTER);
    expect(sa.workloadIdentityClientId).toBeDefined();
    const pod = adaptPod(of("Pod")[0], CLUSTER);
    expect(pod.labels["azure.workload.identity/use"]).toBe("true");
    expect(Object.keys(pod.containers[0]!.env)).toEqual(["KEYVAULT_URL", "SECRET_NAME"]);
  });

  it("reads the workload-identity webhook's ConfigMap and the Deployment that takes its env from it (envFrom)", () => {
    const config = adaptConfigMap(of("ConfigMap")[0], CLUSTER);
    expect(config).toMatchObject({ namespace: "azure-workload-identity-system", name: "azure-wi-webhook-config", data: { AZURE_TENANT_ID: "${AZURE_TENANT_ID}" } });
    const webhook = of("Deployment").find((o) => o.metadata.name === "azure-wi-webhook-controller-manager")!;
    const pod = adaptPod({ apiVersion: "v1", kind: "Pod", metadata: { name: "webhook-x", namespace: "azure-workload-identity-system" }, spec: (webhook.spec as { template: { spec: unknown } }).template.spec }, CLUSTER);
    expect(pod.containers[0]!.envFrom).toEqual([{ source: "configMap", name: "azure-wi-webhook-config" }]);
    expect(isWorkloadIdentityWebhook(adaptController(webhook, CLUSTER))).toBe(true);
  });

  it("the inventory builder takes them as one cluster's objects without a rejected payload", () => {
    const kinds = new Set(["Namespace", "ServiceAccount", "Pod", "Deployment", "DaemonSet", "StatefulSet", "AzureIdentity", "AzureIdentityBinding", "ConfigMap"]);
    const inventory = buildInventory({
      managementGroups: [],
      subscriptions: [],
      resourceGroups: [],
      resources: [realArm.managedClusters[0]!],
      roleDefinitions: [],
      roleAssignments: [],
      federatedIdentityCredentials: [],
      principals: [],
      kubernetes: { [CLUSTER]: objects.filter((o) => kinds.has(o.kind)) },
      kubernetesRead: [CLUSTER],
      errors: [],
    });
    expect(inventory.errors).toEqual([]);
    expect(inventory.kubernetes.azureIdentities).toHaveLength(2);
    expect(inventory.kubernetes.controllers.length).toBeGreaterThanOrEqual(3);
    expect(inventory.kubernetes.readClusterIds).toEqual([CLUSTER]);
  });
});
