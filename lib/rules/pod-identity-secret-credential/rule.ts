import type { Evidence, FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { LinkMechanism, type AzureIdentity, type Cluster, type Identity } from "@/lib/model/types";
import { workloadIdentityAvailable } from "@/lib/inventory/workload-identity";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
import type { RuleContext } from "@/lib/rules/rule-context";
import { appRegistrationCredentialStep, azureName, clusterResourceGroupId, enableWorkloadIdentityStep, federatedCredentialSteps, identityByRef, podTemplateStep, serviceAccountApply, userAssignedIdentityId, workloadOf } from "@/lib/rules/shared/cluster-plans";
import { kubeObjectId, POD_IDENTITY_API_VERSION } from "@/lib/model/kubernetes";

/** AzureIdentity spec.type: 1 = service principal with a client secret, 2 = service principal with a certificate. */
const SECRET_TYPES: Record<number, string> = { 1: "a service principal client secret", 2: "a service principal certificate" };

export const rule = defineRule(
  {
    id: "pod-identity-secret-credential",
    title: "aad-pod-identity AzureIdentity holds a service principal secret",
    severity: "high",
    description: "Flags AzureIdentity objects of type 1 (service principal + client secret) or type 2 (service principal + certificate).",
    rationale:
      "The secret or certificate is stored in a Kubernetes Secret: long-lived, readable by anyone who can read Secrets in that namespace, and usable from anywhere until someone rotates it. A managed identity, or workload identity federation, has no secret to steal and rotates itself.",
    remediation:
      "Federate the app registration with the cluster's OIDC issuer (Azure Workload Identity) and delete its secret, or move the workload to a user-assigned managed identity (AzureIdentity type 0 or workload identity).",
    benchmarks: [Control.mcsbIM3, Control.mcsbIM8, Control.cisAks521],
    references: [
      { title: "aad-pod-identity: AzureIdentity types", url: "https://azure.github.io/aad-pod-identity/docs/concepts/azureidentity/" },
      { title: "aad-pod-identity: service principal (type 1) setup", url: "https://azure.github.io/aad-pod-identity/docs/configure/pod_identity_with_service_principal/" },
      { title: "Azure Workload Identity: federated identity credential on an app registration", url: "https://azure.github.io/azure-workload-identity/docs/topics/federated-identity-credential.html" },
    ],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const ai of ctx.inventory.kubernetes.azureIdentities) {
      if (!(ai.type in SECRET_TYPES)) continue;
      out.push(draftFor(ctx, ai));
    }
    return out;
  },
);

function draftFor(ctx: RuleContext, ai: AzureIdentity): FindingDraft {
  const cluster = ctx.cluster(ai.clusterId);
  const clusterLabel = cluster?.name ?? ai.clusterId;
  const objectId = kubeObjectId(ai.clusterId, ai.namespace, "azureidentities", ai.name);
  const identity = identityByRef(ctx, { clientId: ai.clientId });
  const spName = identity?.displayName ?? ai.clientId ?? "an unknown service principal";
  const kind = SECRET_TYPES[ai.type]!;
  const bindings = ctx.inventory.kubernetes.azureIdentityBindings.filter(
    (b) => normalizeId(b.clusterId) === normalizeId(ai.clusterId) && b.namespace === ai.namespace && b.azureIdentity === ai.name,
  );
  const evidence: Evidence[] = [
    { source: objectId, fact: `AzureIdentity ${ai.namespace}/${ai.name} on ${clusterLabel} has type ${ai.type} (${kind}) for client id ${ai.clientId ?? "(none)"}` },
    ...bindings.map((b) => ({ source: kubeObjectId(b.clusterId, b.namespace, "azureidentitybindings", b.name), fact: `AzureIdentityBinding ${b.namespace}/${b.name} binds it to pods labelled aadpodidbinding=${b.selector}` })),
  ];
  if (identity?.principalId) evidence.push({ source: identity.principalId, fact: `${spName} is service principal ${identity.principalId} in the directory` });
  return {
    key: [ai.clusterId, ai.namespace, ai.name],
    message: `AzureIdentity ${ai.namespace}/${ai.name} on cluster ${clusterLabel} authenticates as ${spName} with ${kind} stored in the cluster.`,
    identity,
    clusterId: ai.clusterId,
    scope: cluster?.id,
    targetIds: [objectId, ...bindings.map((b) => kubeObjectId(b.clusterId, b.namespace, "azureidentitybindings", b.name))],
    evidence,
    fixes: cluster ? [federatePlan(ctx, cluster, ai, identity), managedIdentityPlan(ctx, cluster, ai, identity)] : [manualPlan(ai)],
  };
}

function workloadsOf(ctx: RuleContext, ai: AzureIdentity) {
  return ctx.inventory.links
    .filter((l) => l.mechanism === LinkMechanism.PodIdentity && normalizeId(l.clusterId) === normalizeId(ai.clusterId) && l.azureIdentity?.namespace === ai.namespace && l.azureIdentity.name === ai.name)
    .map((l) => ({ link: l, workload: workloadOf(ctx, l.workloadId) }))
    .filter((x) => x.workload !== undefined);
}

function cleanupSteps(ai: AzureIdentity, ctx: RuleContext): FixStep[] {
  const bindings = ctx.inventory.kubernetes.azureIdentityBindings.filter(
    (b) => normalizeId(b.clusterId) === normalizeId(ai.clusterId) && b.namespace === ai.namespace && b.azureIdentity === ai.name,
  );
  return [
    ...bindings.map((b): FixStep => ({ kind: "kubernetes-delete", clusterId: ai.clusterId, apiVersion: POD_IDENTITY_API_VERSION, objectKind: "AzureIdentityBinding", namespace: b.namespace, name: b.name })),
    { kind: "kubernetes-delete", clusterId: ai.clusterId, apiVersion: POD_IDENTITY_API_VERSION, objectKind: "AzureIdentity", namespace: ai.namespace, name: ai.name },
    {
      kind: "manual",
      description: `Delete the Kubernetes Secret AzureIdentity ${ai.namespace}/${ai.name} referenced (spec.clientPassword) and remove that ${ai.type === 1 ? "client secret" : "certificate"} from app registration ${ai.clientId ?? ""} so it can no longer be used anywhere.`,
    },
  ];
}

/** Keeps the same app registration (and its roles), swapping the secret for a federated credential. */
function federatePlan(ctx: RuleContext, cluster: Cluster, ai: AzureIdentity, identity: Identity | undefined): FixPlan {
  const steps: FixStep[] = [];
  if (!cluster.oidcIssuerEnabled || !workloadIdentityAvailable(cluster, ctx.inventory.kubernetes.controllers)) steps.push(enableWorkloadIdentityStep(cluster));
  const clientId = identity?.clientId ?? ai.clientId;
  for (const { workload } of workloadsOf(ctx, ai)) {
    const w = workload!;
    const sa = w.serviceAccountName && w.serviceAccountName !== "default" ? w.serviceAccountName : w.name;
    if (clientId) {
      steps.push(appRegistrationCredentialStep(cluster, clientId, w.namespace, sa, identity?.displayName ?? ai.name));
      steps.push(serviceAccountApply(cluster.id, w.namespace, sa, clientId, `ServiceAccount ${w.namespace}/${sa} annotated with the app registration's client id ${clientId}.`));
    }
    steps.push(podTemplateStep(w, sa));
  }
  steps.push(...cleanupSteps(ai, ctx));
  return {
    id: "federate-app-registration",
    summary: `Federate ${identity?.displayName ?? ai.clientId} with ${cluster.name}'s OIDC issuer and delete its secret; the service principal keeps its roles`,
    steps,
  };
}

/** Moves the workload to a new user-assigned identity; the roles it needs are re-granted by hand. */
function managedIdentityPlan(ctx: RuleContext, cluster: Cluster, ai: AzureIdentity, identity: Identity | undefined): FixPlan {
  const rg = clusterResourceGroupId(cluster);
  const name = azureName(["id", cluster.name, ai.namespace, ai.name], 128);
  const newId = userAssignedIdentityId(rg, name);
  const steps: FixStep[] = [{ kind: "create-managed-identity", resourceGroupId: rg, name, location: cluster.location }];
  const assignments = identity ? ctx.assignmentsOf(identity) : [];
  steps.push({
    kind: "manual",
    description:
      `Grant ${name} the roles the workload needs` +
      (assignments.length ? `, in place of those ${identity!.displayName} holds: ${assignments.map((a) => `${ctx.roleOf(a)?.roleName ?? a.roleName ?? a.roleDefinitionName} on ${a.scope} (${a.id})`).join("; ")}` : "") +
      ".",
  });
  if (!cluster.oidcIssuerEnabled || !workloadIdentityAvailable(cluster, ctx.inventory.kubernetes.controllers)) steps.push(enableWorkloadIdentityStep(cluster));
  for (const { workload } of workloadsOf(ctx, ai)) {
    const w = workload!;
    const sa = w.serviceAccountName && w.serviceAccountName !== "default" ? w.serviceAccountName : w.name;
    steps.push(...federatedCredentialSteps(cluster, newId, w.namespace, sa));
    steps.push({ kind: "manual", description: `Annotate ServiceAccount ${w.namespace}/${sa} with azure.workload.identity/client-id set to the client id of ${newId}.` });
    steps.push(podTemplateStep(w, sa));
  }
  steps.push(...cleanupSteps(ai, ctx));
  for (const a of assignments) {
    steps.push({ kind: "delete-role-assignment", roleAssignmentId: a.id, principalId: a.principalId, roleName: ctx.roleOf(a)?.roleName ?? a.roleName ?? a.roleDefinitionName, scope: a.scope });
  }
  return { id: "move-to-managed-identity", summary: `Replace ${identity?.displayName ?? ai.clientId} with a new managed identity ${name} bound by workload identity`, steps };
}

function manualPlan(ai: AzureIdentity): FixPlan {
  return {
    id: "federate-app-registration",
    summary: `Replace the secret of AzureIdentity ${ai.namespace}/${ai.name}`,
    steps: [{ kind: "manual", description: `Move the pods bound to AzureIdentity ${ai.namespace}/${ai.name} to a managed identity or a federated app registration, then delete the AzureIdentity and its Secret.` }],
  };
}
