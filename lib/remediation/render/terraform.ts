import type { FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, parseScope, roleDefinitionGuid, tryParseScope } from "@/lib/model/scope";
import { federatedCredentialParent, identityOf, locationOf, stepSentence, type RenderContext } from "./context";
import { hclString } from "@/lib/iac/hcl-quote";
import { identifier, IdentifierPool, shortHash } from "./names";
import { commentedCode, commentLines } from "./quote";
import { orderSteps } from "./order";
import { renderAz } from "./az";

/** Resource addresses this file adopts (stage 1) and removes (stage 2). */
interface Removal {
  address: string;
}

class HclWriter {
  readonly lines: string[] = [];
  comment(text: string): void {
    this.lines.push(...commentLines(text, "# "));
  }
  block(header: string, attrs: [string, string | undefined][], nested: string[] = []): void {
    const present = attrs.filter((a): a is [string, string] => a[1] !== undefined);
    const width = Math.max(0, ...present.map(([k]) => k.length));
    this.lines.push(`${header} {`);
    for (const [k, v] of present) this.lines.push(`  ${k.padEnd(width)} = ${v}`);
    for (const n of nested) this.lines.push(...n.split("\n").map((l) => `  ${l}`));
    this.lines.push("}");
  }
  blank(): void {
    this.lines.push("");
  }
}

/**
 * azurerm keeps the role definition id in the form ARM returns it, subscription-qualified
 * under a subscription; the tenant-level form would show as a change on every plan and
 * force a replacement of the assignment.
 */
function roleDefinitionIdFor(scope: string, roleDefinitionIdOrGuid: string): string {
  const guid = roleDefinitionGuid(roleDefinitionIdOrGuid);
  const sub = tryParseScope(scope)?.subscriptionId;
  return sub ? `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}` : `/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

/** Adopted objects must not be changed by stage 1: they are only there to be destroyed by stage 2. */
const IGNORE_ALL = "lifecycle {\n  ignore_changes = all\n}";

/**
 * Terraform (azurerm ~> 4.0, Terraform >= 1.7 for `import`/`removed` blocks).
 *
 * Terraform can only destroy what is in its state, and an `import` block needs the resource
 * block it fills while a `removed` block needs that block gone, so the two cannot sit in one
 * configuration. The rendering is therefore two applies, which is also the safe order:
 * stage 1 creates the new objects and adopts the old ones (`import` + a resource block
 * mirroring the object as scanned, `ignore_changes = all` so nothing about it changes);
 * stage 2 swaps each adopted block for the `removed { lifecycle { destroy = true } }` block
 * printed at the end, and Terraform deletes exactly those objects.
 *
 * Kubernetes changes are not rendered as `kubernetes_manifest`: Scopewise's manifests are
 * server-side-apply patches of objects that already exist (a ServiceAccount annotation, a
 * pod-template label), which kubernetes_manifest would try to own whole. They are listed as
 * kubectl commands against the YAML rendering instead.
 */
export function renderTerraform(plan: FixPlan, ctx: RenderContext): string {
  const steps = orderSteps(plan);
  const pool = new IdentifierPool();
  const w = new HclWriter();
  const removals: Removal[] = [];
  const subscriptions = subscriptionsOf(steps, ctx);
  const defaultSub = subscriptions[0];
  const providerFor = (sub: string | undefined) => (sub && sub.toLowerCase() !== defaultSub?.toLowerCase() ? `azurerm.${providerAlias(sub)}` : undefined);
  /** New identities by normalized resource id → their Terraform address, so FICs reference them. */
  const createdIdentities = new Map<string, string>();
  const dataSources = new Map<string, string>();
  /** `data "azuread_application"` lookups by appId → their Terraform address. */
  const applications = new Map<string, string>();
  const usesAzureAd = steps.some((s) => s.kind === "create-app-federated-credential");
  const AZURERM_KINDS: readonly FixStep["kind"][] = ["create-role-assignment", "delete-role-assignment", "create-federated-credential", "delete-federated-credential", "create-managed-identity", "delete-managed-identity"];
  // A plan whose only Terraform content is Graph needs no azurerm provider (nor a subscription for it).
  const usesAzureRm = !usesAzureAd || steps.some((s) => AZURERM_KINDS.includes(s.kind));

  const rgLocation = (rgId: string): string => {
    const known = locationOf(ctx, rgId);
    if (known) return hclString(known);
    const key = normalizeId(rgId);
    let name = dataSources.get(key);
    if (!name) {
      const rg = parseScope(rgId);
      name = pool.take(identifier(["rg", rg.resourceGroup ?? "", shortHash([rgId], 6)]));
      dataSources.set(key, name);
      w.block(`data "azurerm_resource_group" "${name}"`, [
        ["provider", providerFor(rg.subscriptionId)],
        ["name", hclString(rg.resourceGroup ?? "")],
      ]);
      w.blank();
    }
    return `data.azurerm_resource_group.${name}.location`;
  };

  w.comment(`Scopewise fix "${plan.id}": ${plan.summary}`);
  w.comment(
    "Two applies, creates before deletes. Stage 1 (this file): `terraform apply` creates the new objects and adopts the " +
      "ones to delete through import blocks. Stage 2: replace every resource block marked ADOPTED FOR REMOVAL with the " +
      "removed blocks at the end of this file and apply again; Terraform then deletes exactly those objects.",
  );
  w.blank();
  w.block("terraform", [["required_version", hclString(">= 1.7")]], [
    [
      "required_providers {",
      ...(usesAzureRm ? ["  azurerm = {", '    source  = "hashicorp/azurerm"', '    version = "~> 4.0"', "  }"] : []),
      ...(usesAzureAd ? ["  azuread = {", '    source  = "hashicorp/azuread"', '    version = "~> 3.0"', "  }"] : []),
      "}",
    ].join("\n"),
  ]);
  w.blank();
  if (usesAzureAd) {
    // App registrations live in Microsoft Graph, not ARM: the azuread provider writes them with the signed-in tenant's Graph rights.
    w.block('provider "azuread"', []);
    w.blank();
  }
  if (subscriptions.length === 0 && usesAzureRm) {
    // azurerm 4 needs a subscription even when every scope is a management group; it reads ARM_SUBSCRIPTION_ID.
    w.comment("Every scope here is above a subscription: set ARM_SUBSCRIPTION_ID to any subscription you can sign in to.");
    w.block('provider "azurerm"', [], ["features {}"]);
    w.blank();
  }
  for (const sub of subscriptions) {
    w.block('provider "azurerm"', [
      ["alias", sub === defaultSub ? undefined : hclString(providerAlias(sub))],
      ["subscription_id", hclString(sub)],
    ], ["features {}"]);
    w.blank();
  }

  const manualNotes: string[] = [];
  steps.forEach((step, i) => {
    w.comment(`Step ${i + 1}/${steps.length}: ${stepSentence(step, ctx)}`);
    renderStep(step);
    w.blank();
  });

  function renderStep(step: FixStep): void {
    switch (step.kind) {
      case "create-role-assignment": {
        const name = pool.take(identifier([step.roleName, lastSegment(step.scope), shortHash([step.principalId, step.roleDefinitionId, step.scope])]));
        // No `name`: azurerm generates a new GUID, as the applier does.
        w.block(`resource "azurerm_role_assignment" "${name}"`, [
          ["scope", hclString(step.scope)],
          ["role_definition_id", hclString(roleDefinitionIdFor(step.scope, step.roleDefinitionId))],
          ["principal_id", hclString(step.principalId)],
          ["principal_type", hclString(step.principalType || "ServicePrincipal")],
          ["condition", step.condition ? hclString(step.condition) : undefined],
          ["condition_version", step.condition ? hclString(step.conditionVersion || "2.0") : undefined],
        ]);
        return;
      }
      case "delete-role-assignment": {
        const known = ctx.roleAssignments[normalizeId(step.roleAssignmentId)];
        const name = pool.take(identifier(["remove", step.roleName, lastSegment(step.scope), shortHash([step.roleAssignmentId])]));
        adopt("azurerm_role_assignment", name, step.roleAssignmentId, [
          ["scope", hclString(step.scope)],
          known
            ? ["role_definition_id", hclString(roleDefinitionIdFor(step.scope, known.roleDefinitionGuid))]
            : ["role_definition_name", hclString(step.roleName)],
          ["principal_id", hclString(step.principalId)],
        ]);
        return;
      }
      case "create-federated-credential": {
        const identity = identityOf(ctx, step.identityId);
        const name = pool.take(identifier(["fic", step.name, shortHash([step.identityId, step.name], 6)]));
        const parentAddress = createdIdentities.get(normalizeId(step.identityId));
        w.block(`resource "azurerm_federated_identity_credential" "${name}"`, [
          ["provider", providerFor(identity.subscriptionId)],
          ["name", hclString(step.name)],
          ["resource_group_name", hclString(identity.resourceGroup)],
          ["parent_id", parentAddress ? `${parentAddress}.id` : hclString(step.identityId)],
          ["issuer", hclString(step.issuer)],
          ["subject", hclString(step.subject)],
          ["audience", `[${step.audiences.map(hclString).join(", ")}]`],
        ]);
        return;
      }
      case "create-app-federated-credential": {
        // azuread 3.x addresses the application by "/applications/<object id>"; the plan knows
        // the appId (client id), so a data source looks the object id up.
        let app = applications.get(step.appId.toLowerCase());
        if (!app) {
          const dataName = pool.take(identifier(["app", step.applicationName, shortHash([step.appId], 6)]));
          app = `data.azuread_application.${dataName}`;
          applications.set(step.appId.toLowerCase(), app);
          w.block(`data "azuread_application" "${dataName}"`, [["client_id", hclString(step.appId)]]);
          w.blank();
        }
        const name = pool.take(identifier(["app_fic", step.name, shortHash([step.appId, step.name], 6)]));
        w.block(`resource "azuread_application_federated_identity_credential" "${name}"`, [
          ["application_id", `${app}.id`],
          ["display_name", hclString(step.name)],
          ["issuer", hclString(step.issuer)],
          ["subject", hclString(step.subject)],
          ["audiences", `[${step.audiences.map(hclString).join(", ")}]`],
        ]);
        return;
      }
      case "delete-app-federated-credential":
        notInTerraform(step, "the plan does not carry the credential's issuer and subject, which adopting it needs");
        return;
      case "delete-federated-credential": {
        const known = ctx.federatedCredentials[normalizeId(step.federatedCredentialId)];
        const parentId = federatedCredentialParent(step.federatedCredentialId);
        if (!known || !parentId) {
          notInTerraform(step, "the scan did not read this credential's issuer and subject, which adopting it needs");
          return;
        }
        if (!known.subject) {
          notInTerraform(step, "it is a flexible credential (claimsMatchingExpression), which azurerm_federated_identity_credential cannot describe");
          return;
        }
        const identity = identityOf(ctx, parentId);
        const name = pool.take(identifier(["remove_fic", known.name, shortHash([step.federatedCredentialId], 6)]));
        adopt("azurerm_federated_identity_credential", name, step.federatedCredentialId, [
          ["provider", providerFor(identity.subscriptionId)],
          ["name", hclString(known.name)],
          ["resource_group_name", hclString(identity.resourceGroup)],
          ["parent_id", hclString(parentId)],
          ["issuer", hclString(known.issuer)],
          ["subject", hclString(known.subject)],
          ["audience", `[${known.audiences.map(hclString).join(", ")}]`],
        ]);
        return;
      }
      case "create-managed-identity": {
        const rg = parseScope(step.resourceGroupId);
        const name = pool.take(identifier(["identity", step.name]));
        const location = step.location ? hclString(step.location) : rgLocation(step.resourceGroupId);
        w.block(`resource "azurerm_user_assigned_identity" "${name}"`, [
          ["provider", providerFor(rg.subscriptionId)],
          ["name", hclString(step.name)],
          ["resource_group_name", hclString(rg.resourceGroup ?? "")],
          ["location", location],
        ]);
        createdIdentities.set(normalizeId(`${step.resourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${step.name}`), `azurerm_user_assigned_identity.${name}`);
        return;
      }
      case "delete-managed-identity": {
        const identity = identityOf(ctx, step.identityId);
        const name = pool.take(identifier(["remove_identity", identity.name]));
        const rgId = `/subscriptions/${identity.subscriptionId}/resourceGroups/${identity.resourceGroup}`;
        adopt("azurerm_user_assigned_identity", name, step.identityId, [
          ["provider", providerFor(identity.subscriptionId)],
          ["name", hclString(identity.name)],
          ["resource_group_name", hclString(identity.resourceGroup)],
          ["location", identity.location ? hclString(identity.location) : rgLocation(rgId)],
        ]);
        return;
      }
      case "kubernetes-apply":
      case "kubernetes-delete":
      case "az-command":
        notInTerraform(step, step.kind === "az-command" ? "run it before stage 1" : "see the YAML rendering; run it between stage 1 and stage 2");
        return;
      case "manual":
        manualNotes.push(step.description);
        w.comment("Manual step, not expressed in Terraform.");
        return;
    }
  }

  function adopt(type: string, name: string, id: string, attrs: [string, string | undefined][]): void {
    w.comment(`ADOPTED FOR REMOVAL in stage 2 (mirrors the object as scanned).`);
    w.block("import", [["to", `${type}.${name}`], ["id", hclString(id)]]);
    w.block(`resource "${type}" "${name}"`, attrs, [IGNORE_ALL]);
    removals.push({ address: `${type}.${name}` });
  }

  function notInTerraform(step: FixStep, why: string): void {
    w.comment(`Not expressed in Terraform (${why}):`);
    const script = renderAz({ id: plan.id, summary: plan.summary, steps: [step] }, ctx).split("\n");
    // The step's description is already above (it may wrap over several comment lines): keep only the commands.
    const body = script.slice(script.indexOf("set -euo pipefail") + 1).filter((l) => l !== "" && !l.startsWith("#"));
    w.lines.push(...commentedCode(body, "#   "));
  }

  if (removals.length > 0) {
    w.comment(
      "==== Stage 2: once stage 1 applied cleanly, delete each ADOPTED FOR REMOVAL import block and resource block " +
        "(an import block without its resource block is an error), add these removed blocks, then `terraform apply` again:",
    );
    for (const r of removals) {
      w.lines.push("# removed {", `#   from = ${r.address}`, "#   lifecycle {", "#     destroy = true", "#   }", "# }");
    }
  }
  return w.lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

function providerAlias(subscriptionId: string): string {
  return identifier(["sub", subscriptionId.replace(/-/g, "").slice(0, 8)]);
}

function lastSegment(id: string): string {
  const p = tryParseScope(id);
  if (!p) return "scope";
  return p.resourceName ?? p.resourceGroup ?? p.managementGroup ?? (p.subscriptionId ? "subscription" : "root");
}

/** Subscriptions whose provider a resource needs (identities, credentials); role assignments carry full scopes and use the default. */
function subscriptionsOf(steps: FixStep[], ctx: RenderContext): string[] {
  const subs: string[] = [];
  const add = (s: string | undefined) => {
    if (s && !subs.some((x) => x.toLowerCase() === s.toLowerCase())) subs.push(s);
  };
  for (const s of steps) {
    if (s.kind === "create-managed-identity") add(tryParseScope(s.resourceGroupId)?.subscriptionId);
    if (s.kind === "delete-managed-identity") add(identityOf(ctx, s.identityId).subscriptionId);
    if (s.kind === "create-federated-credential") add(identityOf(ctx, s.identityId).subscriptionId);
    if (s.kind === "delete-federated-credential") add(tryParseScope(s.federatedCredentialId)?.subscriptionId);
  }
  for (const s of steps) {
    if (s.kind === "create-role-assignment" || s.kind === "delete-role-assignment") add(tryParseScope(s.scope)?.subscriptionId);
  }
  return subs;
}
