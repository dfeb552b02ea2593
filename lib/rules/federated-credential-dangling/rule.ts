import { ALL_CLUSTERS } from "@/lib/model/coverage";
import type { Evidence, FixPlan } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Cluster, FederatedCredential } from "@/lib/model/types";
import { sameIssuer } from "@/lib/inventory/bindings";
import { serviceAccountKey } from "@/lib/inventory/indexes";
import { defineRule, type FindingDraft } from "../define";
import type { RuleContext } from "@/lib/rules/rule-context";
import { kubeObjectId } from "@/lib/model/kubernetes";
import { parseServiceAccountSubject } from "@/lib/rules/shared/cluster-plans";

/**
 * AKS OIDC issuer hosts (public and sovereign clouds). A Kubernetes credential for any other
 * issuer (EKS, GKE, on-premises) belongs to a cluster Scopewise does not scan; it is not dangling.
 */
const AKS_ISSUER_HOST = /^https:\/\/[a-z0-9-]+\.oic\.(prod|dev|usgov|china)[a-z0-9-]*-aks\.azure\.(com|us|cn)\//i;

export const rule = defineRule(
  {
    id: "federated-credential-dangling",
    title: "Federated credential trusts a ServiceAccount or cluster that does not exist",
    severity: "medium",
    description:
      "Flags a federated identity credential whose subject names a ServiceAccount missing from the cluster whose issuer it trusts, or whose AKS issuer matches no scanned cluster.",
    rationale:
      "The trust outlives what it was made for: whoever later creates that ServiceAccount in that namespace (or controls a cluster with that issuer) gets tokens for the identity and all its roles.",
    remediation: "Delete the credential, or re-point it to the ServiceAccount and cluster issuer that should use the identity.",
    references: [
      { title: "Workload identity federation: federated identity credentials", url: "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation" },
      { title: "Azure Workload Identity: federated identity credential", url: "https://azure.github.io/azure-workload-identity/docs/topics/federated-identity-credential.html" },
      { title: "Delete a federated identity credential on a user-assigned managed identity", url: "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity#delete-a-federated-identity-credential" },
    ],
    reads: [ALL_CLUSTERS],
  },
  (ctx) => {
    const issuers = ctx.inventory.clusters.filter((c) => c.oidcIssuerUrl);
    const out: FindingDraft[] = [];
    for (const fic of ctx.inventory.federatedCredentials) {
      const sa = parseServiceAccountSubject(fic.subject);
      if (!sa) continue; // GitHub Actions, other identity providers: not Kubernetes
      const cluster = issuers.find((c) => sameIssuer(c.oidcIssuerUrl!, fic.issuer));
      if (!cluster) {
        if (AKS_ISSUER_HOST.test(fic.issuer.endsWith("/") ? fic.issuer : `${fic.issuer}/`)) out.push(draftFor(ctx, fic, sa, undefined));
        continue;
      }
      // Without the cluster's Kubernetes objects a missing ServiceAccount is unknown, not absent.
      if (!ctx.index.kubernetesRead.has(normalizeId(cluster.id))) continue;
      if (ctx.index.serviceAccountByKey.has(serviceAccountKey(cluster.id, sa.namespace, sa.name))) continue;
      out.push(draftFor(ctx, fic, sa, cluster));
    }
    return out;
  },
);

function draftFor(ctx: RuleContext, fic: FederatedCredential, sa: { namespace: string; name: string }, cluster: Cluster | undefined): FindingDraft {
  const identity = ctx.index.identityByResourceId.get(normalizeId(fic.identityId));
  const identityName = identity?.displayName ?? fic.identityId.split("/").pop()!;
  const evidence: Evidence[] = [{ source: fic.id, fact: `federated credential ${fic.name} on ${identityName}: issuer ${fic.issuer}, subject ${fic.subject}` }];
  let why: string;
  if (cluster) {
    evidence.push({ source: cluster.id, fact: `${fic.issuer} is the OIDC issuer of cluster ${cluster.name}, whose Kubernetes objects were read` });
    evidence.push({ source: kubeObjectId(cluster.id, sa.namespace, "serviceaccounts", sa.name), fact: `ServiceAccount ${sa.namespace}/${sa.name} does not exist in ${cluster.name}` });
    why = `names ServiceAccount ${sa.namespace}/${sa.name}, which does not exist in cluster ${cluster.name}`;
  } else {
    evidence.push({ source: fic.issuer, fact: `no scanned cluster has the OIDC issuer ${fic.issuer}` });
    why = `trusts the OIDC issuer ${fic.issuer}, which belongs to no scanned cluster (a deleted cluster, or one outside the scan)`;
  }
  const fixes: FixPlan[] = [{ id: "delete-credential", summary: `Delete federated credential ${fic.name} from ${identityName}`, steps: [{ kind: "delete-federated-credential", federatedCredentialId: fic.id }] }];
  return {
    key: [fic.id],
    message: `Federated credential ${fic.name} on ${identityName} ${why}: whoever creates ${sa.namespace}/${sa.name} there gets ${identityName}'s rights.`,
    identity,
    clusterId: cluster?.id,
    scope: fic.identityId,
    targetIds: [fic.id],
    evidence,
    fixes,
    // About a stale trust, not about how many pods reach the identity today.
    adjustSeverity: false,
  };
}
