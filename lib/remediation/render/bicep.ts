import type { FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, parseScope, roleDefinitionGuid, tryParseScope } from "@/lib/model/scope";
import type { ParsedScope } from "@/lib/model/types";
import { stepSentence, type RenderContext } from "./context";
import { identifier, IdentifierPool, shortHash } from "./names";
import { bicepString, commentedCode, commentLines, shellQuote } from "./quote";
import { isDeleteStep, orderSteps } from "./order";
import { renderAz } from "./az";

export const ROLE_ASSIGNMENT_API = "2022-04-01";
export const MANAGED_IDENTITY_API = "2023-01-31";

/**
 * API versions for `existing` references to the resources role assignments are scoped to.
 * Bicep needs one per type; these are GA versions of each provider.
 */
const EXISTING_API: Record<string, string> = {
  "microsoft.containerregistry/registries": "2023-07-01",
  "microsoft.network/virtualnetworks": "2024-05-01",
  "microsoft.network/virtualnetworks/subnets": "2024-05-01",
  "microsoft.network/routetables": "2024-05-01",
  "microsoft.network/networksecuritygroups": "2024-05-01",
  "microsoft.network/publicipaddresses": "2024-05-01",
  "microsoft.network/loadbalancers": "2024-05-01",
  "microsoft.network/applicationgateways": "2024-05-01",
  "microsoft.network/privatednszones": "2020-06-01",
  "microsoft.network/dnszones": "2018-05-01",
  "microsoft.storage/storageaccounts": "2023-05-01",
  "microsoft.storage/storageaccounts/blobservices/containers": "2023-05-01",
  "microsoft.keyvault/vaults": "2023-07-01",
  "microsoft.servicebus/namespaces": "2021-11-01",
  "microsoft.servicebus/namespaces/queues": "2021-11-01",
  "microsoft.servicebus/namespaces/topics": "2021-11-01",
  "microsoft.eventhub/namespaces": "2024-01-01",
  "microsoft.eventhub/namespaces/eventhubs": "2024-01-01",
  "microsoft.containerservice/managedclusters": "2024-09-01",
  "microsoft.managedidentity/userassignedidentities": MANAGED_IDENTITY_API,
  "microsoft.operationalinsights/workspaces": "2023-09-01",
  "microsoft.documentdb/databaseaccounts": "2024-05-15",
  "microsoft.compute/disks": "2023-04-02",
};

type Target = "resourceGroup" | "subscription" | "managementGroup";

/** One Bicep file: everything deployed to one resource group, subscription or management group. */
interface Section {
  key: string;
  target: Target;
  subscriptionId?: string;
  resourceGroup?: string;
  managementGroup?: string;
  pool: IdentifierPool;
  /** `existing` declarations by normalized resource id → symbol. */
  existing: Map<string, string>;
  declarations: string[];
  body: string[];
  /** Last federated credential written per identity symbol: ARM rejects concurrent credential writes on one identity. */
  lastCredential: Map<string, string>;
}

/**
 * Bicep: role assignments (`Microsoft.Authorization/roleAssignments@2022-04-01`), new
 * identities and their federated credentials, one file per deployment target, since a
 * resource deployed to another resource group or subscription needs its own deployment.
 * Role-assignment names are `guid(scope, principal, role)` as Azure's docs recommend, so a
 * redeploy is idempotent. Bicep only declares what should exist; what the plan deletes is
 * listed with the az commands that do it.
 */
export function renderBicep(plan: FixPlan, ctx: RenderContext): string {
  const steps = orderSteps(plan);
  const sections = new Map<string, Section>();
  const notExpressed: { step: FixStep; index: number; why: string }[] = [];
  /** Identities the plan creates → the section and symbol declaring them. */
  const created = new Map<string, { section: Section; symbol: string }>();

  const sectionFor = (p: ParsedScope): Section | undefined => {
    let target: Target;
    let key: string;
    if (p.level === "managementGroup") [target, key] = ["managementGroup", `mg:${p.managementGroup}`];
    else if (p.level === "subscription") [target, key] = ["subscription", `sub:${p.subscriptionId}`];
    else if (p.level === "resourceGroup" || p.level === "resource") [target, key] = ["resourceGroup", `rg:${p.subscriptionId}/${p.resourceGroup}`];
    else return undefined;
    key = key.toLowerCase();
    let s = sections.get(key);
    if (!s) {
      s = {
        key,
        target,
        subscriptionId: p.subscriptionId,
        resourceGroup: p.resourceGroup,
        managementGroup: p.managementGroup,
        pool: new IdentifierPool(),
        existing: new Map(),
        declarations: [],
        body: [],
        lastCredential: new Map(),
      };
      sections.set(key, s);
    }
    return s;
  };

  const existingRef = (s: Section, p: ParsedScope): string | undefined => {
    const type = p.resourceType!;
    const api = EXISTING_API[type.toLowerCase()];
    if (!api) return undefined;
    const key = normalizeId(p.id);
    const known = s.existing.get(key);
    if (known) return known;
    const symbol = s.pool.take(identifier([type.split("/").pop()!, p.resourceName ?? "", shortHash([p.id], 4)]));
    // Child resources (a subnet, a queue) are named parent/child in an existing reference.
    const parts = p.id.split("/").filter(Boolean);
    const names: string[] = [];
    for (let i = 7; i < parts.length; i += 2) names.push(parts[i]!);
    s.declarations.push(`resource ${symbol} ${bicepString(`${type}@${api}`)} existing = {`, `  name: ${bicepString(names.join("/"))}`, "}", "");
    s.existing.set(key, symbol);
    return symbol;
  };

  steps.forEach((step, index) => {
    const comment = commentLines(`Step ${index + 1}/${steps.length}: ${stepSentence(step, ctx)}`, "// ");
    switch (step.kind) {
      case "create-role-assignment": {
        const p = tryParseScope(step.scope);
        const s = p && sectionFor(p);
        if (!p || !s) {
          notExpressed.push({ step, index, why: "Bicep deploys role assignments at management group, subscription, resource group or resource scope" });
          return;
        }
        let scopeSymbol: string | undefined;
        if (p.level === "resource") {
          scopeSymbol = existingRef(s, p);
          if (!scopeSymbol) {
            notExpressed.push({ step, index, why: `no Bicep API version known to Scopewise for ${p.resourceType}` });
            return;
          }
        }
        const guid = roleDefinitionGuid(step.roleDefinitionId);
        const scopeIdExpr = scopeSymbol ? `${scopeSymbol}.id` : `${s.target}().id`;
        const roleExpr =
          s.target === "managementGroup"
            ? `tenantResourceId('Microsoft.Authorization/roleDefinitions', ${bicepString(guid)})`
            : `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${bicepString(guid)})`;
        const symbol = s.pool.take(identifier(["ra", step.roleName, p.resourceName ?? p.resourceGroup ?? p.subscriptionId ?? p.managementGroup ?? "", shortHash([step.principalId, guid, step.scope], 4)]));
        s.body.push(
          ...comment,
          `resource ${symbol} 'Microsoft.Authorization/roleAssignments@${ROLE_ASSIGNMENT_API}' = {`,
          `  name: guid(${scopeIdExpr}, ${bicepString(step.principalId)}, ${bicepString(guid)})`,
          ...(scopeSymbol ? [`  scope: ${scopeSymbol}`] : []),
          "  properties: {",
          `    roleDefinitionId: ${roleExpr}`,
          `    principalId: ${bicepString(step.principalId)}`,
          // Without principalType ARM looks the principal up in the directory and fails
          // (PrincipalNotFound) for an identity created moments before.
          `    principalType: ${bicepString(step.principalType || "ServicePrincipal")}`,
          ...(step.condition ? [`    condition: ${bicepString(step.condition)}`, `    conditionVersion: ${bicepString(step.conditionVersion || "2.0")}`] : []),
          "  }",
          "}",
          "",
        );
        return;
      }
      case "create-managed-identity": {
        const s = sectionFor(parseScope(step.resourceGroupId))!;
        const symbol = s.pool.take(identifier(["identity", step.name]));
        s.body.push(
          ...comment,
          `resource ${symbol} 'Microsoft.ManagedIdentity/userAssignedIdentities@${MANAGED_IDENTITY_API}' = {`,
          `  name: ${bicepString(step.name)}`,
          `  location: ${step.location ? bicepString(step.location) : "resourceGroup().location"}`,
          "}",
          "",
        );
        created.set(normalizeId(`${step.resourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${step.name}`), { section: s, symbol });
        return;
      }
      case "create-federated-credential": {
        const s = sectionFor(parseScope(step.identityId))!;
        const own = created.get(normalizeId(step.identityId));
        const parent = own && own.section === s ? own.symbol : existingRef(s, parseScope(step.identityId))!;
        const symbol = s.pool.take(identifier(["fic", step.name, shortHash([step.identityId, step.name], 4)]));
        const previous = s.lastCredential.get(parent);
        s.lastCredential.set(parent, symbol);
        s.body.push(
          ...comment,
          `resource ${symbol} 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@${MANAGED_IDENTITY_API}' = {`,
          `  parent: ${parent}`,
          `  name: ${bicepString(step.name)}`,
          "  properties: {",
          `    issuer: ${bicepString(step.issuer)}`,
          `    subject: ${bicepString(step.subject)}`,
          `    audiences: [`,
          ...step.audiences.map((a) => `      ${bicepString(a)}`),
          "    ]",
          "  }",
          // Azure returns ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity
          // when two credentials of one identity are written in parallel.
          ...(previous ? [`  dependsOn: [`, `    ${previous}`, "  ]"] : []),
          "}",
          "",
        );
        return;
      }
      default:
        notExpressed.push({
          step,
          index,
          why: isDeleteStep(step)
            ? "Bicep deployments create and update; they cannot delete"
            : step.kind === "manual"
              ? "manual step"
              : step.kind.startsWith("kubernetes")
                ? "a Kubernetes change: see the YAML rendering"
                : step.kind === "create-app-federated-credential"
                  ? // App registrations live in Microsoft Graph; plain Bicep deploys only ARM resources.
                    "a Microsoft Graph write on an app registration, which Bicep cannot make without the Graph extension"
                  : "an az command",
        });
    }
  });

  const out: string[] = [...commentLines(`Scopewise fix "${plan.id}": ${plan.summary}`, "// ")];
  const list = [...sections.values()];
  if (list.length > 1) {
    out.push(`// ${list.length} deployments, one file each (a deployment targets one resource group, subscription or management group).`);
  }
  list.forEach((s, i) => {
    const file = `${identifier([plan.id, s.resourceGroup ?? s.subscriptionId ?? s.managementGroup ?? "deployment"], 40).replace(/_/g, "-")}.bicep`;
    out.push("", ...(list.length > 1 ? [`// ===== file ${i + 1}/${list.length}: ${file} =====`] : []));
    out.push(...commentedCode([`Deploy: ${deployCommand(s, file, ctx)}`], "// "));
    out.push(`targetScope = '${s.target}'`, "", ...s.declarations, ...s.body);
  });
  if (notExpressed.length > 0) {
    out.push("", "// ===== Not expressible in Bicep: run these with az / kubectl, in this order relative to the deployment =====");
    for (const { step, index, why } of notExpressed) {
      out.push(...commentLines(`Step ${index + 1}/${steps.length} (${why}): ${stepSentence(step, ctx)}`, "// "));
      if (step.kind === "manual") continue;
      const script = renderAz({ id: plan.id, summary: plan.summary, steps: [step] }, ctx).split("\n");
      const body = script.slice(script.indexOf("set -euo pipefail") + 1).filter((l) => l !== "" && !l.startsWith("#"));
      out.push(...commentedCode(body, "//   "));
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

/** The `az deployment` command line for one file, every value shell-quoted (names come from the tenant). */
function deployCommand(s: Section, file: string, ctx: RenderContext): string {
  const q = (v: string | undefined) => shellQuote(v ?? "");
  if (s.target === "resourceGroup") return `az deployment group create --subscription ${q(s.subscriptionId)} --resource-group ${q(s.resourceGroup)} --template-file ${q(file)}`;
  // Subscription and management-group deployments store their record in a region; any region works.
  const location = q(anyLocation(ctx, s.subscriptionId));
  if (s.target === "subscription") return `az deployment sub create --subscription ${q(s.subscriptionId)} --location ${location} --template-file ${q(file)}`;
  return `az deployment mg create --management-group-id ${q(s.managementGroup)} --location ${location} --template-file ${q(file)}`;
}

function anyLocation(ctx: RenderContext, subscriptionId: string | undefined): string {
  const entries = Object.entries(ctx.resourceGroupLocations);
  const inSub = subscriptionId ? entries.find(([id]) => id.startsWith(`/subscriptions/${subscriptionId.toLowerCase()}/`)) : undefined;
  return (inSub ?? entries[0])?.[1] ?? Object.values(ctx.clusters)[0]?.location ?? "westeurope";
}
