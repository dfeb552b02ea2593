/**
 * Well-known Kubernetes labels and annotations Scopewise reads and writes. Each is a fact
 * about aad-pod-identity, Azure Workload Identity or AKS, not a Scopewise choice.
 */

/** Pod label aad-pod-identity matches against AzureIdentityBinding.spec.selector. */
export const POD_IDENTITY_BINDING_LABEL = "aadpodidbinding";
/** AzureIdentity annotation that limits matching to pods in the identity's own namespace. */
export const POD_IDENTITY_BEHAVIOR_ANNOTATION = "aadpodidentity.k8s.io/Behavior";
/** aad-pod-identity's API group and version (AzureIdentity, AzureIdentityBinding). */
export const POD_IDENTITY_API_VERSION = "aadpodidentity.k8s.io/v1";

/** ServiceAccount annotation naming the Entra app / user-assigned identity for Azure Workload Identity. */
export const WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";
/** Pod label that makes the workload-identity webhook project a token into the pod. */
export const WORKLOAD_IDENTITY_USE_LABEL = "azure.workload.identity/use";

/** AKS labels the workloads it runs itself (kube-system add-ons, CSI drivers) `kubernetes.azure.com/managedby: aks`. */
export const AKS_MANAGED_BY_LABEL = "kubernetes.azure.com/managedby";

/** `<clusterId>/namespaces/<ns>/<plural>/<name>`: how Scopewise names a namespaced Kubernetes object (Pod.id has this shape). */
export function kubeObjectId(clusterId: string, namespace: string, plural: string, name: string): string {
  return `${clusterId}/namespaces/${namespace}/${plural}/${name}`;
}
