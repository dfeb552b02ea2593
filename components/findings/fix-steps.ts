import { stringify } from "yaml";
import { clusterName as indexClusterName, getIndex } from "@/components/inventory/lookup";
import { lastSegment, normalizeId, roleDefinitionGuid, tryParseScope } from "@/lib/model/scope";
import { buildScopeCrumbs } from "@/components/inventory/scope-names";
import type { FixPlan, FixStep } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";

/** Name lookups a fix sentence needs; built from the inventory, or by hand in tests. */
export interface FixNames {
  /** Display name of a principal (object) id, when the scan knows it. */
  principal(principalId: string): string | undefined;
  /** Display name of a user-assigned identity by its resource id. */
  identity(resourceId: string): string | undefined;
  cluster(clusterId: string): string;
  /** Role name of a role definition id, when known. */
  role(roleDefinitionId: string): string | undefined;
  /** A scope's most specific display name (a resource's name, a subscription's display name). */
  scopeName(scope: string): string;
}

export function buildFixNames(inv: Inventory): FixNames {
  const index = getIndex(inv);
  return {
    principal: (id) => index.identityByPrincipalId.get(normalizeId(id))?.displayName ?? index.principalById.get(normalizeId(id))?.displayName,
    identity: (id) => index.identityByResourceId.get(normalizeId(id))?.displayName ?? index.userAssignedIdentityById.get(normalizeId(id))?.name,
    cluster: (id) => indexClusterName(index, id),
    role: (id) => index.roleDefinitionByGuid.get(roleDefinitionGuid(id))?.roleName,
    scopeName: (scope) => {
      const crumbs = buildScopeCrumbs(scope, index);
      return crumbs[crumbs.length - 1]?.label ?? scope;
    },
  };
}

/** What a resource type is called in a sentence ("registry crcontosohub"). */
const resourceTypeNouns: Record<string, string> = {
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
  "microsoft.containerservice/managedclusters": "cluster",
  "microsoft.compute/virtualmachinescalesets": "scale set",
  "microsoft.compute/virtualmachines": "virtual machine",
};

/** "registry crcontosohub", "resource group rg-app", "subscription Contoso Prod", "the tenant root". */
export function describeScope(scope: string, names: FixNames): string {
  const parsed = tryParseScope(scope);
  const name = names.scopeName(scope);
  if (!parsed) return name;
  switch (parsed.level) {
    case "root":
      return "the tenant root";
    case "managementGroup":
      return `management group ${name}`;
    case "subscription":
      return `subscription ${name}`;
    case "resourceGroup":
      return `resource group ${name}`;
    default: {
      const type = parsed.resourceType ?? "";
      const noun = resourceTypeNouns[type.toLowerCase()] ?? lastSegment(type);
      return `${noun} ${name}`;
    }
  }
}

/** A step as people read it: a sentence with real names, plus the exact command or manifest when there is one. */
export interface FixStepView {
  kind: FixStep["kind"];
  /** Short verb phrase for the step's label: "Create role assignment". */
  action: string;
  /** The full sentence, ids included. */
  text: string;
  /** A shell command to run as is. */
  command?: string;
  /** The Kubernetes object to apply, as YAML. */
  manifest?: string;
  /** Narrower scopes or other roles the wizard offers for this step. */
  alternatives?: string[];
  /** True for steps people must do by hand (the plan cannot state them as data). */
  manual?: boolean;
}

const principalLabel = (principalId: string, names: FixNames) => names.principal(principalId) ?? `principal ${principalId}`;

/** `<identity id>/federatedIdentityCredentials/<name>` → its parts. */
function splitFederatedCredentialId(id: string): { identityId: string; name: string } {
  const m = /^(.*)\/federatedIdentityCredentials\/([^/]+)\/?$/i.exec(id);
  return m ? { identityId: m[1]!, name: m[2]! } : { identityId: id, name: lastSegment(id) };
}

function objectRef(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** "with annotation a=b, label c=d" from a manifest's metadata and pod template, when it sets any. */
function manifestChanges(manifest: Record<string, unknown>): string {
  const meta = (manifest.metadata ?? {}) as { annotations?: Record<string, string>; labels?: Record<string, string> };
  const template = ((manifest.spec as { template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } } } | undefined)?.template?.metadata ?? {}) as {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  const parts: string[] = [];
  const list = (noun: string, entries: Record<string, string> | undefined) => {
    const e = Object.entries(entries ?? {});
    if (e.length > 0) parts.push(`${noun}${e.length > 1 ? "s" : ""} ${e.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")}`);
  };
  list("annotation", meta.annotations);
  list("label", meta.labels);
  list("pod label", template.labels);
  list("pod annotation", template.annotations);
  return parts.length > 0 ? ` with ${parts.join("; ")}` : "";
}

export function describeFixStep(step: FixStep, names: FixNames): FixStepView {
  switch (step.kind) {
    case "create-role-assignment": {
      const alternatives = [
        ...(step.alternatives?.roleDefinitionIds ?? []).map((id) => `role ${names.role(id) ?? roleDefinitionGuid(id)}`),
        ...(step.alternatives?.scopes ?? []).map((s) => `${describeScope(s, names)} (${s})`),
      ];
      const view: FixStepView = {
        kind: step.kind,
        action: "Create role assignment",
        text: `Create role assignment: ${step.roleName} for ${principalLabel(step.principalId, names)} on ${describeScope(step.scope, names)} (${step.scope})`,
      };
      if (alternatives.length > 0) view.alternatives = alternatives;
      return view;
    }
    case "delete-role-assignment":
      return {
        kind: step.kind,
        action: "Delete role assignment",
        text: `Delete role assignment: ${step.roleName} for ${principalLabel(step.principalId, names)} on ${describeScope(step.scope, names)} (${step.roleAssignmentId})`,
      };
    case "create-federated-credential": {
      const identity = names.identity(step.identityId) ?? lastSegment(step.identityId);
      return {
        kind: step.kind,
        action: "Create federated credential",
        text: `Create federated credential ${step.name} on managed identity ${identity} trusting issuer ${step.issuer} and subject ${step.subject} (audience ${step.audiences.join(", ")})`,
      };
    }
    case "delete-federated-credential": {
      const { identityId, name } = splitFederatedCredentialId(step.federatedCredentialId);
      const identity = names.identity(identityId) ?? lastSegment(identityId);
      return { kind: step.kind, action: "Delete federated credential", text: `Delete federated credential ${name} of managed identity ${identity} (${step.federatedCredentialId})` };
    }
    case "create-app-federated-credential":
      return {
        kind: step.kind,
        action: "Create federated credential",
        text: `Create federated credential ${step.name} on app registration ${step.applicationName} (appId ${step.appId}) trusting issuer ${step.issuer} and subject ${step.subject} (audience ${step.audiences.join(", ")})`,
      };
    case "delete-app-federated-credential":
      return { kind: step.kind, action: "Delete federated credential", text: `Delete federated credential ${step.name} of app registration ${step.appId}` };
    case "kubernetes-apply": {
      const kind = typeof step.manifest.kind === "string" ? step.manifest.kind : "object";
      const meta = (step.manifest.metadata ?? {}) as { name?: string; namespace?: string };
      return {
        kind: step.kind,
        action: "Apply to cluster",
        text: `Apply to cluster ${names.cluster(step.clusterId)}: ${kind} ${objectRef(meta.namespace, meta.name ?? "(unnamed)")}${manifestChanges(step.manifest)}. ${step.description}`,
        manifest: stringify(step.manifest),
      };
    }
    case "kubernetes-delete":
      return {
        kind: step.kind,
        action: "Delete from cluster",
        text: `Delete ${step.objectKind} ${objectRef(step.namespace, step.name)} (${step.apiVersion}) from cluster ${names.cluster(step.clusterId)}`,
      };
    case "create-managed-identity": {
      const rg = names.scopeName(step.resourceGroupId);
      return {
        kind: step.kind,
        action: "Create managed identity",
        text: `Create user-assigned managed identity ${step.name} in resource group ${rg}${step.location ? ` (${step.location})` : ""}`,
      };
    }
    case "delete-managed-identity": {
      const name = names.identity(step.identityId) ?? lastSegment(step.identityId);
      return { kind: step.kind, action: "Delete managed identity", text: `Delete managed identity ${name} (${step.identityId})` };
    }
    case "az-command":
      return { kind: step.kind, action: "Run", text: step.description, command: step.command };
    case "manual":
      return { kind: step.kind, action: "By hand", text: step.description, manual: true };
    default: {
      // A FixStep kind added to the model but not here yet: say so rather than hide the step.
      const unknown = step as { kind: string };
      return { kind: unknown.kind as FixStep["kind"], action: unknown.kind, text: `Step of kind ${unknown.kind}: see the JSON output for its details`, manual: true };
    }
  }
}

export interface FixPlanView {
  id: string;
  summary: string;
  steps: FixStepView[];
}

export function describeFixPlans(plans: readonly FixPlan[], names: FixNames): FixPlanView[] {
  return plans.map((plan) => ({ id: plan.id, summary: plan.summary, steps: plan.steps.map((s) => describeFixStep(s, names)) }));
}
