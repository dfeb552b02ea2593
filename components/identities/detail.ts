import { normalizeId, scopeLevelRank, lastSegment } from "@/lib/model/scope";
import type { Identity, IdentityKind, IdentityLink, Inventory, LinkMechanism, ScopeLevel } from "@/lib/model/types";
import type { InventoryIndex } from "@/lib/inventory/indexes";
import { assignmentsOf, clusterName, federatedCredential, getIndex } from "@/components/inventory/lookup";
import { buildScopeCrumbs, type ScopeCrumb } from "@/lib/model/names";
import { linkMechanismLabels } from "./kind";
import { IdentityKindLabel } from "@/lib/model/vocabulary";

export interface AssignmentView {
  id: string;
  roleName: string;
  /** False when the role definition could not be read (the GUID is shown instead). */
  roleResolved: boolean;
  roleDefinitionId: string;
  scope: string;
  scopeLevel: ScopeLevel;
  crumbs: ScopeCrumb[];
  /** ABAC condition text: the grant only applies when it holds. */
  condition?: string;
  description?: string;
  createdOn?: string;
}

/** One step of a binding chain, e.g. `{ kind: "AzureIdentityBinding", name: "payments/api-binding" }`. */
export interface BindingStep {
  kind: string;
  name: string;
  detail?: string;
}

export interface BoundWorkloadView {
  linkId: string;
  clusterId: string;
  clusterName: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  mechanism: LinkMechanism;
  mechanismLabel: string;
  steps: BindingStep[];
  /** The pods of the workload that really use the identity (label present, service account used). */
  pods: { id: string; name: string; phase?: string; nodeName?: string }[];
  /** All pods of the workload, matching or not. */
  workloadPodCount: number;
  complete: boolean;
  problems: string[];
}

export interface UseView {
  kind: IdentityKind;
  /** "Kubelet of aks-prod", "Add-on omsagent of aks-prod", ... */
  label: string;
  clusterId?: string;
}

export interface IdentityDetail {
  identity: Identity;
  kindLabel: string;
  clusters: { id: string; name: string }[];
  /** "yes" / "no" / "unknown": unknown when Graph was not read, which is not the same as deleted. */
  directory: "yes" | "no" | "unknown";
  uses: UseView[];
  /** Widest scope first. */
  assignments: AssignmentView[];
  workloads: BoundWorkloadView[];
}

export function describeUse(use: Identity["uses"][number], index: InventoryIndex): UseView {
  const cluster = use.clusterId ? clusterName(index, use.clusterId) : undefined;
  const of = cluster ? ` of ${cluster}` : "";
  let label: string;
  switch (use.kind) {
    case "control-plane":
      label = `Control plane identity${of}`;
      break;
    case "kubelet":
      label = `Kubelet identity${of}`;
      break;
    case "addon":
      label = `Add-on ${use.addon ?? "(unnamed)"}${of}`;
      break;
    case "app":
      label = `Used by pods${cluster ? ` on ${cluster}` : ""}${use.mechanism ? ` through ${linkMechanismLabels[use.mechanism].toLowerCase()}` : ""}`;
      break;
    default:
      label = `${IdentityKindLabel[use.kind]}${of}`;
  }
  return { kind: use.kind, label, clusterId: use.clusterId };
}

export function buildBindingSteps(link: IdentityLink, index: InventoryIndex): BindingStep[] {
  const steps: BindingStep[] = [];
  if (link.mechanism === "aad-pod-identity") {
    if (link.binding) {
      steps.push({
        kind: "AzureIdentityBinding",
        name: `${link.binding.namespace}/${link.binding.name}`,
        detail: `selector ${link.binding.selector}`,
      });
    }
    if (link.azureIdentity) steps.push({ kind: "AzureIdentity", name: `${link.azureIdentity.namespace}/${link.azureIdentity.name}` });
  } else if (link.mechanism === "workload-identity") {
    if (link.serviceAccount) steps.push({ kind: "ServiceAccount", name: `${link.serviceAccount.namespace}/${link.serviceAccount.name}` });
    if (link.federatedCredentialId) {
      const fic = federatedCredential(index, link.federatedCredentialId);
      steps.push({ kind: "Federated credential", name: fic?.name ?? lastSegment(link.federatedCredentialId), detail: fic?.subject });
    }
  } else if (link.clientId) {
    steps.push({ kind: "AZURE_CLIENT_ID", name: link.clientId });
  }
  return steps;
}

/** "aad-pod-identity: AzureIdentityBinding payments/api-binding → AzureIdentity payments/api-identity" */
export function bindingPathText(view: Pick<BoundWorkloadView, "mechanismLabel" | "steps">): string {
  return `${view.mechanismLabel}: ${view.steps.map((s) => `${s.kind} ${s.name}`).join(" → ")}`;
}

function buildWorkloadView(link: IdentityLink, index: InventoryIndex): BoundWorkloadView {
  const workload = index.workloadById.get(normalizeId(link.workloadId));
  const pods = link.podIds.map((id) => {
    const pod = index.podsById.get(normalizeId(id));
    return { id, name: pod?.name ?? lastSegment(id), phase: pod?.phase, nodeName: pod?.nodeName };
  });
  return {
    linkId: link.id,
    clusterId: link.clusterId,
    clusterName: clusterName(index, link.clusterId),
    namespace: link.namespace,
    workloadKind: workload?.kind ?? "Workload",
    workloadName: workload?.name ?? lastSegment(link.workloadId),
    mechanism: link.mechanism,
    mechanismLabel: linkMechanismLabels[link.mechanism],
    steps: buildBindingSteps(link, index),
    pods: pods.sort((a, b) => a.name.localeCompare(b.name)),
    workloadPodCount: workload?.podIds.length ?? pods.length,
    complete: link.complete,
    problems: link.problems,
  };
}

/** Everything the identity detail page shows; undefined when no identity has this key. */
export function buildIdentityDetail(inv: Inventory, key: string): IdentityDetail | undefined {
  const index = getIndex(inv);
  const identity = index.identityByKey.get(normalizeId(key));
  if (!identity) return undefined;
  const assignments = assignmentsOf(index, identity)
    .map(
      (ra): AssignmentView => ({
        id: ra.id,
        roleName: ra.roleName ?? ra.roleDefinitionName,
        roleResolved: ra.roleName !== undefined,
        roleDefinitionId: ra.roleDefinitionId,
        scope: ra.scope,
        scopeLevel: ra.scopeLevel,
        crumbs: buildScopeCrumbs(ra.scope, index),
        condition: ra.condition ?? undefined,
        description: ra.description ?? undefined,
        createdOn: ra.createdOn,
      }),
    )
    .sort((a, b) => scopeLevelRank(a.scopeLevel) - scopeLevelRank(b.scopeLevel) || a.roleName.localeCompare(b.roleName));
  const workloads = (index.linksByIdentity.get(normalizeId(identity.key)) ?? [])
    .map((link) => buildWorkloadView(link, index))
    .sort(
      (a, b) =>
        a.clusterName.localeCompare(b.clusterName) || a.namespace.localeCompare(b.namespace) || a.workloadName.localeCompare(b.workloadName),
    );
  const directory =
    identity.existsInDirectory === true ? "yes" : identity.existsInDirectory === false && inv.principalsResolved ? "no" : "unknown";
  return {
    identity,
    kindLabel: IdentityKindLabel[identity.kind],
    clusters: identity.clusterIds.map((id) => ({ id, name: clusterName(index, id) })),
    directory,
    uses: identity.uses.map((u) => describeUse(u, index)),
    assignments,
    workloads,
  };
}
