import { IdentityKind, type LinkMechanism } from "@/lib/model/types";

/** Display order: the cluster's own identities first, then workload and other principals. */
export const identityKindOrder: readonly IdentityKind[] = [
  IdentityKind.ControlPlane,
  IdentityKind.Kubelet,
  IdentityKind.Addon,
  IdentityKind.App,
  IdentityKind.ServicePrincipal,
  IdentityKind.Other,
];

export const identityKindLabels: Record<IdentityKind, string> = {
  "control-plane": "Control plane",
  kubelet: "Kubelet",
  addon: "Add-on",
  app: "App",
  "service-principal": "Service principal",
  other: "Other",
};

export const identityKindDescriptions: Record<IdentityKind, string> = {
  "control-plane": "Cluster identity AKS uses to manage Azure resources (load balancers, disks, routes)",
  kubelet: "Identity the nodes use to pull images and reach Azure from the node",
  addon: "Identities of AKS add-ons (monitoring, Key Vault CSI driver, ingress, ...)",
  app: "Identities pods use through workload identity or aad-pod-identity",
  "service-principal": "Service principals with access to cluster resources",
  other: "Other principals with role assignments in scanned scopes",
};

export const linkMechanismLabels: Record<LinkMechanism, string> = {
  "aad-pod-identity": "aad-pod-identity",
  "workload-identity": "Workload identity",
  "env-client-id": "Client id in pod environment",
};

export function isIdentityKind(value: string): value is IdentityKind {
  return (identityKindOrder as readonly string[]).includes(value);
}
