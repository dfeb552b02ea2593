/**
 * The words Scopewise shows people, one word for one thing: identity kinds, scope levels,
 * resource types, what a fix step does, and the partial-coverage notice. Pages, the CLI,
 * the renderers' comments and the apply engine's descriptions all take their nouns from here.
 */
import { lastSegment, tryParseScope } from "./scope";
import type { FixStep } from "./findings";
import { IdentityKind, ScopeLevel } from "./types";

/** Display order: the cluster's own identities first, then workload and other principals. */
export const IDENTITY_KIND_ORDER: readonly IdentityKind[] = [
  IdentityKind.ControlPlane,
  IdentityKind.Kubelet,
  IdentityKind.Addon,
  IdentityKind.App,
  IdentityKind.ServicePrincipal,
  IdentityKind.Other,
];

export const IdentityKindLabel: Record<IdentityKind, string> = {
  "control-plane": "Control plane",
  kubelet: "Kubelet",
  addon: "Add-on",
  app: "App",
  "service-principal": "Service principal",
  other: "Other",
};

/** How a sentence names an identity by its job: "the kubelet identity aks-prod-agentpool". */
export const IdentityJobNoun: Record<IdentityKind, string> = {
  "control-plane": "control-plane identity",
  kubelet: "kubelet identity",
  addon: "add-on identity",
  app: "app identity",
  "service-principal": "identity",
  other: "identity",
};

export const IdentityKindDescription: Record<IdentityKind, string> = {
  "control-plane": "Cluster identity AKS uses to manage Azure resources (load balancers, disks, routes)",
  kubelet: "Identity the nodes use to pull images and reach Azure from the node",
  addon: "Identities of AKS add-ons (monitoring, Key Vault CSI driver, ingress, ...)",
  app: "Identities pods use through workload identity or aad-pod-identity",
  "service-principal": "Service principals with access to cluster resources",
  other: "Other principals with role assignments in scanned scopes",
};

export const ScopeLevelLabel: Record<ScopeLevel, string> = {
  root: "Tenant root",
  managementGroup: "Management group",
  subscription: "Subscription",
  resourceGroup: "Resource group",
  resource: "Resource",
};

/** What a resource type is called in a sentence ("registry crcontosohub"); keys are lower-cased ARM types. */
const RESOURCE_TYPE_NOUNS: Readonly<Record<string, string>> = {
  "microsoft.containerregistry/registries": "registry",
  "microsoft.keyvault/vaults": "key vault",
  "microsoft.storage/storageaccounts": "storage account",
  "microsoft.servicebus/namespaces": "Service Bus namespace",
  "microsoft.eventhub/namespaces": "Event Hubs namespace",
  "microsoft.network/virtualnetworks": "virtual network",
  "microsoft.network/virtualnetworks/subnets": "subnet",
  "microsoft.network/routetables": "route table",
  "microsoft.network/dnszones": "DNS zone",
  "microsoft.network/privatednszones": "private DNS zone",
  "microsoft.network/applicationgateways": "application gateway",
  "microsoft.managedidentity/userassignedidentities": "managed identity",
  "microsoft.containerservice/managedclusters": "AKS cluster",
  "microsoft.compute/virtualmachinescalesets": "scale set",
  "microsoft.compute/virtualmachines": "virtual machine",
  "microsoft.operationalinsights/workspaces": "Log Analytics workspace",
};

/** "registry", "key vault"...; a type without a word of its own by its last segment ("sites"). */
export function resourceTypeNoun(type: string): string {
  return RESOURCE_TYPE_NOUNS[type.toLowerCase()] ?? (lastSegment(type) || "resource");
}

/** What a scope is: "registry", "subnet", "resource group", "tenant root"; "scope" when it is not an ARM scope. */
export function scopeNoun(scope: string): string {
  const p = tryParseScope(scope);
  if (!p) return "scope";
  return p.level === ScopeLevel.Resource ? resourceTypeNoun(p.resourceType ?? "") : ScopeLevelLabel[p.level].toLowerCase();
}

/** The verb phrase of a fix step's label, by kind: what the step does. */
export const StepAction: Record<FixStep["kind"], string> = {
  "create-role-assignment": "Create role assignment",
  "delete-role-assignment": "Delete role assignment",
  "create-federated-credential": "Create federated credential",
  "delete-federated-credential": "Delete federated credential",
  "create-app-federated-credential": "Create federated credential",
  "delete-app-federated-credential": "Delete federated credential",
  "create-managed-identity": "Create managed identity",
  "delete-managed-identity": "Delete managed identity",
  "kubernetes-apply": "Apply to cluster",
  "kubernetes-delete": "Delete from cluster",
  "az-command": "Run",
  manual: "By hand",
};

/** "1 part of the tenant could not be read", "1,204 parts of the tenant could not be read". */
export function unreadParts(count: number): string {
  return `${count === 1 ? "1 part" : `${count.toLocaleString("en-US")} parts`} of the tenant could not be read`;
}

/** The partial-coverage notice: what was read is true, what failed is unknown, never "none found". */
export function partialCoverageNotice(count: number): string {
  return `Partial coverage: ${unreadParts(count)}`;
}
