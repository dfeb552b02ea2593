import { describe, expect, it } from "vitest";
import { AKS_PROD, buildTestInventory, RG_PROD, SUB_PROD, SUBNET, VAULT } from "@/components/inventory/inventory.testing";
import type { FixPlan, FixStep } from "@/lib/model/findings";
import { buildNameLookups } from "@/lib/inventory/names";
import { scopeLabel } from "@/lib/model/names";
import { resolvePlan } from "./apply/resolve";
import { describePlans, describeStep } from "./describe";
import { renderContextFor, renderPlan } from "./render";

const REGISTRY = `${RG_PROD}/providers/Microsoft.ContainerRegistry/registries/crcontosohub`;
const ID_API = `${RG_PROD}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`;
const inv = buildTestInventory();
inv.resources.push({ id: REGISTRY, name: "crcontosohub", type: "Microsoft.ContainerRegistry/registries", subscriptionId: SUB_PROD, resourceGroup: "rg-prod", properties: {} });
inv.roleDefinitions.push({
  id: "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
  name: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  roleName: "AcrPull",
  roleType: "BuiltInRole",
  description: "",
  assignableScopes: ["/"],
  permissions: [],
});
const names = buildNameLookups(inv);

/** One step of every FixStep kind; the `satisfies` keeps this list complete when the union grows. */
const steps = {
  "create-role-assignment": {
    kind: "create-role-assignment",
    principalId: "kubelet-1",
    principalType: "ServicePrincipal",
    roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
    roleName: "AcrPull",
    scope: REGISTRY,
    alternatives: { roleDefinitionIds: ["/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D"], scopes: [RG_PROD] },
  },
  "delete-role-assignment": {
    kind: "delete-role-assignment",
    roleAssignmentId: `/subscriptions/${SUB_PROD}/providers/Microsoft.Authorization/roleAssignments/a1`,
    principalId: "cp-1",
    roleName: "Contributor",
    scope: `/subscriptions/${SUB_PROD}`,
  },
  "create-federated-credential": {
    kind: "create-federated-credential",
    identityId: ID_API,
    name: "aks-prod-payments-api",
    issuer: "https://oidc.example/issuer/",
    subject: "system:serviceaccount:payments:api",
    audiences: ["api://AzureADTokenExchange"],
  },
  "delete-federated-credential": { kind: "delete-federated-credential", federatedCredentialId: `${ID_API}/federatedIdentityCredentials/fic-old` },
  "create-app-federated-credential": {
    kind: "create-app-federated-credential",
    appId: "0b05bf54-fbdc-5aba-b53d-078c5e3c96bd",
    applicationName: "sp-fx-rates",
    name: "aks-prod-payments-fx",
    issuer: "https://oidc.example/issuer/",
    subject: "system:serviceaccount:payments:fx",
    audiences: ["api://AzureADTokenExchange"],
  },
  "delete-app-federated-credential": { kind: "delete-app-federated-credential", appId: "0b05bf54-fbdc-5aba-b53d-078c5e3c96bd", name: "aks-prod-payments-fx" },
  "kubernetes-apply": {
    kind: "kubernetes-apply",
    clusterId: AKS_PROD,
    manifest: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "payments", annotations: { "azure.workload.identity/client-id": "client-app-1" } } },
    description: "Annotates the ServiceAccount with the identity's client id.",
  },
  "kubernetes-delete": { kind: "kubernetes-delete", clusterId: AKS_PROD, apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "payments", name: "api-binding" },
  "create-managed-identity": { kind: "create-managed-identity", resourceGroupId: RG_PROD, name: "id-payments-api", location: "westeurope" },
  "delete-managed-identity": { kind: "delete-managed-identity", identityId: ID_API },
  "az-command": { kind: "az-command", args: ["aks", "update", "--resource-group", "rg-prod", "--name", "aks-prod", "--enable-managed-identity"], description: "Moves aks-prod to a managed identity." },
  manual: { kind: "manual", description: "Remove the client secret from the app registration." },
} satisfies { [K in FixStep["kind"]]: Extract<FixStep, { kind: K }> };

describe("describeStep", () => {
  it("creates a role assignment with the principal's and the scope's real names, and the id", () => {
    const view = describeStep(steps["create-role-assignment"], names);
    expect(view.text).toBe(`Create role assignment: AcrPull for aks-prod-agentpool on registry crcontosohub (${REGISTRY})`);
    expect(view.alternatives).toEqual(["role AcrPull", `resource group rg-prod (${RG_PROD})`]);
  });

  it("says names only in the plain sentence, and keeps every id it left out on demand", () => {
    const create = describeStep(steps["create-role-assignment"], names);
    expect(create.plain).toBe("Create role assignment: AcrPull for aks-prod-agentpool on registry crcontosohub");
    expect(create.ids).toContainEqual({ what: "scope registry crcontosohub", id: REGISTRY });
    const remove = describeStep(steps["delete-role-assignment"], names);
    expect(remove.plain).toBe("Delete role assignment: Contributor for aks-prod-cp on subscription prod");
    expect(remove.ids).toEqual([{ what: "role assignment Contributor on subscription prod", id: `/subscriptions/${SUB_PROD}/providers/Microsoft.Authorization/roleAssignments/a1` }]);
    for (const step of Object.values(steps)) {
      const d = describeStep(step, names);
      expect(d.plain, step.kind).not.toMatch(/\(\/subscriptions\//);
      for (const { id } of d.ids) expect(d.text, step.kind).toContain(id);
    }
  });

  it("deletes a role assignment, naming role, principal, scope and assignment id", () => {
    expect(describeStep(steps["delete-role-assignment"], names).text).toBe(
      `Delete role assignment: Contributor for aks-prod-cp on subscription prod (/subscriptions/${SUB_PROD}/providers/Microsoft.Authorization/roleAssignments/a1)`,
    );
  });

  it("falls back to the principal id when the scan does not know the principal", () => {
    expect(describeStep({ ...steps["delete-role-assignment"], principalId: "deadbeef" }, names).text).toContain("for principal deadbeef on");
  });

  it("creates a federated credential with issuer, subject and audience", () => {
    expect(describeStep(steps["create-federated-credential"], names).text).toBe(
      "Create federated credential aks-prod-payments-api on managed identity id-api trusting issuer https://oidc.example/issuer/ and subject system:serviceaccount:payments:api (audience api://AzureADTokenExchange)",
    );
  });

  it("names the app registration and its appId for a federated credential on an app registration", () => {
    expect(describeStep(steps["create-app-federated-credential"], names)).toEqual({
      kind: "create-app-federated-credential",
      action: "Create federated credential",
      text: "Create federated credential aks-prod-payments-fx on app registration sp-fx-rates (appId 0b05bf54-fbdc-5aba-b53d-078c5e3c96bd) trusting issuer https://oidc.example/issuer/ and subject system:serviceaccount:payments:fx (audience api://AzureADTokenExchange)",
      plain: "Create federated credential aks-prod-payments-fx on app registration sp-fx-rates trusting issuer https://oidc.example/issuer/ and subject system:serviceaccount:payments:fx (audience api://AzureADTokenExchange)",
      ids: [{ what: "app registration sp-fx-rates", id: "0b05bf54-fbdc-5aba-b53d-078c5e3c96bd" }],
    });
    expect(describeStep(steps["delete-app-federated-credential"], names).text).toBe("Delete federated credential aks-prod-payments-fx of app registration 0b05bf54-fbdc-5aba-b53d-078c5e3c96bd");
  });

  it("deletes a federated credential by name, with its identity and id", () => {
    expect(describeStep(steps["delete-federated-credential"], names).text).toBe(`Delete federated credential fic-old of managed identity id-api (${ID_API}/federatedIdentityCredentials/fic-old)`);
  });

  it("applies a Kubernetes object, naming cluster, object and the annotation it sets, with the manifest as YAML", () => {
    const view = describeStep(steps["kubernetes-apply"], names);
    expect(view.text).toBe(
      'Apply to cluster aks-prod: ServiceAccount payments/api with annotation azure.workload.identity/client-id: "client-app-1". Annotates the ServiceAccount with the identity\'s client id.',
    );
    expect(view.manifest).toContain("kind: ServiceAccount");
    expect(view.manifest).toContain("azure.workload.identity/client-id: client-app-1");
  });

  it("names pod-template labels of a workload it patches", () => {
    const step: FixStep = {
      kind: "kubernetes-apply",
      clusterId: AKS_PROD,
      manifest: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "payments" }, spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } } } } },
      description: "Pods restart.",
    };
    expect(describeStep(step, names).text).toBe('Apply to cluster aks-prod: Deployment payments/api with pod label azure.workload.identity/use: "true". Pods restart.');
  });

  it("deletes a Kubernetes object by kind, namespace and name on a named cluster", () => {
    expect(describeStep(steps["kubernetes-delete"], names).text).toBe("Delete AzureIdentityBinding payments/api-binding (aadpodidentity.k8s.io/v1) from cluster aks-prod");
  });

  it("creates and deletes managed identities by name", () => {
    expect(describeStep(steps["create-managed-identity"], names).text).toBe("Create user-assigned managed identity id-payments-api in resource group rg-prod (westeurope)");
    expect(describeStep(steps["delete-managed-identity"], names).text).toBe(`Delete managed identity id-api (${ID_API})`);
  });

  it("shows an az command verbatim beside its description, and marks manual steps", () => {
    expect(describeStep(steps["az-command"], names)).toEqual({
      kind: "az-command",
      action: "Run",
      text: "Moves aks-prod to a managed identity.",
      plain: "Moves aks-prod to a managed identity.",
      ids: [],
      command: "az aks update --resource-group rg-prod --name aks-prod --enable-managed-identity",
    });
    expect(describeStep(steps.manual, names)).toMatchObject({ manual: true, text: "Remove the client secret from the app registration." });
  });

  it("describes every kind with a sentence that never contains a placeholder", () => {
    const plans = describePlans([{ id: "p", summary: "all", steps: Object.values(steps) }], names);
    for (const step of plans[0]!.steps) {
      expect(step.text.length).toBeGreaterThan(10);
      expect(step.text).not.toMatch(/undefined|<[a-z_]+>|\[object/);
    }
  });
});

describe("scopeLabel", () => {
  it("names each level and resource type in words", () => {
    expect(scopeLabel("/", names)).toBe("the tenant root");
    expect(scopeLabel("/providers/Microsoft.Management/managementGroups/corp", names)).toBe("management group Corp");
    expect(scopeLabel(VAULT, names)).toBe("key vault kv-payments");
    expect(scopeLabel(SUBNET, names)).toBe("subnet vnet-prod/nodes");
    expect(scopeLabel(`${RG_PROD}/providers/Microsoft.Web/sites/app1`, names)).toBe("sites app1");
  });
});

describe("one sentence for a step everywhere", () => {
  const plan: FixPlan = {
    id: "rescope",
    summary: "narrow",
    steps: [steps["create-role-assignment"], steps["kubernetes-apply"], steps["create-managed-identity"], steps["delete-role-assignment"]],
  };
  const sentences = plan.steps.map((s) => describeStep(s, names).text);
  /** Comment text of a rendering, wrapped lines joined. */
  const comments = (text: string, prefix: string) => text.split("\n").filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length)).join(" ");

  it("the renderers' comments carry the finding page's sentence, names included", () => {
    const ctx = renderContextFor(inv, plan);
    const az = comments(renderPlan(plan, "az", ctx), "# ");
    const tf = comments(renderPlan(plan, "terraform", ctx), "# ");
    for (const s of sentences) {
      expect(az).toContain(s);
      expect(tf).toContain(s);
    }
    expect(comments(renderPlan(plan, "bicep", ctx), "// ")).toContain(sentences[0]!);
    expect(renderPlan(plan, "yaml", ctx).replace(/\n# /g, " ")).toContain(sentences[1]!);
  });

  it("the apply engine records the same sentence as each operation's description, with names only", () => {
    const resolved = resolvePlan(plan, inv, { names });
    expect(resolved.operations.map((o) => o.description).sort()).toEqual(plan.steps.map((s) => describeStep(s, names).plain).sort());
  });

  it("names a chosen role by its own name, not the plan's", () => {
    const choice = { roleDefinitionId: steps["create-role-assignment"].alternatives.roleDefinitionIds[0]! };
    const swapped: FixPlan = { ...plan, steps: [{ ...steps["create-role-assignment"], roleName: "AcrPush", roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/8311e382-0749-4cb8-b61a-304f252e45ec" }] };
    const [op] = resolvePlan(swapped, inv, { names, choices: choice }).operations;
    expect(op!.description).toMatch(/^Create role assignment: AcrPull for aks-prod-agentpool on registry crcontosohub/);
  });
});

describe("names from Azure in comments", () => {
  it("a line break in a display name starts a new comment line: it never ends the comment", () => {
    const hostile = buildTestInventory();
    hostile.identities.find((i) => i.principalId === "kubelet-1")!.displayName = "evil\rrm -rf ~\u2028curl x\u0085echo pwned\nid";
    const plan: FixPlan = { id: "p", summary: "s", steps: [steps["create-role-assignment"]] };
    const script = renderPlan(plan, "az", renderContextFor(hostile, plan));
    for (const line of script.split(/\r\n|[\r\n\u0085\u2028\u2029]/)) {
      if (/rm -rf|curl x|echo pwned|^id\b/.test(line)) expect(line.startsWith("# ")).toBe(true);
    }
    expect(script).not.toMatch(/[\r\u0085\u2028]/);
  });
});
