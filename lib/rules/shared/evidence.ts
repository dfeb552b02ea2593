/** How findings read: scopes, roles and identities in words, and the evidence of an assignment. Pure. */
import type { Evidence } from "@/lib/model/findings";
import { normalizeId, tryParseScope } from "@/lib/model/scope";
import { IdentityKind, ScopeLevel, type Identity, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { roleDefinitionIdOf } from "@/lib/roles/catalog";
import type { RuleContext } from "@/lib/rules/rule-context";

/** "resource group rg-x", "subscription prod (<guid>)", "management group contoso", "the storage account st1". */
export function describeScope(ctx: RuleContext, scope: string): string {
  const p = tryParseScope(scope);
  if (!p) return scope;
  switch (p.level) {
    case ScopeLevel.Root:
      return "the tenant root";
    case ScopeLevel.ManagementGroup: {
      const mg = ctx.index.managementGroupById.get(normalizeId(scope));
      return `management group ${mg?.displayName ?? p.managementGroup}`;
    }
    case ScopeLevel.Subscription: {
      const sub = ctx.index.subscriptionById.get(normalizeId(scope));
      return sub ? `subscription ${sub.displayName} (${sub.subscriptionId})` : `subscription ${p.subscriptionId}`;
    }
    case ScopeLevel.ResourceGroup:
      return `resource group ${p.resourceGroup}`;
    default:
      return `${resourceKindLabel(p.resourceType ?? "")} ${p.resourceName}`;
  }
}

const KIND_LABELS: Record<string, string> = {
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
  "microsoft.compute/virtualmachinescalesets": "scale set",
  "microsoft.compute/virtualmachines": "virtual machine",
  "microsoft.managedidentity/userassignedidentities": "managed identity",
  "microsoft.containerservice/managedclusters": "AKS cluster",
  "microsoft.operationalinsights/workspaces": "Log Analytics workspace",
};

/** "storage account", "registry", ...; unknown types by their last segment. */
export function resourceKindLabel(type: string): string {
  return KIND_LABELS[type.toLowerCase()] ?? type.split("/").pop() ?? "resource";
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;
}

export function roleLabel(role: RoleDefinition): string {
  return role.roleType === "CustomRole" ? `custom role "${role.roleName}"` : role.roleName;
}

export function identityLabel(identity: Identity): string {
  const job: Record<string, string> = {
    [IdentityKind.ControlPlane]: "control-plane identity",
    [IdentityKind.Kubelet]: "kubelet identity",
    [IdentityKind.Addon]: "add-on identity",
    [IdentityKind.App]: "app identity",
  };
  return `${job[identity.kind] ?? "identity"} ${identity.displayName}`;
}

/** Evidence naming the assignment, its role definition and the identity's jobs. */
export function assignmentEvidence(ctx: RuleContext, identity: Identity, assignment: RoleAssignment, role: RoleDefinition): Evidence[] {
  const out: Evidence[] = [
    { source: assignment.id, fact: `${identity.displayName} holds ${role.roleName} at ${describeScope(ctx, assignment.scope)} (${assignment.scopeLevel} scope)` },
  ];
  for (const use of identity.uses) {
    const cluster = ctx.cluster(use.clusterId);
    if (!cluster) continue;
    const job =
      use.kind === IdentityKind.Addon
        ? `the ${use.addon} add-on identity`
        : use.kind === IdentityKind.App
          ? `used by pods through ${use.mechanism ?? "a workload link"}`
          : `the ${use.kind} identity`;
    out.push({ source: cluster.id, fact: `${identity.displayName} is ${job} of cluster ${cluster.name}` });
  }
  return out;
}

export function roleEvidence(role: RoleDefinition, fact: string): Evidence {
  return { source: role.id || roleDefinitionIdOf(role.name), fact: `${role.roleName} (${role.roleType === "CustomRole" ? "custom" : "built-in"}): ${fact}` };
}
