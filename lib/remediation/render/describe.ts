import type { FixStep } from "@/lib/model/findings";
import { tryParseScope } from "@/lib/model/scope";
import { clusterOf, identityOf, type RenderContext } from "./context";

/** "registry contoso", "resource group rg-net", "subscription 3a37…": how a scope reads in a comment. */
export function scopeLabel(scope: string): string {
  const p = tryParseScope(scope);
  if (!p) return scope;
  switch (p.level) {
    case "root":
      return "the tenant root";
    case "managementGroup":
      return `management group ${p.managementGroup}`;
    case "subscription":
      return `subscription ${p.subscriptionId}`;
    case "resourceGroup":
      return `resource group ${p.resourceGroup}`;
    case "resource":
      return `${singular(p.resourceType?.split("/").pop() ?? "resource")} ${p.resourceName}`;
  }
}

/** `aadpodidentity.k8s.io/v1` + `AzureIdentityBinding` → `azureidentitybinding.aadpodidentity.k8s.io` (what kubectl resolves unambiguously). */
export function kubectlResource(apiVersion: string, kind: string): string {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/** One line saying what a step does, for the comment above it in every format. */
export function describeStep(step: FixStep, ctx: RenderContext): string {
  switch (step.kind) {
    case "create-role-assignment":
      return `Grant ${step.roleName} to principal ${step.principalId} on ${scopeLabel(step.scope)}`;
    case "delete-role-assignment":
      return `Remove ${step.roleName} from principal ${step.principalId} on ${scopeLabel(step.scope)}`;
    case "create-federated-credential":
      return `Federated credential ${step.name} on ${identityOf(ctx, step.identityId).name} trusting ${step.subject}`;
    case "delete-federated-credential":
      return `Delete federated credential ${step.federatedCredentialId.split("/").pop()} of ${identityOf(ctx, step.federatedCredentialId.replace(/\/federatedIdentityCredentials\/[^/]+$/i, "")).name}`;
    case "create-app-federated-credential":
      return `Federated credential ${step.name} on app registration ${step.applicationName} (appId ${step.appId}) trusting ${step.subject}`;
    case "delete-app-federated-credential":
      return `Delete federated credential ${step.name} of app registration ${step.appId}`;
    case "kubernetes-apply":
      return `${step.description} (cluster ${clusterOf(ctx, step.clusterId).name})`;
    case "kubernetes-delete":
      return `Delete ${step.objectKind} ${step.namespace ? `${step.namespace}/` : ""}${step.name} on cluster ${clusterOf(ctx, step.clusterId).name}`;
    case "create-managed-identity":
      return `Create user-assigned managed identity ${step.name} in ${scopeLabel(step.resourceGroupId)}`;
    case "delete-managed-identity":
      return `Delete user-assigned managed identity ${identityOf(ctx, step.identityId).name}`;
    case "az-command":
    case "manual":
      return step.description;
  }
}

/** `registries` → `registry`, `virtualNetworks` → `virtualNetwork`: ARM type segments read as nouns. */
function singular(typeSegment: string): string {
  if (/ies$/.test(typeSegment)) return typeSegment.replace(/ies$/, "y");
  if (/(ss|us)$/.test(typeSegment)) return typeSegment;
  return typeSegment.replace(/s$/, "");
}
