import type { Evidence, FixStep } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { AzureIdentity, AzureIdentityBinding, Cluster, Controller, Pod } from "@/lib/model/types";
import { isForceNamespaced } from "@/lib/inventory/bindings";
import { POD_IDENTITY_BEHAVIOR_ANNOTATION, POD_IDENTITY_BINDING_LABEL, kubeObjectId, POD_IDENTITY_API_VERSION } from "@/lib/model/kubernetes";
import { defineRule, type FindingDraft } from "../define";
import type { RuleContext } from "@/lib/rules/rule-context";
import { identityByRef } from "@/lib/rules/shared/cluster-plans";

interface ClusterKube {
  pods: Pod[];
  controllers: Controller[];
  azureIdentities: AzureIdentity[];
  bindings: AzureIdentityBinding[];
}

export const rule = defineRule(
  {
    id: "pod-identity-not-namespaced",
    title: "aad-pod-identity identity can be claimed from any namespace",
    severity: "medium",
    description:
      "Flags an AzureIdentity on a cluster without forced namespacing, lacking the aadpodidentity.k8s.io/Behavior: namespaced annotation, whose binding selector is carried by pods in another namespace.",
    rationale:
      "By default aad-pod-identity matches a pod to a binding by the aadpodidbinding label alone, across namespaces: anyone who can create a pod in any namespace can claim the identity by setting the label.",
    remediation:
      "Annotate the AzureIdentity with aadpodidentity.k8s.io/Behavior: namespaced, or run NMI and MIC with --forceNamespaced (Helm value forceNamespaced=true), or move the identity to Azure Workload Identity.",
    references: [
      { title: "aad-pod-identity: namespaced identities and forceNamespaced", url: "https://azure.github.io/aad-pod-identity/docs/configure/match_pods_in_namespace/" },
      { title: "aad-pod-identity: AzureIdentityBinding selector", url: "https://azure.github.io/aad-pod-identity/docs/concepts/azureidentitybinding/" },
    ],
  },
  (ctx) => {
    const perCluster = new Map<string, ClusterKube>();
    const of = (clusterId: string) => {
      const k = normalizeId(clusterId);
      let c = perCluster.get(k);
      if (!c) perCluster.set(k, (c = { pods: [], controllers: [], azureIdentities: [], bindings: [] }));
      return c;
    };
    const k8s = ctx.inventory.kubernetes;
    for (const p of k8s.pods) of(p.clusterId).pods.push(p);
    for (const c of k8s.controllers) of(c.clusterId).controllers.push(c);
    for (const a of k8s.azureIdentities) of(a.clusterId).azureIdentities.push(a);
    for (const b of k8s.azureIdentityBindings) of(b.clusterId).bindings.push(b);

    const out: FindingDraft[] = [];
    for (const [key, ck] of perCluster) {
      if (ck.azureIdentities.length === 0) continue;
      const cluster = ctx.index.clusterById.get(key);
      if (isForceNamespaced(cluster, ck.pods, ck.controllers)) continue;
      const podsBySelector = new Map<string, Pod[]>();
      for (const p of ck.pods) {
        const sel = p.labels[POD_IDENTITY_BINDING_LABEL];
        if (sel === undefined) continue;
        const list = podsBySelector.get(sel);
        if (list) list.push(p);
        else podsBySelector.set(sel, [p]);
      }
      for (const ai of ck.azureIdentities) {
        const behavior = ai.annotations[POD_IDENTITY_BEHAVIOR_ANNOTATION];
        if (behavior !== undefined && behavior.toLowerCase() === "namespaced") continue;
        // aad-pod-identity resolves a binding's AzureIdentity in the binding's own namespace.
        const bindings = ck.bindings.filter((b) => b.namespace === ai.namespace && b.azureIdentity === ai.name);
        const foreign = bindings.flatMap((b) => (podsBySelector.get(b.selector) ?? []).filter((p) => p.namespace !== b.namespace).map((p) => ({ b, p })));
        if (foreign.length === 0) continue;
        out.push(draftFor(ctx, cluster, ai, foreign));
      }
    }
    return out;
  },
);

function draftFor(
  ctx: RuleContext,
  cluster: Cluster | undefined,
  ai: AzureIdentity,
  foreign: { b: AzureIdentityBinding; p: Pod }[],
): FindingDraft {
  const clusterLabel = cluster?.name ?? ai.clusterId;
  const objectId = kubeObjectId(ai.clusterId, ai.namespace, "azureidentities", ai.name);
  const identity = identityByRef(ctx, ai);
  const name = identity?.displayName ?? ai.resourceId?.split("/").pop() ?? ai.clientId ?? ai.name;
  const namespaces = [...new Set(foreign.map((f) => f.p.namespace))].sort();
  const evidence: Evidence[] = [
    { source: ai.clusterId, fact: `aad-pod-identity on ${clusterLabel} runs without --forceNamespaced (no flag on the NMI/MIC containers, no managed add-on)` },
    { source: objectId, fact: `AzureIdentity ${ai.namespace}/${ai.name} (${name}) has no ${POD_IDENTITY_BEHAVIOR_ANNOTATION}: namespaced annotation` },
  ];
  for (const b of new Set(foreign.map((f) => f.b))) {
    evidence.push({ source: kubeObjectId(b.clusterId, b.namespace, "azureidentitybindings", b.name), fact: `AzureIdentityBinding ${b.namespace}/${b.name} selects ${POD_IDENTITY_BINDING_LABEL}=${b.selector}` });
  }
  for (const { b, p } of foreign) evidence.push({ source: p.id, fact: `pod ${p.namespace}/${p.name} carries ${POD_IDENTITY_BINDING_LABEL}=${b.selector} outside namespace ${b.namespace}` });

  const annotate: FixStep = {
    kind: "kubernetes-apply",
    clusterId: ai.clusterId,
    manifest: {
      apiVersion: POD_IDENTITY_API_VERSION,
      kind: "AzureIdentity",
      metadata: { name: ai.name, namespace: ai.namespace, annotations: { [POD_IDENTITY_BEHAVIOR_ANNOTATION]: "namespaced" } },
    },
    description: `Restricts AzureIdentity ${ai.namespace}/${ai.name} to pods in ${ai.namespace}; the pods in ${namespaces.join(", ")} lose access to ${name} (give them their own binding if they are meant to have it).`,
  };
  return {
    key: [ai.clusterId, ai.namespace, ai.name],
    message: `${name} (AzureIdentity ${ai.namespace}/${ai.name} on cluster ${clusterLabel}) can be claimed from any namespace: aad-pod-identity is not namespaced and pods in ${namespaces.join(", ")} already carry its binding's label.`,
    identity,
    clusterId: ai.clusterId,
    scope: cluster?.id,
    targetIds: [objectId, ...foreign.map((f) => f.p.id)],
    evidence,
    fixes: [
      { id: "annotate-namespaced", summary: `Annotate AzureIdentity ${ai.namespace}/${ai.name} with ${POD_IDENTITY_BEHAVIOR_ANNOTATION}: namespaced`, steps: [annotate] },
      {
        id: "force-namespaced",
        summary: `Run aad-pod-identity on ${clusterLabel} with forced namespacing`,
        steps: [
          {
            kind: "manual",
            description: `Add --forceNamespaced=true to the NMI and MIC containers on ${clusterLabel} (Helm: --set forceNamespaced=true). Every AzureIdentity then matches only pods in its own namespace; check that no workload relies on a binding in another namespace.`,
          },
        ],
      },
    ],
  };
}
