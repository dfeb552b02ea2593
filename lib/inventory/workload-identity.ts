import { normalizeId } from "@/lib/model/scope";
import type { Cluster, Controller } from "@/lib/model/types";

/**
 * The Azure Workload Identity mutating webhook, installed by AKS (`securityProfile.
 * workloadIdentity.enabled`: `azure-wi-webhook-controller-manager` in kube-system) or from the
 * project's Helm chart (the same Deployment in `azure-workload-identity-system`, no AKS flag).
 * Either one injects the token and AZURE_* variables into labelled pods.
 */
export function isWorkloadIdentityWebhook(c: Controller): boolean {
  return c.kind === "Deployment" && (c.name === "azure-wi-webhook-controller-manager" || c.containers.some((ct) => /\/azure\/workload-identity\/webhook[:@]/i.test(ct.image)));
}

/** Whether labelled pods of the cluster get workload identity tokens: the AKS feature, or a webhook the cluster runs itself. */
export function workloadIdentityAvailable(cluster: Cluster, controllers: readonly Controller[]): boolean {
  if (cluster.workloadIdentityEnabled) return true;
  const id = normalizeId(cluster.id);
  return controllers.some((c) => normalizeId(c.clusterId) === id && isWorkloadIdentityWebhook(c));
}
