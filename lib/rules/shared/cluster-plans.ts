/**
 * Shared pieces of the "cluster" rule group (lib/rules/registry.cluster.ts): Kubernetes
 * object ids, Azure Workload Identity fix steps and names Azure accepts. Pure.
 */
import type { AzOutput, FixStep } from "@/lib/model/findings";
import { normalizeId, parseScope } from "@/lib/model/scope";
import type { Cluster, Identity, Workload } from "@/lib/model/types";
import { serviceAccountSubject } from "@/lib/inventory/bindings";
import { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION, WORKLOAD_IDENTITY_USE_LABEL } from "@/lib/model/kubernetes";
import type { RuleContext } from "@/lib/rules/rule-context";

/** The audience Azure AD expects in a Kubernetes service-account token exchanged for an Entra token. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";
/** Azure allows at most 20 federated identity credentials per user-assigned identity. */
export const FEDERATED_CREDENTIAL_MAX = 20;

export function clusterName(ctx: RuleContext, clusterId: string): string {
  return ctx.cluster(clusterId)?.name ?? clusterId.split("/").pop() ?? clusterId;
}

export function clusterResourceGroupId(cluster: Cluster): string {
  return `/subscriptions/${cluster.subscriptionId}/resourceGroups/${cluster.resourceGroup}`;
}

/**
 * A name Azure accepts for a managed identity or a federated credential: letters, digits,
 * hyphens and underscores, starting with a letter or digit, at most `max` characters.
 */
export function azureName(parts: readonly string[], max = 120): string {
  const joined = parts
    .join("-")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "");
  return joined.slice(0, max).replace(/[-_]+$/, "") || "scopewise";
}

/** A user-assigned identity's resource id as it will be once created. */
export function userAssignedIdentityId(resourceGroupId: string, name: string): string {
  return `${resourceGroupId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}

export function identityLabel(identity: Identity | undefined, fallback: string): string {
  return identity?.displayName ?? fallback;
}

/** `az aks update` that turns on the OIDC issuer and the Workload Identity webhook. */
export function enableWorkloadIdentityStep(cluster: Cluster): FixStep {
  return {
    kind: "az-command",
    args: ["aks", "update", "--resource-group", cluster.resourceGroup, "--name", cluster.name, "--enable-oidc-issuer", "--enable-workload-identity"],
    description: `Enables the OIDC issuer and Azure Workload Identity on ${cluster.name}. The issuer URL is fixed once enabled; federated credentials must name it.`,
  };
}

/**
 * A federated credential on a user-assigned identity trusting one ServiceAccount of the
 * cluster. When the cluster has no OIDC issuer yet its URL is not knowable before it is
 * enabled, so the step reads it from the cluster at apply time instead of guessing.
 */
export function federatedCredentialSteps(cluster: Cluster, identityId: string, namespace: string, serviceAccount: string): FixStep[] {
  const subject = serviceAccountSubject(namespace, serviceAccount);
  const name = azureName([cluster.name, namespace, serviceAccount]);
  if (cluster.oidcIssuerEnabled && cluster.oidcIssuerUrl) {
    return [{ kind: "create-federated-credential", identityId, name, issuer: cluster.oidcIssuerUrl, subject, audiences: [WORKLOAD_IDENTITY_AUDIENCE] }];
  }
  const id = parseScope(identityId);
  return [
    {
      kind: "az-command",
      args: [
        "identity", "federated-credential", "create",
        "--name", name,
        "--identity-name", id.resourceName ?? "",
        "--resource-group", id.resourceGroup ?? "",
        "--subscription", id.subscriptionId ?? "",
        "--issuer", oidcIssuerOf(cluster),
        "--subject", subject,
        "--audiences", WORKLOAD_IDENTITY_AUDIENCE,
      ],
      description: `Creates federated credential ${name} on ${id.resourceName} trusting ${subject} from ${cluster.name}; the issuer is read from the cluster because it has no OIDC issuer yet.`,
    },
  ];
}

export function serviceAccountApply(clusterId: string, namespace: string, name: string, clientId: string, description: string): FixStep {
  return {
    kind: "kubernetes-apply",
    clusterId,
    manifest: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace, annotations: { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: clientId } },
    },
    description,
  };
}

const CONTROLLER_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/**
 * The pod-template change Workload Identity needs: the `azure.workload.identity/use` label
 * (the webhook mutates only labelled pods) and the annotated ServiceAccount. A bare pod or
 * a ReplicaSet cannot be changed in place, so it gets a manual step naming it.
 */
export function podTemplateStep(workload: Workload, serviceAccountName: string, extra = ""): FixStep {
  if (CONTROLLER_KINDS.has(workload.kind)) {
    return {
      kind: "kubernetes-apply",
      clusterId: workload.clusterId,
      manifest: {
        apiVersion: "apps/v1",
        kind: workload.kind,
        metadata: { name: workload.name, namespace: workload.namespace },
        spec: {
          template: {
            metadata: { labels: { [WORKLOAD_IDENTITY_USE_LABEL]: "true" } },
            spec: { serviceAccountName },
          },
        },
      },
      description: `Labels the pod template of ${workload.kind} ${workload.namespace}/${workload.name} ${WORKLOAD_IDENTITY_USE_LABEL}: "true" and runs it as ServiceAccount ${serviceAccountName}${extra}; the pods restart.`,
    };
  }
  return {
    kind: "manual",
    description: `Recreate ${workload.kind} ${workload.namespace}/${workload.name} with the label ${WORKLOAD_IDENTITY_USE_LABEL}: "true" and serviceAccountName ${serviceAccountName}${extra}.`,
  };
}

/** The workload a link or pod belongs to, by id. */
export function workloadOf(ctx: RuleContext, workloadId: string): Workload | undefined {
  return ctx.index.workloadById.get(normalizeId(workloadId));
}

/** Identity a client id or identity resource id names (AzureIdentity spec, SA annotation, env). */
export function identityByRef(ctx: RuleContext, ref: { resourceId?: string; clientId?: string }): Identity | undefined {
  return (
    (ref.resourceId && ctx.index.identityByResourceId.get(normalizeId(ref.resourceId))) ||
    (ref.clientId && ctx.index.identityByClientId.get(normalizeId(ref.clientId))) ||
    undefined
  );
}

/**
 * Parses `system:serviceaccount:<namespace>:<name>`; undefined for any other subject (GitHub,
 * other IdPs) and for a flexible credential, which has none.
 */
export function parseServiceAccountSubject(subject: string | undefined): { namespace: string; name: string } | undefined {
  if (subject === undefined) return undefined;
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

/** The cluster's OIDC issuer URL as `az aks show` reads it when a command runs (it is not known before the issuer is enabled). */
function oidcIssuerOf(cluster: Cluster): AzOutput {
  return {
    azOutput: ["aks", "show", "--resource-group", cluster.resourceGroup, "--name", cluster.name, "--subscription", cluster.subscriptionId, "--query", "oidcIssuerProfile.issuerUrl", "--output", "tsv"],
  };
}

/**
 * Workload identity also federates app registrations: a service-principal AzureIdentity keeps
 * its app (and its roles) and loses its secret. The credential is a Microsoft Graph object on
 * the application, addressed by appId. When the cluster has no OIDC issuer yet its URL is not
 * knowable before it is enabled, so the step reads it from the cluster at apply time (az).
 */
export function appRegistrationCredentialStep(cluster: Cluster, appId: string, namespace: string, sa: string, applicationName = appId): FixStep {
  const subject = serviceAccountSubject(namespace, sa);
  const name = azureName([cluster.name, namespace, sa]);
  if (cluster.oidcIssuerEnabled && cluster.oidcIssuerUrl) {
    return { kind: "create-app-federated-credential", appId, applicationName, name, issuer: cluster.oidcIssuerUrl, subject, audiences: [WORKLOAD_IDENTITY_AUDIENCE] };
  }
  // The Graph federatedIdentityCredential body as JSON, its issuer read from the cluster when the command runs.
  return {
    kind: "az-command",
    args: ["ad", "app", "federated-credential", "create", "--id", appId, "--parameters", {
      join: [`{"name":${JSON.stringify(name)},"issuer":"`, oidcIssuerOf(cluster), `","subject":${JSON.stringify(subject)},"audiences":${JSON.stringify([WORKLOAD_IDENTITY_AUDIENCE])}}`],
    }],
    description: `Federated credential on app registration ${applicationName} (${appId}) trusting ${subject} from ${cluster.name}, replacing its client secret; the issuer is read from the cluster because it has no OIDC issuer yet.`,
  };
}
