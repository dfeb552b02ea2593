import { ALL_CLUSTERS } from "@/lib/model/coverage";
import type { Evidence, FixPlan } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Cluster, FederatedCredential } from "@/lib/model/types";
import { issuerDiffersBySlash, sameIssuer } from "@/lib/inventory/bindings";
import { serviceAccountKey } from "@/lib/inventory/indexes";
import { defineRule, type FindingDraft } from "../define";
import { Control } from "../benchmarks";
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
      "Flags a federated identity credential whose subject names a ServiceAccount missing from the cluster whose issuer it trusts (a cluster whose Kubernetes API was read completely), or whose AKS issuer of this tenant matches no cluster of a scan that read every subscription the credential can see. A flexible credential (claimsMatchingExpression) names no ServiceAccount and is not judged.",
    rationale:
      "The trust outlives what it was made for: whoever later creates that ServiceAccount in that namespace (or controls a cluster with that issuer) gets tokens for the identity and all its roles.",
    remediation: "Delete the credential, or re-point it to the ServiceAccount and cluster issuer that should use the identity.",
    benchmarks: [Control.mcsbPA3],
    references: [
      { title: "Workload identity federation: federated identity credentials", url: "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation" },
      { title: "Azure Workload Identity: federated identity credential", url: "https://azure.github.io/azure-workload-identity/docs/topics/federated-identity-credential.html" },
      { title: "Delete a federated identity credential on a user-assigned managed identity", url: "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity#delete-a-federated-identity-credential" },
    ],
    reads: [ALL_CLUSTERS],
  },
  (ctx) => {
    const issuers = ctx.inventory.clusters.filter((c) => c.oidcIssuerUrl);
    const whole = wholeTenantRead(ctx);
    const out: FindingDraft[] = [];
    for (const fic of ctx.inventory.federatedCredentials) {
      // GitHub Actions and other identity providers are not Kubernetes; a flexible credential matches
      // claims by expression and names no single ServiceAccount.
      const sa = parseServiceAccountSubject(fic.subject);
      if (!sa) continue;
      const cluster = issuers.find((c) => sameIssuer(c.oidcIssuerUrl!, fic.issuer));
      if (!cluster) {
        // The cluster's issuer but for a trailing slash: unusable (AADSTS70021), not a trust anyone
        // else can claim; workload-identity-misconfigured reports it with the cluster.
        if (issuers.some((c) => issuerDiffersBySlash(c.oidcIssuerUrl!, fic.issuer))) continue;
        // "No such cluster" holds only where the scan saw every cluster that could have this issuer:
        // an AKS issuer of this tenant, and every subscription the credential can see read.
        if (whole && AKS_ISSUER_HOST.test(fic.issuer.endsWith("/") ? fic.issuer : `${fic.issuer}/`) && !otherTenant(fic.issuer, ctx.inventory.tenantId)) {
          out.push(draftFor(ctx, fic, sa, undefined));
        }
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

/** Sources whose failure leaves clusters unseen: a subscription, its resources or its cluster list. */
const CLUSTER_SOURCES = new Set(["arm:subscriptions", "arm:managedClusters", "arm:resources", "arm:resourceGraph"]);

/** True when the scan read every subscription the credential can see, and each one's clusters. */
function wholeTenantRead(ctx: RuleContext): boolean {
  return !ctx.inventory.partialScope && !ctx.inventory.errors.some((e) => CLUSTER_SOURCES.has(e.source) && e.code !== "invalid-payload");
}

/** True when the AKS issuer URL (`https://<region>.oic.prod-aks.azure.com/<tenant>/<cluster guid>/`) names another tenant's cluster. */
function otherTenant(issuer: string, tenantId: string | undefined): boolean {
  const tenant = /^https:\/\/[^/]+\/([0-9a-f-]{36})\//i.exec(issuer)?.[1];
  return !!tenant && !!tenantId && tenant.toLowerCase() !== tenantId.toLowerCase();
}

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
    evidence.push({ source: fic.issuer, fact: `no scanned cluster has the OIDC issuer ${fic.issuer}, and the scan read every subscription the credential can see` });
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
