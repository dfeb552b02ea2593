import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import type { FixPlan } from "@/lib/model/findings";
import { applicableFormats, emptyRenderContext, orderSteps, renderPlan, type RenderContext } from "./index";

const SUB = "11111111-1111-1111-1111-111111111111";
const SUB2 = "22222222-2222-2222-2222-222222222222";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app`;
const ACR = `/subscriptions/${SUB}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/contoso`;
const SUBNET = `/subscriptions/${SUB2}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-aks/subnets/snet-aks`;
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-prod`;
const OLD_ID = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-old`;
const NEW_ID = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-new`;
const OLD_FIC = `${OLD_ID}/federatedIdentityCredentials/aks-prod-app-api`;
const OLD_RA = `/subscriptions/${SUB}/resourceGroups/rg-acr/providers/Microsoft.Authorization/roleAssignments/9a3c1b2e-0000-4000-8000-000000000001`;
const SUB_RA = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/9a3c1b2e-0000-4000-8000-000000000002`;
const PRINCIPAL = "6a3fd275-293b-53a1-88ff-d0ef25b996c1";
const ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
const NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7";
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";

/** Every FixStep kind once, deletes deliberately listed before some creates. */
const EVERY_KIND: FixPlan = {
  id: "every-kind",
  summary: "All step kinds",
  steps: [
    { kind: "manual", description: "Confirm the app's owners agree." },
    { kind: "delete-role-assignment", roleAssignmentId: OLD_RA, principalId: PRINCIPAL, roleName: "AcrPush", scope: `/subscriptions/${SUB}/resourceGroups/rg-acr` },
    {
      kind: "create-role-assignment",
      principalId: PRINCIPAL,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL}`,
      roleName: "AcrPull",
      scope: ACR,
    },
    {
      kind: "create-role-assignment",
      principalId: PRINCIPAL,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${SUB2}/providers/Microsoft.Authorization/roleDefinitions/${NETWORK_CONTRIBUTOR}`,
      roleName: "Network Contributor",
      scope: SUBNET,
    },
    {
      kind: "create-role-assignment",
      principalId: PRINCIPAL,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL}`,
      roleName: "AcrPull",
      scope: RG,
    },
    { kind: "create-managed-identity", resourceGroupId: RG, name: "id-new", location: "westeurope" },
    { kind: "create-federated-credential", identityId: NEW_ID, name: "aks-prod-app-api", issuer: ISSUER, subject: "system:serviceaccount:app:api", audiences: ["api://AzureADTokenExchange"] },
    { kind: "create-federated-credential", identityId: NEW_ID, name: "aks-prod-app-worker", issuer: ISSUER, subject: "system:serviceaccount:app:worker", audiences: ["api://AzureADTokenExchange"] },
    { kind: "az-command", args: ["aks", "update", "--resource-group", "rg-aks", "--name", "aks-prod", "--enable-oidc-issuer", "--enable-workload-identity"], description: "Enable workload identity." },
    {
      kind: "kubernetes-apply",
      clusterId: CLUSTER,
      manifest: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "app", annotations: { "azure.workload.identity/client-id": "c916ef96-cb7c-58a7-8309-f2f3fcef13a5" } } },
      description: "ServiceAccount app/api annotated with id-new's client id.",
    },
    {
      kind: "kubernetes-apply",
      clusterId: CLUSTER,
      manifest: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "app" },
        spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } }, spec: { serviceAccountName: "api" } } },
      },
      description: "Labels the pod template of Deployment app/api.",
    },
    { kind: "kubernetes-delete", clusterId: CLUSTER, apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "app", name: "api-binding" },
    { kind: "manual", description: "Delete the client secret of the old app registration." },
    { kind: "delete-federated-credential", federatedCredentialId: OLD_FIC },
    { kind: "delete-role-assignment", roleAssignmentId: SUB_RA, principalId: PRINCIPAL, roleName: "Network Contributor", scope: `/subscriptions/${SUB}` },
    { kind: "delete-managed-identity", identityId: OLD_ID },
  ],
};

function context(): RenderContext {
  const ctx = emptyRenderContext();
  ctx.clusters[CLUSTER.toLowerCase()] = { id: CLUSTER, name: "aks-prod", resourceGroup: "rg-aks", subscriptionId: SUB, location: "westeurope" };
  ctx.identities[OLD_ID.toLowerCase()] = { id: OLD_ID, name: "id-old", resourceGroup: "rg-app", subscriptionId: SUB, location: "northeurope", clientId: "c1", principalId: "p1" };
  ctx.federatedCredentials[OLD_FIC.toLowerCase()] = { id: OLD_FIC, name: "aks-prod-app-api", identityId: OLD_ID, issuer: ISSUER, subject: "system:serviceaccount:app:api", audiences: ["api://AzureADTokenExchange"] };
  ctx.roleAssignments[OLD_RA.toLowerCase()] = { id: OLD_RA, scope: `/subscriptions/${SUB}/resourceGroups/rg-acr`, principalId: PRINCIPAL, principalType: "ServicePrincipal", roleDefinitionGuid: "8311e382-0749-4cb8-b61a-304f252e45ec", roleName: "AcrPush" };
  ctx.resourceGroupLocations[RG.toLowerCase()] = "westeurope";
  return ctx;
}

function bashSyntaxCheck(script: string): void {
  const dir = mkdtempSync(join(tmpdir(), "scopewise-az-"));
  const file = join(dir, "fix.sh");
  writeFileSync(file, script);
  execFileSync("bash", ["-n", file], { stdio: "pipe" });
}

/** Shell words of a command split over `\` continuation lines. */
function commandLines(script: string, head: string): string[] {
  const joined = script.replace(/ \\\n\s+/g, " ");
  return joined.split("\n").filter((l) => l.startsWith(head));
}

describe("orderSteps", () => {
  it("puts every delete after every create and keeps manual steps with the step before them", () => {
    const kinds = orderSteps(EVERY_KIND).map((s) => s.kind);
    const lastCreate = Math.max(...["create-role-assignment", "create-managed-identity", "create-federated-credential", "kubernetes-apply", "az-command"].map((k) => kinds.lastIndexOf(k as never)));
    const firstDelete = Math.min(...["delete-role-assignment", "delete-federated-credential", "kubernetes-delete", "delete-managed-identity"].map((k) => kinds.indexOf(k as never)));
    expect(lastCreate).toBeLessThan(firstDelete);
    expect(kinds[0]).toBe("manual");
    // The "delete the client secret" note follows the binding deletion it belongs to.
    expect(kinds.indexOf("kubernetes-delete") + 1).toBe(kinds.lastIndexOf("manual"));
    expect(kinds).toHaveLength(EVERY_KIND.steps.length);
  });
});

describe("applicableFormats", () => {
  it("lists every format for a plan with Azure and Kubernetes steps", () => {
    expect(applicableFormats(EVERY_KIND)).toEqual(["az", "terraform", "bicep", "yaml"]);
  });
  it("drops YAML without Kubernetes steps and Bicep when the plan only deletes", () => {
    const plan: FixPlan = { id: "remove", summary: "Remove", steps: [EVERY_KIND.steps[1]!] };
    expect(applicableFormats(plan)).toEqual(["az", "terraform"]);
    expect(renderPlan(plan, "yaml", context())).toMatch(/^# Nothing to render as YAML for this plan \("remove"\): it changes no Kubernetes object\. Available: az CLI, Terraform\./);
    expect(renderPlan(plan, "bicep", context())).toMatch(/^\/\/ Nothing to render as Bicep/);
  });
  it("has nothing but comments for a manual-only plan", () => {
    expect(applicableFormats({ id: "m", summary: "m", steps: [{ kind: "manual", description: "x" }] })).toEqual([]);
  });
});

describe("az script", () => {
  const script = renderPlan(EVERY_KIND, "az", context());

  it("is valid bash that stops at the first error", () => {
    bashSyntaxCheck(script);
    expect(script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(script).toContain("\nset -euo pipefail\n");
  });

  it("creates role assignments by object id, principal type, role GUID and scope", () => {
    const creates = commandLines(script, "az role assignment create");
    expect(creates).toHaveLength(3);
    expect(creates[0]).toBe(
      `az role assignment create --assignee-object-id ${PRINCIPAL} --assignee-principal-type ServicePrincipal --role ${ACR_PULL} --scope ${ACR}`,
    );
    expect(creates[1]).toContain(`--role ${NETWORK_CONTRIBUTOR} --scope ${SUBNET}`);
  });

  it("deletes by id, only after all creates", () => {
    const lines = script.replace(/ \\\n\s+/g, " ").split("\n");
    const deletes = lines.filter((l) => l.startsWith("az role assignment delete"));
    expect(deletes).toEqual([`az role assignment delete --ids ${OLD_RA}`, `az role assignment delete --ids ${SUB_RA}`]);
    const lastCreate = Math.max(...lines.map((l, i) => (/^(az role assignment create|az identity (federated-credential )?create|kubectl .* apply)/.test(l) ? i : -1)));
    const firstDelete = lines.findIndex((l) => / delete /.test(` ${l}`) && !l.startsWith("#"));
    expect(lastCreate).toBeLessThan(firstDelete);
  });

  it("creates and deletes federated credentials and identities with real names", () => {
    expect(commandLines(script, "az identity federated-credential create")[0]).toBe(
      `az identity federated-credential create --name aks-prod-app-api --identity-name id-new --resource-group rg-app --subscription ${SUB} --issuer ${ISSUER} --subject system:serviceaccount:app:api --audiences api://AzureADTokenExchange`,
    );
    expect(commandLines(script, "az identity federated-credential delete")[0]).toBe(
      `az identity federated-credential delete --name aks-prod-app-api --identity-name id-old --resource-group rg-app --subscription ${SUB} --yes`,
    );
    expect(commandLines(script, "az identity create")[0]).toBe(`az identity create --name id-new --resource-group rg-app --subscription ${SUB} --location westeurope`);
    expect(commandLines(script, "az identity delete")[0]).toBe(`az identity delete --ids ${OLD_ID}`);
  });

  it("applies manifests server-side through a quoted heredoc on the cluster's context", () => {
    expect(script).toMatch(/kubectl --context aks-prod apply --server-side --field-manager=scopewise -f - <<'EOF'\napiVersion: v1\nkind: ServiceAccount\n[\s\S]*?\nEOF\n/);
    expect(commandLines(script, "az aks get-credentials")).toEqual([`az aks get-credentials --resource-group rg-aks --name aks-prod --subscription ${SUB} --overwrite-existing`]);
    expect(script).toContain("kubectl --context aks-prod delete azureidentitybinding.aadpodidentity.k8s.io -n app api-binding --ignore-not-found");
  });

  it("keeps az commands verbatim and manual steps as comments", () => {
    expect(script).toContain("\naz aks update --resource-group rg-aks --name aks-prod --enable-oidc-issuer --enable-workload-identity\n");
    expect(script).toMatch(/# Step 1\/16 \(manual\): Confirm the app's owners agree\./);
  });

  it("quotes values the shell would split", () => {
    const plan: FixPlan = { id: "q", summary: "q", steps: [{ kind: "create-managed-identity", resourceGroupId: RG, name: "it's", location: "west europe" }] };
    const out = renderPlan(plan, "az", context());
    bashSyntaxCheck(out);
    expect(out).toContain(`--name 'it'"'"'s'`);
    expect(out).toContain("--location 'west europe'");
  });
});

describe("Terraform", () => {
  const tf = renderPlan(EVERY_KIND, "terraform", context());

  it("declares role assignments with subscription-qualified role ids and real principals", async () => {
    const hcl = await parseHcl("main.tf", tf);
    const ras = hcl.resource.azurerm_role_assignment as Record<string, Record<string, unknown>[]>;
    const created = Object.entries(ras).filter(([name]) => !name.startsWith("remove_"));
    expect(created).toHaveLength(3);
    for (const [name] of created) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    const acr = created.find(([, b]) => b[0]!.scope === ACR)![1][0]!;
    expect(acr.role_definition_id).toBe(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL}`);
    expect(acr.principal_id).toBe(PRINCIPAL);
    expect(acr.principal_type).toBe("ServicePrincipal");
    const subnet = created.find(([, b]) => b[0]!.scope === SUBNET)![1][0]!;
    expect(subnet.role_definition_id).toBe(`/subscriptions/${SUB2}/providers/Microsoft.Authorization/roleDefinitions/${NETWORK_CONTRIBUTOR}`);
  });

  it("adopts what is deleted with import blocks carrying the real ids, mirroring the scanned object", async () => {
    const hcl = await parseHcl("main.tf", tf);
    const imports = hcl.import as { to: string; id: string }[];
    expect(imports.map((i) => i.id).sort()).toEqual([OLD_FIC, OLD_ID, OLD_RA, SUB_RA].sort());
    const raImport = imports.find((i) => i.id === OLD_RA)!;
    const address = raImport.to.replace(/^\$\{|\}$/g, "");
    const [type, name] = address.split(".");
    expect(type).toBe("azurerm_role_assignment");
    const adopted = hcl.resource.azurerm_role_assignment[name!][0];
    expect(adopted.scope).toBe(`/subscriptions/${SUB}/resourceGroups/rg-acr`);
    // The scanned role (AcrPush), not a guess from the name.
    expect(adopted.role_definition_id).toBe(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/8311e382-0749-4cb8-b61a-304f252e45ec`);
    expect(adopted.lifecycle).toEqual([{ ignore_changes: "${all}" }]);
    // Not in the context: falls back to the role name azurerm resolves.
    const subAddress = imports.find((i) => i.id === SUB_RA)!.to.replace(/^\$\{|\}$/g, "").split(".")[1]!;
    expect(hcl.resource.azurerm_role_assignment[subAddress][0].role_definition_name).toBe("Network Contributor");
  });

  it("prints stage-2 removed blocks for exactly the adopted addresses", async () => {
    const hcl = await parseHcl("main.tf", tf);
    const adopted = (hcl.import as { to: string }[]).map((i) => i.to).sort();
    const stage2 = tf
      .slice(tf.indexOf("# ==== Stage 2"))
      .split("\n")
      .filter((l) => /^# (removed|  |\})/.test(l))
      .map((l) => l.slice(2))
      .join("\n");
    const removed = (await parseHcl("stage2.tf", stage2)).removed as { from: string; lifecycle: { destroy: boolean }[] }[];
    expect(removed.map((r) => r.from).sort()).toEqual(adopted);
    for (const r of removed) expect(r.lifecycle).toEqual([{ destroy: true }]);
  });

  it("creates the identity and its credentials, referencing the new identity by address", async () => {
    const hcl = await parseHcl("main.tf", tf);
    const uais = hcl.resource.azurerm_user_assigned_identity as Record<string, Record<string, unknown>[]>;
    const [newName, newBlock] = Object.entries(uais).find(([n]) => !n.startsWith("remove_"))!;
    expect(newBlock[0]).toMatchObject({ name: "id-new", resource_group_name: "rg-app", location: "westeurope" });
    const fics = Object.entries(hcl.resource.azurerm_federated_identity_credential as Record<string, Record<string, unknown>[]>);
    const created = fics.filter(([n]) => !n.startsWith("remove_")).map(([, b]) => b[0]!);
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({
      name: "aks-prod-app-api",
      resource_group_name: "rg-app",
      parent_id: `\${azurerm_user_assigned_identity.${newName}.id}`,
      issuer: ISSUER,
      subject: "system:serviceaccount:app:api",
      audience: ["api://AzureADTokenExchange"],
    });
    const removedFic = fics.find(([n]) => n.startsWith("remove_"))![1][0]!;
    expect(removedFic).toMatchObject({ parent_id: OLD_ID, subject: "system:serviceaccount:app:api" });
  });

  it("pins azurerm and sets the subscription of the resources it creates", async () => {
    const hcl = await parseHcl("main.tf", tf);
    expect(hcl.terraform[0].required_providers[0].azurerm.source).toBe("hashicorp/azurerm");
    const providers = hcl.provider.azurerm as { subscription_id: string; alias?: string }[];
    expect(providers[0]!.subscription_id).toBe(SUB);
    expect(providers.every((p, i) => i === 0 || p.alias)).toBe(true);
  });

  it("leaves Kubernetes and az steps as commented commands", () => {
    expect(tf).not.toMatch(/^resource "kubernetes_manifest"/m);
    expect(tf).toMatch(/^#\s+kubectl --context aks-prod delete azureidentitybinding\.aadpodidentity\.k8s\.io -n app api-binding/m);
    expect(tf).toMatch(/^#\s+az aks update --resource-group rg-aks --name aks-prod/m);
  });

  it("is deterministic", () => {
    expect(renderPlan(EVERY_KIND, "terraform", context())).toBe(tf);
  });

  it("reads the location from the resource group when neither the step nor the scan knows it", async () => {
    const plan: FixPlan = { id: "x", summary: "x", steps: [{ kind: "create-managed-identity", resourceGroupId: `/subscriptions/${SUB2}/resourceGroups/rg-other`, name: "id-x" }] };
    const hcl = await parseHcl("main.tf", renderPlan(plan, "terraform", emptyRenderContext()));
    const [dataName] = Object.keys(hcl.data.azurerm_resource_group);
    expect((Object.values(hcl.resource.azurerm_user_assigned_identity as Record<string, { location: string }[]>)[0]!)[0]!.location).toBe(`\${data.azurerm_resource_group.${dataName}.location}`);
  });
});

describe("Bicep", () => {
  const bicep = renderPlan(EVERY_KIND, "bicep", context());
  const files = bicep.split(/^\/\/ ===== file \d+\/\d+: /m).slice(1);

  it("writes one file per deployment target with the matching targetScope", () => {
    expect(files).toHaveLength(3);
    const targets = files.map((f) => /^targetScope = '(\w+)'$/m.exec(f)?.[1]);
    expect(targets).toEqual(["resourceGroup", "resourceGroup", "resourceGroup"]);
    expect(files.map((f) => /^\/\/ Deploy: (.*)$/m.exec(f)![1])).toEqual([
      expect.stringContaining(`az deployment group create --subscription ${SUB} --resource-group rg-acr`),
      expect.stringContaining(`az deployment group create --subscription ${SUB2} --resource-group rg-net`),
      expect.stringContaining(`az deployment group create --subscription ${SUB} --resource-group rg-app`),
    ]);
  });

  it("scopes resource-level role assignments through existing references, named by guid(scope, principal, role)", () => {
    const acrFile = files[0]!;
    const existing = /^resource (\w+) 'Microsoft\.ContainerRegistry\/registries@[\d-]+' existing = \{\n  name: 'contoso'\n\}/m.exec(acrFile);
    expect(existing).not.toBeNull();
    const sym = existing![1]!;
    expect(acrFile).toMatch(new RegExp(`resource \\w+ 'Microsoft\\.Authorization/roleAssignments@2022-04-01' = \\{\\n  name: guid\\(${sym}\\.id, '${PRINCIPAL}', '${ACR_PULL}'\\)\\n  scope: ${sym}\\n`));
    expect(acrFile).toContain(`roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${ACR_PULL}')`);
    expect(acrFile).toContain("principalType: 'ServicePrincipal'");
    // A child resource is named parent/child.
    expect(files[1]).toMatch(/'Microsoft\.Network\/virtualNetworks\/subnets@[\d-]+' existing = \{\n  name: 'vnet-aks\/snet-aks'\n\}/);
  });

  it("assigns at the resource group itself without a scope property", () => {
    const app = files[2]!;
    const block = /resource \w+ 'Microsoft\.Authorization\/roleAssignments@2022-04-01' = \{[\s\S]*?\n\}/.exec(app)![0];
    expect(block).toContain(`name: guid(resourceGroup().id, '${PRINCIPAL}', '${ACR_PULL}')`);
    expect(block).not.toMatch(/\n  scope:/);
  });

  it("creates the identity and chains its federated credentials", () => {
    const app = files[2]!;
    const identity = /^resource (\w+) 'Microsoft\.ManagedIdentity\/userAssignedIdentities@2023-01-31' = \{\n  name: 'id-new'\n  location: 'westeurope'\n\}/m.exec(app);
    expect(identity).not.toBeNull();
    const fics = [...app.matchAll(/resource (\w+) 'Microsoft\.ManagedIdentity\/userAssignedIdentities\/federatedIdentityCredentials@2023-01-31' = \{([\s\S]*?)\n\}/g)];
    expect(fics).toHaveLength(2);
    expect(fics[0]![2]).toContain(`parent: ${identity![1]}`);
    expect(fics[0]![2]).toContain(`issuer: '${ISSUER}'`);
    expect(fics[0]![2]).toContain("subject: 'system:serviceaccount:app:api'");
    expect(fics[0]![2]).not.toContain("dependsOn");
    expect(fics[1]![2]).toMatch(new RegExp(`dependsOn: \\[\\n    ${fics[0]![1]}\\n  \\]`));
  });

  it("lists deletions with the az commands, since Bicep cannot delete", () => {
    const tail = bicep.slice(bicep.indexOf("// ===== Not expressible in Bicep"));
    expect(tail).toContain(`//   az role assignment delete \\\n//     --ids ${OLD_RA}`);
    expect(tail).toContain(`--ids ${OLD_ID}`);
    expect(tail).toContain("az identity federated-credential delete");
    expect(bicep.slice(0, bicep.indexOf("// ===== Not expressible"))).not.toMatch(/^[^/\n].*delete/m);
  });

  it("deploys subscription-scope grants at subscription scope with a location", () => {
    const plan: FixPlan = {
      id: "s",
      summary: "s",
      steps: [{ kind: "create-role-assignment", principalId: PRINCIPAL, principalType: "ServicePrincipal", roleDefinitionId: ACR_PULL, roleName: "AcrPull", scope: `/subscriptions/${SUB}` }],
    };
    const out = renderPlan(plan, "bicep", context());
    expect(out).toMatch(/^targetScope = 'subscription'$/m);
    expect(out).toContain(`name: guid(subscription().id, '${PRINCIPAL}', '${ACR_PULL}')`);
    expect(out).toContain(`az deployment sub create --subscription ${SUB} --location westeurope`);
  });
});

describe("Kubernetes YAML", () => {
  const text = renderPlan(EVERY_KIND, "yaml", context());

  it("is one document per applied object, with the server-side apply bodies", () => {
    const docs = parseAllDocuments(text);
    expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    const objects = docs.map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string; annotations?: Record<string, string> }; spec?: { template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string } } } });
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["ServiceAccount app/api", "Deployment app/api"]);
    expect(objects[0]!.metadata.annotations).toEqual({ "azure.workload.identity/client-id": "c916ef96-cb7c-58a7-8309-f2f3fcef13a5" });
    expect(objects[1]!.spec!.template.metadata.labels).toEqual({ "azure.workload.identity/use": "true" });
    expect(objects[1]!.spec!.template.spec.serviceAccountName).toBe("api");
  });

  it("names the cluster and lists deletions as kubectl comments", () => {
    expect(text).toContain("# cluster: aks-prod");
    expect(text).toContain("# kubectl --context aks-prod delete azureidentitybinding.aadpodidentity.k8s.io -n app api-binding");
    expect(text).toContain("kubectl --context aks-prod apply --server-side --field-manager=scopewise");
  });
});

describe("federated credentials on app registrations (Microsoft Graph)", () => {
  const APP_ID = "0b05bf54-fbdc-5aba-b53d-078c5e3c96bd";
  const plan: FixPlan = {
    id: "migrate-app-registrations",
    summary: "Federate the app registration",
    steps: [
      { kind: "create-app-federated-credential", appId: APP_ID, applicationName: "sp-fx-rates", name: "aks-prod-payments-fx", issuer: ISSUER, subject: "system:serviceaccount:payments:fx", audiences: ["api://AzureADTokenExchange"] },
      { kind: "kubernetes-delete", clusterId: CLUSTER, apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "payments", name: "fx-binding" },
      { kind: "delete-app-federated-credential", appId: APP_ID, name: "old-credential" },
    ],
  };

  it("is offered as az, Terraform, Bicep (as a comment) and YAML", () => {
    expect(applicableFormats(plan)).toEqual(["az", "terraform", "yaml"]);
    expect(applicableFormats({ ...plan, steps: [plan.steps[0]!] })).toEqual(["az", "terraform"]);
  });

  it("az: creates with --id <appId> and the Graph body as --parameters JSON, deletes by name, valid bash", () => {
    const script = renderPlan(plan, "az", context());
    bashSyntaxCheck(script);
    expect(commandLines(script, "az ad app federated-credential create")).toEqual([
      `az ad app federated-credential create --id ${APP_ID} --parameters '{"name":"aks-prod-payments-fx","issuer":"${ISSUER}","subject":"system:serviceaccount:payments:fx","audiences":["api://AzureADTokenExchange"]}'`,
    ]);
    expect(commandLines(script, "az ad app federated-credential delete")).toEqual([`az ad app federated-credential delete --id ${APP_ID} --federated-credential-id old-credential`]);
    expect(script.indexOf("federated-credential create")).toBeLessThan(script.indexOf("federated-credential delete"));
  });

  it("Terraform: azuread_application_federated_identity_credential on a data-source lookup of the appId", async () => {
    const tf = renderPlan(plan, "terraform", context());
    const hcl = await parseHcl("main.tf", tf);
    const data = hcl.data.azuread_application as Record<string, Record<string, unknown>[]>;
    const lookups = Object.entries(data);
    expect(lookups).toHaveLength(1);
    const [dataName, [lookup]] = lookups[0]!;
    expect(lookup).toEqual({ client_id: APP_ID });
    const fics = hcl.resource.azuread_application_federated_identity_credential as Record<string, Record<string, unknown>[]>;
    expect(Object.values(fics).map((b) => b[0])).toEqual([
      {
        application_id: `\${data.azuread_application.${dataName}.id}`,
        display_name: "aks-prod-payments-fx",
        issuer: ISSUER,
        subject: "system:serviceaccount:payments:fx",
        audiences: ["api://AzureADTokenExchange"],
      },
    ]);
    expect(JSON.stringify(hcl.terraform)).toContain("hashicorp/azuread");
    // Only Graph content: no azurerm provider to configure.
    expect(JSON.stringify(hcl.terraform)).not.toContain("hashicorp/azurerm");
    expect(hcl.provider).toEqual({ azuread: [{}] });
    // The delete is left to az: adopting it would need its issuer and subject, which the plan does not carry.
    expect(tf.replace(/ \\\n#\s+/g, " ")).toContain(`#   az ad app federated-credential delete --id ${APP_ID} --federated-credential-id old-credential`);
  });

  it("Bicep: only the az command as a comment, since Bicep cannot write Graph without its extension", () => {
    const identity: FixPlan["steps"][number] = { kind: "create-managed-identity", resourceGroupId: RG, name: "id-new", location: "westeurope" };
    const bicep = renderPlan({ ...plan, steps: [identity, plan.steps[0]!] }, "bicep", context());
    expect(bicep.match(/^resource /gm)).toHaveLength(1);
    expect(bicep.replace(/\n\/\/ /g, " ")).toContain("a Microsoft Graph write on an app registration, which Bicep cannot make without the Graph extension");
    expect(renderPlan({ ...plan, steps: [plan.steps[0]!] }, "bicep", context())).toMatch(/^\/\/ Nothing to render as Bicep/);
    expect(bicep).toContain("//   az ad app federated-credential create \\\n//     --id " + APP_ID);
  });
});
