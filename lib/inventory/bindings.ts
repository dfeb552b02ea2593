import {
  IdentityKind,
  LinkMechanism,
  type AzureIdentity,
  type AzureIdentityBinding,
  type Cluster,
  type ClusterIdentityRef,
  type Controller,
  type FederatedCredential,
  type IdentityLink,
  type KubernetesData,
  type Pod,
  type ServiceAccount,
} from "@/lib/model/types";
import { normalizeId } from "@/lib/model/scope";
import { POD_IDENTITY_BEHAVIOR_ANNOTATION, POD_IDENTITY_BINDING_LABEL, WORKLOAD_IDENTITY_USE_LABEL } from "@/lib/model/kubernetes";
import { configMapLookup, containerClientId, type ConfigMapLookup } from "./env-client-ids";
import { workloadIdentityAvailable } from "./workload-identity";
import type { IdentityDraft, IdentityRegistry } from "./identity-registry";
import type { WorkloadGroup } from "./workloads";

/** A link whose identity is still a draft; `build` turns the draft into the final Identity.key. */
export interface LinkDraft extends Omit<IdentityLink, "identityKey"> {
  identity: IdentityDraft;
}

/** One pod of a workload, or the pod template of a controller that runs no pods. */
interface Member {
  podId?: string;
  namespace: string;
  labels: Record<string, string>;
  serviceAccountName: string;
  envClientIds: string[];
}

/** A binding as the resolver sees it: a CRD AzureIdentityBinding or a managed pod-identity add-on entry. */
interface PodIdentityBinding {
  namespace: string;
  name: string;
  selector: string;
  azureIdentity: { namespace: string; name: string };
  /** Resolved target, or undefined when the binding names an AzureIdentity that does not exist. */
  target?: { resourceId?: string; clientId?: string };
  /** True when only pods in the binding's namespace may match. */
  namespaced: boolean;
}

const GO_TRUE = new Set(["1", "t", "true"]);

/**
 * Whether aad-pod-identity runs with forced namespacing on this cluster: the NMI or MIC
 * container has `--forceNamespaced` (Go flag syntax: `-`/`--`, optional `=true|1|t`) or the
 * `FORCENAMESPACED=true` env var. The AKS pod-identity add-on runs NMI in managed mode,
 * which aad-pod-identity supports only namespaced.
 */
export function isForceNamespaced(cluster: Cluster | undefined, pods: Pod[], controllers: Controller[]): boolean {
  if (cluster?.podIdentityEnabled) return true;
  const isPodIdentityContainer = (c: { name: string; image: string }) =>
    c.name === "nmi" || c.name === "mic" || /aad-pod-identity\/(nmi|mic)[:@]/i.test(c.image);
  const argsForce = (args: string[]) =>
    args.some((a) => {
      const m = /^--?forceNamespaced(?:=(.*))?$/.exec(a.trim());
      return !!m && (m[1] === undefined || GO_TRUE.has(m[1].toLowerCase()));
    });
  for (const c of controllers) {
    for (const ct of c.containers) if (isPodIdentityContainer(ct) && argsForce(ct.args)) return true;
  }
  for (const p of pods) {
    for (const ct of p.containers) {
      if (!isPodIdentityContainer(ct)) continue;
      if (argsForce(ct.args)) return true;
      const env = ct.env.FORCENAMESPACED;
      if (env !== undefined && GO_TRUE.has(env.toLowerCase())) return true;
    }
  }
  return false;
}

function refTarget(ref: ClusterIdentityRef): { resourceId?: string; clientId?: string } {
  return { resourceId: ref.resourceId, clientId: ref.clientId };
}

/**
 * Issuer URLs compare exactly, as Entra compares a token's `iss` with a federated credential's
 * issuer: AKS issuer URLs end in "/", and a credential that drops it is refused (AADSTS70021,
 * no matching federated identity record).
 */
export function sameIssuer(a: string, b: string): boolean {
  return a === b;
}

/** Two issuers that differ only by a trailing slash: the mistake AADSTS70021 answers. */
export function issuerDiffersBySlash(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/\/+$/, "");
  return a !== b && strip(a) === strip(b);
}

export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export interface ResolveLinksInput {
  clusters: Cluster[];
  kubernetes: KubernetesData;
  workloads: WorkloadGroup[];
  federatedCredentials: FederatedCredential[];
  registry: IdentityRegistry;
}

/**
 * Resolves which identity each workload acts as, by every mechanism: aad-pod-identity
 * bindings (CRDs and the managed add-on), Azure Workload Identity (service account +
 * federated credential), and `AZURE_CLIENT_ID` set directly in a container's env.
 * Each link found is also recorded as an app use on its identity.
 */
export function resolveLinks(input: ResolveLinksInput): { links: LinkDraft[]; notes: string[] } {
  const { registry } = input;
  const clusterById = new Map(input.clusters.map((c) => [normalizeId(c.id), c]));
  const ficsByIdentity = new Map<string, FederatedCredential[]>();
  for (const f of input.federatedCredentials) push(ficsByIdentity, normalizeId(f.identityId), f);

  const perCluster = new Map<string, ClusterKube>();
  const kubeFor = (clusterId: string) => {
    const key = normalizeId(clusterId);
    let c = perCluster.get(key);
    if (!c) {
      c = { pods: [], controllers: [], azureIdentities: new Map(), bindings: [], bindingsBySelector: new Map(), serviceAccounts: new Map() };
      perCluster.set(key, c);
    }
    return c;
  };
  const kube = input.kubernetes;
  for (const p of kube.pods) kubeFor(p.clusterId).pods.push(p);
  for (const c of kube.controllers) kubeFor(c.clusterId).controllers.push(c);
  for (const a of kube.azureIdentities) kubeFor(a.clusterId).azureIdentities.set(`${a.namespace}/${a.name}`, a);
  for (const s of kube.serviceAccounts) kubeFor(s.clusterId).serviceAccounts.set(`${s.namespace}/${s.name}`, s);
  for (const b of kube.azureIdentityBindings) kubeFor(b.clusterId).bindings.push(b);

  for (const [key, ck] of perCluster) {
    const cluster = clusterById.get(key);
    const forced = isForceNamespaced(cluster, ck.pods, ck.controllers);
    const seen = new Set<string>();
    for (const b of ck.bindings) {
      // aad-pod-identity looks the AzureIdentity up in the binding's own namespace.
      const ai = ck.azureIdentities.get(`${b.namespace}/${b.azureIdentity}`);
      seen.add(`${b.namespace}/${b.name}`);
      push(ck.bindingsBySelector, b.selector, {
        namespace: b.namespace,
        name: b.name,
        selector: b.selector,
        azureIdentity: { namespace: b.namespace, name: b.azureIdentity },
        target: ai ? { resourceId: ai.resourceId, clientId: ai.clientId } : undefined,
        namespaced: forced || isNamespacedIdentity(ai),
      });
    }
    // The add-on creates an AzureIdentity + AzureIdentityBinding named after each pod identity;
    // when the cluster listing already shows them, the CRD binding above covers it.
    for (const pi of cluster?.podIdentities ?? []) {
      if (seen.has(`${pi.namespace}/${pi.name}`)) continue;
      const selector = pi.bindingSelector ?? pi.name;
      push(ck.bindingsBySelector, selector, {
        namespace: pi.namespace,
        name: pi.name,
        selector,
        azureIdentity: { namespace: pi.namespace, name: pi.name },
        target: refTarget(pi.identity),
        namespaced: true,
      });
    }
  }
  // Clusters with no Kubernetes data can still have add-on pod identities; nothing runs to link to them.

  const links: LinkDraft[] = [];
  const notes: string[] = [];
  const lookups = new Map<string, ConfigMapLookup>();
  for (const group of input.workloads) {
    const w = group.workload;
    const ck = perCluster.get(normalizeId(w.clusterId));
    const cluster = clusterById.get(normalizeId(w.clusterId));
    const clusterKey = normalizeId(w.clusterId);
    if (!lookups.has(clusterKey)) lookups.set(clusterKey, configMapLookup(input.kubernetes.configMaps, w.clusterId));
    const { members, unknown } = membersOf(group, lookups.get(clusterKey)!);
    if (unknown.length > 0) {
      notes.push(`${w.kind} ${w.namespace}/${w.name} on ${cluster?.name ?? w.clusterId}: ${unknown.join("; ")}: which identity it uses is unknown.`);
    }
    const found: LinkDraft[] = [];

    if (ck) found.push(...podIdentityLinks(w, members, ck, registry));
    found.push(...workloadIdentityLinks(w, members, ck, cluster, ficsByIdentity, registry));

    // AZURE_CLIENT_ID picks a user-assigned identity from IMDS (or is injected by the WI webhook);
    // only an identity reached no other way is a link of its own.
    const reached = new Set(found.map((l) => registry.resolve(l.identity)));
    const envPods = new Map<string, { draft: IdentityDraft; podIds: string[] }>();
    for (const m of members) {
      for (const clientId of m.envClientIds) {
        const draft = registry.findByClientId(clientId);
        if (!draft || reached.has(draft)) continue;
        const key = clientId.toLowerCase();
        const e = envPods.get(key) ?? { draft, podIds: [] };
        if (m.podId) e.podIds.push(m.podId);
        envPods.set(key, e);
      }
    }
    for (const [clientId, e] of envPods) {
      found.push({
        id: `${w.id}/links/${LinkMechanism.EnvClientId}/${clientId}`,
        workloadId: w.id,
        clusterId: w.clusterId,
        namespace: w.namespace,
        mechanism: LinkMechanism.EnvClientId,
        identity: e.draft,
        clientId: e.draft.clientId ?? clientId,
        podIds: e.podIds,
        complete: true,
        problems: [],
      });
    }

    for (const l of found) registry.addUse(l.identity, { kind: IdentityKind.App, clusterId: w.clusterId, mechanism: l.mechanism });
    links.push(...found);
  }
  return { links, notes };
}

interface ClusterKube {
  pods: Pod[];
  controllers: Controller[];
  azureIdentities: Map<string, AzureIdentity>;
  bindings: AzureIdentityBinding[];
  bindingsBySelector: Map<string, PodIdentityBinding[]>;
  serviceAccounts: Map<string, ServiceAccount>;
}

/** The workload's pods (or its pod template), and why an AZURE_CLIENT_ID some of them set is unknown. */
function membersOf(group: WorkloadGroup, lookup: ConfigMapLookup): { members: Member[]; unknown: string[] } {
  const unknown = new Set<string>();
  if (group.pods.length > 0) {
    const members = group.pods.map((p) => {
      const ids = new Set<string>();
      for (const c of p.containers) {
        const source = containerClientId(c, p.namespace, lookup);
        if (source?.clientId) ids.add(source.clientId);
        if (source?.unknown) unknown.add(source.unknown);
      }
      return { podId: p.id, namespace: p.namespace, labels: p.labels, serviceAccountName: p.serviceAccountName, envClientIds: [...ids] };
    });
    return { members, unknown: [...unknown] };
  }
  const c = group.controller;
  if (!c) return { members: [], unknown: [] };
  return { members: [{ namespace: c.namespace, labels: c.templateLabels, serviceAccountName: c.serviceAccountName ?? "default", envClientIds: [] }], unknown: [] };
}

function isNamespacedIdentity(ai: AzureIdentity | undefined): boolean {
  if (!ai) return false;
  // Annotation keys are case-sensitive in Kubernetes; the value is compared as aad-pod-identity does (lower-cased).
  const v = ai.annotations[POD_IDENTITY_BEHAVIOR_ANNOTATION];
  return v !== undefined && v.toLowerCase() === "namespaced";
}

function podIdentityLinks(
  w: WorkloadGroup["workload"],
  members: Member[],
  ck: ClusterKube,
  registry: IdentityRegistry,
): LinkDraft[] {
  const byBinding = new Map<string, { binding: PodIdentityBinding; draft: IdentityDraft; podIds: string[] }>();
  for (const m of members) {
    const selector = m.labels[POD_IDENTITY_BINDING_LABEL];
    if (selector === undefined) continue;
    for (const b of ck.bindingsBySelector.get(selector) ?? []) {
      if (!b.target) continue; // names an AzureIdentity that does not exist: NMI assigns nothing
      if (b.namespaced && b.namespace !== m.namespace) continue;
      const key = `${b.namespace}/${b.name}`;
      let entry = byBinding.get(key);
      if (!entry) {
        const draft = resolveTarget(b.target, registry);
        if (!draft) continue; // AzureIdentity with neither resourceID nor clientID
        entry = { binding: b, draft, podIds: [] };
        byBinding.set(key, entry);
      }
      if (m.podId) entry.podIds.push(m.podId);
    }
  }
  return [...byBinding.values()].map(({ binding: b, draft, podIds }) => ({
    id: `${w.id}/links/${LinkMechanism.PodIdentity}/${b.namespace}/${b.name}`,
    workloadId: w.id,
    clusterId: w.clusterId,
    namespace: w.namespace,
    mechanism: LinkMechanism.PodIdentity,
    identity: draft,
    clientId: draft.clientId ?? b.target?.clientId,
    azureIdentity: b.azureIdentity,
    binding: { namespace: b.namespace, name: b.name, selector: b.selector },
    podIds,
    complete: true,
    problems: [],
  }));
}

/** The identity an AzureIdentity names: by resource id first (unambiguous), else client id; unknown ones are registered. */
function resolveTarget(target: { resourceId?: string; clientId?: string }, registry: IdentityRegistry): IdentityDraft | undefined {
  const known = (target.resourceId && registry.findByResourceId(target.resourceId)) || (target.clientId && registry.findByClientId(target.clientId));
  if (known) return known;
  return registry.note({
    resourceId: target.resourceId,
    clientId: target.clientId,
    displayName: target.resourceId?.split("/").pop(),
    nameFromResource: !!target.resourceId,
  });
}

function workloadIdentityLinks(
  w: WorkloadGroup["workload"],
  members: Member[],
  ck: ClusterKube | undefined,
  cluster: Cluster | undefined,
  ficsByIdentity: Map<string, FederatedCredential[]>,
  registry: IdentityRegistry,
): LinkDraft[] {
  const bySa = new Map<string, { sa: ServiceAccount; members: Member[] }>();
  for (const m of members) {
    const sa = ck?.serviceAccounts.get(`${m.namespace}/${m.serviceAccountName}`);
    if (!sa?.workloadIdentityClientId) continue;
    const key = `${sa.namespace}/${sa.name}`;
    const e = bySa.get(key) ?? { sa, members: [] };
    e.members.push(m);
    bySa.set(key, e);
  }

  const out: LinkDraft[] = [];
  for (const { sa, members: saMembers } of bySa.values()) {
    const clientId = sa.workloadIdentityClientId!;
    const draft = registry.findByClientId(clientId) ?? registry.note({ clientId })!;
    const problems: string[] = [];
    const clusterName = cluster?.name ?? w.clusterId;

    if (!cluster) problems.push(`cluster ${w.clusterId} was not read from ARM, so its OIDC issuer and workload identity settings are unknown`);
    else {
      if (!cluster.oidcIssuerEnabled || !cluster.oidcIssuerUrl) problems.push(`the OIDC issuer is not enabled on cluster ${clusterName} (oidcIssuerProfile.enabled)`);
      if (!workloadIdentityAvailable(cluster, ck?.controllers ?? [])) problems.push(`workload identity is not enabled on cluster ${clusterName} (securityProfile.workloadIdentity.enabled, and no workload identity webhook runs)`);
    }

    const labelled = saMembers.filter((m) => m.labels[WORKLOAD_IDENTITY_USE_LABEL] === "true");
    if (labelled.length < saMembers.length) {
      const what = saMembers.some((m) => m.podId) ? `${saMembers.length - labelled.length} of ${saMembers.length} pods` : "the pod template";
      problems.push(`${what} using service account ${sa.namespace}/${sa.name} lack the label ${WORKLOAD_IDENTITY_USE_LABEL}: "true"`);
    }

    const subject = serviceAccountSubject(sa.namespace, sa.name);
    const identityName = registry.resolve(draft).displayName ?? clientId;
    const fics = draft.resourceId ? (ficsByIdentity.get(normalizeId(draft.resourceId)) ?? []) : [];
    let fic: FederatedCredential | undefined;
    if (!draft.resourceId) {
      problems.push(`client id ${clientId} is not a user-assigned managed identity in the scanned subscriptions, so no federated credential for ${subject} could be found`);
    } else if (cluster?.oidcIssuerUrl) {
      const issuer = cluster.oidcIssuerUrl;
      // A flexible credential (no subject) matches GitHub, GitLab and Terraform Cloud tokens only, never a ServiceAccount's.
      const sameIssuerFics = fics.filter((f) => f.subject !== undefined && sameIssuer(f.issuer, issuer));
      fic = sameIssuerFics.find((f) => f.subject === subject);
      const slash = fic ? undefined : fics.find((f) => f.subject === subject && issuerDiffersBySlash(f.issuer, issuer));
      if (slash) {
        problems.push(`federated credential ${slash.name} on ${identityName} names issuer ${slash.issuer}, which differs from cluster ${clusterName}'s issuer ${issuer} by its trailing slash; Entra compares issuers exactly (AADSTS70021)`);
      } else if (!fic) {
        if (sameIssuerFics.length === 0) {
          problems.push(`no federated credential on ${identityName} trusts the issuer of cluster ${clusterName} (${issuer})`);
        } else {
          const subjects = sameIssuerFics.map((f) => `${f.name}: ${f.subject}`).join(", ");
          problems.push(`federated credentials on ${identityName} trust cluster ${clusterName}'s issuer but none has subject ${subject} (${subjects})`);
        }
      }
    } else if (cluster) {
      problems.push(`cannot match a federated credential on ${identityName}: cluster ${clusterName} has no OIDC issuer URL`);
    }

    out.push({
      id: `${w.id}/links/${LinkMechanism.WorkloadIdentity}/${sa.namespace}/${sa.name}`,
      workloadId: w.id,
      clusterId: w.clusterId,
      namespace: w.namespace,
      mechanism: LinkMechanism.WorkloadIdentity,
      identity: draft,
      clientId,
      serviceAccount: { namespace: sa.namespace, name: sa.name },
      federatedCredentialId: fic?.id,
      podIds: labelled.flatMap((m) => (m.podId ? [m.podId] : [])),
      complete: problems.length === 0,
      problems,
    });
  }
  return out;
}

function push<K, V>(m: Map<K, V[]>, key: K, v: V): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}
