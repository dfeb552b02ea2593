import type { Evidence, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Controller, Pod, ServiceAccount, Workload } from "@/lib/model/types";
import { issuerDiffersBySlash, sameIssuer, serviceAccountSubject } from "@/lib/inventory/bindings";
import { WORKLOAD_IDENTITY_USE_LABEL, kubeObjectId } from "@/lib/model/kubernetes";
import { serviceAccountKey } from "@/lib/inventory/indexes";
import { workloadIdentityAvailable } from "@/lib/inventory/workload-identity";
import { defineRule, plansOf, type FindingDraft } from "../define";
import type { RuleContext } from "@/lib/rules/rule-context";
import { enableWorkloadIdentityStep, federatedCredentialSteps, podTemplateStep } from "@/lib/rules/shared/cluster-plans";

export const rule = defineRule(
  {
    id: "workload-identity-misconfigured",
    title: "Workload identity configured but cannot work",
    severity: "low",
    description:
      "Flags a ServiceAccount annotated with azure.workload.identity/client-id when no federated credential on that identity matches the cluster issuer and the ServiceAccount, when the cluster has the OIDC issuer or workload identity disabled, or when pods using it lack the azure.workload.identity/use: \"true\" label.",
    rationale:
      "The app cannot get a token: it is broken, or it silently falls back to another credential (the kubelet identity through IMDS, a secret in env) that nobody reviewed.",
    remediation: "Create the missing federated credential or pod label, or enable the OIDC issuer and workload identity on the cluster.",
    references: [
      { title: "Deploy and configure workload identity on an AKS cluster", url: "https://learn.microsoft.com/en-us/azure/aks/workload-identity-deploy-cluster" },
      { title: "Azure Workload Identity: service account labels and annotations", url: "https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html" },
      { title: "Azure Workload Identity: troubleshooting", url: "https://azure.github.io/azure-workload-identity/docs/troubleshooting.html" },
    ],
  },
  (ctx) => {
    // Pods and pod-less controllers grouped by the ServiceAccount they run as.
    const bySa = new Map<string, { pods: Pod[]; workloads: Workload[] }>();
    const entry = (k: string) => {
      let e = bySa.get(k);
      if (!e) bySa.set(k, (e = { pods: [], workloads: [] }));
      return e;
    };
    for (const p of ctx.inventory.kubernetes.pods) entry(serviceAccountKey(p.clusterId, p.namespace, p.serviceAccountName)).pods.push(p);
    for (const w of ctx.inventory.workloads) entry(serviceAccountKey(w.clusterId, w.namespace, w.serviceAccountName)).workloads.push(w);
    const controllers = new Map<string, Controller>();
    for (const c of ctx.inventory.kubernetes.controllers) controllers.set(`${normalizeId(c.clusterId)}|${c.namespace}|${c.kind}|${c.name}`, c);
    const out: FindingDraft[] = [];
    // A feature off on the cluster is one problem, however many ServiceAccounts it breaks: one finding per cluster.
    const featureOff = new Map<string, FindingDraft[]>();
    for (const sa of ctx.inventory.kubernetes.serviceAccounts) {
      if (!sa.workloadIdentityClientId) continue;
      const d = evaluateServiceAccount(ctx, sa, bySa.get(serviceAccountKey(sa.clusterId, sa.namespace, sa.name)) ?? { pods: [], workloads: [] }, controllers);
      if (!d) continue;
      if (d.featureOff) featureOff.set(normalizeId(sa.clusterId), [...(featureOff.get(normalizeId(sa.clusterId)) ?? []), d.draft]);
      else out.push(d.draft);
    }
    for (const drafts of featureOff.values()) out.push(clusterDraft(ctx, drafts));
    return out;
  },
);

/** The drafts of every ServiceAccount a disabled feature breaks on one cluster, as one finding. */
function clusterDraft(ctx: RuleContext, drafts: FindingDraft[]): FindingDraft {
  const cluster = ctx.cluster(drafts[0]!.clusterId)!;
  // targetIds[0] is the ServiceAccount's id: <cluster>/namespaces/<ns>/serviceaccounts/<name>.
  const sas = drafts.map((d) => d.targetIds![0]!.split("/namespaces/").pop()!.replace("/serviceaccounts/", "/"));
  const steps = [...new Map(drafts.flatMap((d) => plansOf(d)[0]!.steps).map((step) => [JSON.stringify(step), step])).values()];
  const evidence = [...new Map(drafts.flatMap((d) => d.evidence).map((e) => [`${e.source}|${e.fact}`, e])).values()];
  const identities = new Set(drafts.map((d) => d.identity?.key));
  return {
    key: [cluster.id, "workload-identity-unavailable"],
    message:
      drafts.length === 1
        ? drafts[0]!.message
        : `${drafts.length} ServiceAccounts on cluster ${cluster.name} are set up for workload identity (${sas.join(", ")}) but cannot get tokens: ${drafts[0]!.message.split("cannot get its token: ")[1]}`,
    ...(identities.size === 1 && drafts[0]!.identity ? { identity: drafts[0]!.identity } : {}),
    clusterId: cluster.id,
    scope: cluster.id,
    targetIds: [...new Set(drafts.flatMap((d) => d.targetIds ?? []))],
    evidence,
    fixes: [{ id: "complete-workload-identity", summary: `Enable workload identity on ${cluster.name} and complete the setup of ${drafts.length === 1 ? sas[0] : `${drafts.length} ServiceAccounts`}`, steps }],
    adjustSeverity: false,
  };
}

function evaluateServiceAccount(
  ctx: RuleContext,
  sa: ServiceAccount,
  users: { pods: Pod[]; workloads: Workload[] },
  controllers: Map<string, Controller>,
): { draft: FindingDraft; featureOff: boolean } | undefined {
  const cluster = ctx.cluster(sa.clusterId);
  if (!cluster) return undefined; // issuer and feature flags unknown: nothing to judge against
  const clientId = sa.workloadIdentityClientId!;
  const identity = ctx.index.identityByClientId.get(normalizeId(clientId));
  const identityName = identity?.displayName ?? clientId;
  const saId = kubeObjectId(sa.clusterId, sa.namespace, "serviceaccounts", sa.name);
  const subject = serviceAccountSubject(sa.namespace, sa.name);
  const problems: string[] = [];
  const evidence: Evidence[] = [{ source: saId, fact: `ServiceAccount ${sa.namespace}/${sa.name} on ${cluster.name} is annotated azure.workload.identity/client-id=${clientId} (${identityName})` }];
  const steps: FixStep[] = [];

  // A webhook installed from the project's Helm chart serves workload identity without the AKS flag.
  const webhook = workloadIdentityAvailable(cluster, ctx.inventory.kubernetes.controllers);
  const featureOff = !cluster.oidcIssuerEnabled || !cluster.oidcIssuerUrl || !webhook;
  if (featureOff) {
    const off = [!cluster.oidcIssuerEnabled || !cluster.oidcIssuerUrl ? "the OIDC issuer" : "", !webhook ? "workload identity" : ""].filter(Boolean).join(" and ");
    problems.push(`${off} ${off.includes(" and ") ? "are" : "is"} disabled on cluster ${cluster.name}`);
    evidence.push({ source: cluster.id, fact: `${cluster.name}: oidcIssuerProfile.enabled=${cluster.oidcIssuerEnabled}, securityProfile.workloadIdentity.enabled=${cluster.workloadIdentityEnabled}` });
    steps.push(enableWorkloadIdentityStep(cluster));
  }

  // Only a user-assigned identity in the scan has credentials we can see; an app registration's are not listed.
  if (identity?.resourceId && ctx.index.userAssignedIdentityById.has(normalizeId(identity.resourceId))) {
    const fics = ctx.index.federatedCredentialsByIdentity.get(normalizeId(identity.resourceId)) ?? [];
    const match = cluster.oidcIssuerUrl ? fics.find((f) => sameIssuer(f.issuer, cluster.oidcIssuerUrl!) && f.subject === subject) : undefined;
    if (match) {
      evidence.push({ source: match.id, fact: `federated credential ${match.name} trusts ${subject} from ${cluster.name}` });
    } else if (cluster.oidcIssuerUrl) {
      problems.push(`no federated credential on ${identityName} trusts ${subject} from ${cluster.name}'s issuer`);
      evidence.push({ source: identity.resourceId, fact: `${identityName} has ${fics.length} federated credential(s), none with issuer ${cluster.oidcIssuerUrl} and subject ${subject}` });
      const created = federatedCredentialSteps(cluster, identity.resourceId, sa.namespace, sa.name);
      steps.push(...created);
      for (const near of fics.filter((f) => f.subject === subject && issuerDiffersBySlash(f.issuer, cluster.oidcIssuerUrl!))) {
        evidence.push({ source: near.id, fact: `federated credential ${near.name} names issuer ${near.issuer}, which differs from ${cluster.name}'s only by its trailing slash; Entra compares issuers exactly (AADSTS70021), so it never matches` });
        // The same name is rewritten in place by the create above (a PUT); another name is left over.
        if (!created.some((c) => c.kind === "create-federated-credential" && c.name === near.name)) steps.push({ kind: "delete-federated-credential", federatedCredentialId: near.id });
      }
    } else {
      // No issuer yet: the credential can only be created once it is enabled (step above).
      problems.push(`no federated credential on ${identityName} can trust ${subject} until ${cluster.name} has an OIDC issuer`);
      steps.push(...federatedCredentialSteps(cluster, identity.resourceId, sa.namespace, sa.name));
    }
  }

  const unlabelled = users.pods.filter((p) => p.labels[WORKLOAD_IDENTITY_USE_LABEL] !== "true");
  // A controller scaled to zero still declares its pods: judge its template.
  const podless = users.workloads.filter((w) => w.podIds.length === 0);
  const templates = podless.filter((w) => {
    const c = controllers.get(`${normalizeId(w.clusterId)}|${w.namespace}|${w.kind}|${w.name}`);
    return c !== undefined && c.templateLabels[WORKLOAD_IDENTITY_USE_LABEL] !== "true";
  });
  if (unlabelled.length > 0 || templates.length > 0) {
    const what = [unlabelled.length ? `${unlabelled.length} of ${users.pods.length} pod(s)` : "", templates.length ? `the pod template of ${templates.map((w) => `${w.kind} ${w.name}`).join(", ")}` : ""].filter(Boolean).join(" and ");
    problems.push(`${what} using it lack the label ${WORKLOAD_IDENTITY_USE_LABEL}: "true"`);
    for (const p of unlabelled) evidence.push({ source: p.id, fact: `pod ${p.namespace}/${p.name} runs as ${sa.name} without ${WORKLOAD_IDENTITY_USE_LABEL}: "true"` });
    const fixWorkloads = new Map<string, Workload>();
    for (const p of unlabelled) {
      const w = ctx.index.workloadByPodId.get(normalizeId(p.id));
      if (w) fixWorkloads.set(w.id, w);
    }
    for (const w of templates) fixWorkloads.set(w.id, w);
    for (const w of fixWorkloads.values()) steps.push(podTemplateStep(w, sa.name));
  }

  if (problems.length === 0) return undefined;
  const draft: FindingDraft = {
    key: [sa.clusterId, sa.namespace, sa.name],
    message: `ServiceAccount ${sa.namespace}/${sa.name} on cluster ${cluster.name} is set up for ${identityName} but cannot get its token: ${problems.join("; ")}.`,
    identity,
    clusterId: cluster.id,
    scope: cluster.id,
    targetIds: [saId, ...unlabelled.map((p) => p.id)],
    evidence,
    fixes: [{ id: "complete-workload-identity", summary: `Complete the workload identity setup of ${sa.namespace}/${sa.name} for ${identityName}`, steps }],
    // A broken binding: how many pods would reach the identity is not the risk here.
    adjustSeverity: false,
  };
  return { draft, featureOff };
}
