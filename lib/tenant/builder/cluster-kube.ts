import { kubeObjectId, WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from "@/lib/model/kubernetes";
import type { KubeWireObject } from "@/lib/model/wire";
import { kubeSuffix, stableGuid, type GuidOf } from "./ids";
import {
  azureIdentityBindingWire,
  azureIdentityWire,
  configMapWire,
  controllerWire,
  envList,
  namespaceWire,
  ownerReference,
  podIdentityExceptionWire,
  podWire,
  serviceAccountWire,
  type AzureIdentitySpec,
  type ObjectMeta,
} from "./kube-objects";
import { buildPodSpec, type PodTemplate } from "./pod-spec";

export interface NodePool {
  name: string;
  /** The VMSS name, e.g. aks-system-31245678-vmss; node names add a six-digit instance number. */
  vmss: string;
  count: number;
}

export interface ClusterKubeOptions {
  createdAt: string;
  /** Set when the cluster runs the workload-identity webhook (pods are returned mutated). */
  workloadIdentityTenantId?: string;
  /** Derives object uids from names; stableGuid by default. */
  guid?: GuidOf;
  /** The cluster's part in uid names; its name by default. */
  key?: string;
  /** resourceVersion = 1000 + step × the object's position (37 by default). */
  resourceVersionStep?: number;
}

export interface CompactApp {
  labels: Record<string, string>;
  serviceAccountName: string;
  image: string;
  /** The pods' container env (the deployment template carries none). */
  env: Record<string, string>;
}

export interface Workload {
  workloadId: string;
  podIds: string[];
}

/**
 * The Kubernetes contents of one cluster, as its API server returns them: controllers and the
 * pods they own (ownerReferences to `<deployment>-<pod-template-hash>` ReplicaSets, or to the
 * DaemonSet), service accounts (every namespace has `default`), and aad-pod-identity objects.
 * `deployment` and `daemonSet` write full pod specs; `compactDeployment` only what the scanner
 * reads, for tenants with tens of thousands of pods.
 */
export class ClusterKube {
  readonly objects: KubeWireObject[] = [];
  readonly podIds: string[] = [];
  private readonly nodeCursor = new Map<string, number>();
  private readonly serviceAccounts = new Map<string, Record<string, string>>();
  private readonly compactNames = new Set<string>();
  private readonly guid: GuidOf;
  private readonly key: string;

  constructor(
    readonly clusterId: string,
    readonly clusterName: string,
    readonly pools: NodePool[],
    private readonly opts: ClusterKubeOptions,
  ) {
    this.guid = opts.guid ?? ((name) => stableGuid(name));
    this.key = opts.key ?? clusterName;
  }

  nodes(pool?: string): string[] {
    return this.pools.filter((p) => !pool || p.name === pool).flatMap((p) => Array.from({ length: p.count }, (_, i) => `${p.vmss}${String(i).padStart(6, "0")}`));
  }

  private uid(kind: string, namespace: string, name: string): string {
    return this.guid(`k8s:${this.key}:${kind}:${namespace}/${name}`);
  }

  private meta(kind: string, namespace: string | undefined, name: string, extra: Record<string, unknown> = {}): ObjectMeta {
    return {
      name,
      ...(namespace ? { namespace } : {}),
      uid: this.uid(kind, namespace ?? "", name),
      resourceVersion: String(1000 + this.objects.length * (this.opts.resourceVersionStep ?? 37)),
      creationTimestamp: this.opts.createdAt,
      ...extra,
    };
  }

  namespace(name: string, labels: Record<string, string> = {}): void {
    this.objects.push(namespaceWire(this.meta("Namespace", undefined, name, { labels: { "kubernetes.io/metadata.name": name, ...labels } })));
    this.serviceAccount(name, "default");
  }

  configMap(namespace: string, name: string, data: Record<string, string>): string {
    this.objects.push(configMapWire(this.meta("ConfigMap", namespace, name), data));
    return kubeObjectId(this.clusterId, namespace, "configmaps", name);
  }

  serviceAccount(namespace: string, name: string, annotations: Record<string, string> = {}, labels: Record<string, string> = {}): string {
    this.serviceAccounts.set(`${namespace}/${name}`, annotations);
    this.objects.push(
      serviceAccountWire(
        this.meta("ServiceAccount", namespace, name, {
          ...(Object.keys(labels).length ? { labels } : {}),
          ...(Object.keys(annotations).length ? { annotations } : {}),
        }),
      ),
    );
    return kubeObjectId(this.clusterId, namespace, "serviceaccounts", name);
  }

  private nextNode(pool: string | undefined): string {
    const nodes = this.nodes(pool);
    if (nodes.length === 0) throw new Error(`cluster ${this.clusterName} has no node pool "${pool}"`);
    const i = this.nodeCursor.get(pool ?? "") ?? 0;
    this.nodeCursor.set(pool ?? "", i + 1);
    return nodes[i % nodes.length]!;
  }

  private annotationsOf(namespace: string, serviceAccount: string): Record<string, string> {
    const annotations = this.serviceAccounts.get(`${namespace}/${serviceAccount}`);
    if (!annotations) throw new Error(`${this.clusterName}: service account ${namespace}/${serviceAccount} does not exist`);
    return annotations;
  }

  private podSpec(t: PodTemplate, namespace: string, podName: string | null, nodeName?: string): Record<string, unknown> {
    const serviceAccountAnnotations = this.annotationsOf(namespace, t.serviceAccountName ?? "default");
    return buildPodSpec(t, { namespace, podName, nodeName, serviceAccountAnnotations, workloadIdentityTenantId: this.opts.workloadIdentityTenantId });
  }

  private pod(namespace: string, name: string, t: PodTemplate, labels: Record<string, string>, owner: { kind: "ReplicaSet" | "DaemonSet"; name: string; uid: string }, nodeName: string): string {
    const hostIpLast = (this.nodes().indexOf(nodeName) + 4) % 250;
    const podIpLast = 10 + (this.podIds.length % 240);
    const metadata = this.meta("Pod", namespace, name, {
      generateName: name.slice(0, name.lastIndexOf("-") + 1),
      labels,
      ...(t.annotations ? { annotations: t.annotations } : {}),
      ownerReferences: [ownerReference(owner.kind, owner.name, owner.uid)],
    });
    this.objects.push(
      podWire(metadata, this.podSpec(t, namespace, name, nodeName), {
        phase: "Running",
        hostIP: `10.${this.clusterName.length}.0.${hostIpLast}`,
        podIP: t.hostNetwork ? `10.${this.clusterName.length}.0.${hostIpLast}` : `10.244.${this.podIds.length % 8}.${podIpLast}`,
        startTime: this.opts.createdAt,
        qosClass: "Burstable",
      }),
    );
    const id = kubeObjectId(this.clusterId, namespace, "pods", name);
    this.podIds.push(id);
    return id;
  }

  /** A Deployment and its running pods (owned by the current ReplicaSet); returns the pod ids. */
  deployment(namespace: string, name: string, replicas: number, t: PodTemplate): Workload {
    const selector = t.selector ?? { app: t.podLabels.app ?? name };
    const metadata = this.meta("Deployment", namespace, name, { labels: t.labels ?? t.podLabels, annotations: { "deployment.kubernetes.io/revision": "3" }, generation: 3 });
    this.objects.push(
      controllerWire(
        "Deployment",
        metadata,
        {
          replicas,
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
          template: { metadata: { labels: t.podLabels, ...(t.annotations ? { annotations: t.annotations } : {}) }, spec: this.podSpec(t, namespace, null) },
        },
        { observedGeneration: 3, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas },
      ),
    );
    const hash = kubeSuffix(`${this.clusterName}/${namespace}/${name}/template`, 10);
    const rs = `${name}-${hash}`;
    const rsUid = this.uid("ReplicaSet", namespace, rs);
    const podIds: string[] = [];
    for (let i = 0; i < replicas; i++) {
      const podName = `${rs}-${kubeSuffix(`${this.clusterName}/${namespace}/${rs}/${i}`, 5)}`;
      podIds.push(this.pod(namespace, podName, t, { ...t.podLabels, "pod-template-hash": hash }, { kind: "ReplicaSet", name: rs, uid: rsUid }, this.nextNode(t.pool)));
    }
    return { workloadId: `${this.clusterId}/namespaces/${namespace}/Deployment/${name}`, podIds };
  }

  /** A DaemonSet with one pod on each node of `t.pool` (every node when no pool is given). */
  daemonSet(namespace: string, name: string, t: PodTemplate): Workload {
    const selector = t.selector ?? { "k8s-app": t.podLabels["k8s-app"] ?? name };
    const uid = this.uid("DaemonSet", namespace, name);
    const nodes = this.nodes(t.pool);
    const hash = kubeSuffix(`${this.clusterName}/${namespace}/${name}/revision`, 10);
    const metadata = this.meta("DaemonSet", namespace, name, { labels: t.labels ?? t.podLabels, annotations: { "deprecated.daemonset.template.generation": "2" }, generation: 2 });
    this.objects.push(
      controllerWire(
        "DaemonSet",
        metadata,
        {
          selector: { matchLabels: selector },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
          template: { metadata: { labels: t.podLabels, ...(t.annotations ? { annotations: t.annotations } : {}) }, spec: this.podSpec(t, namespace, null) },
        },
        { currentNumberScheduled: nodes.length, desiredNumberScheduled: nodes.length, numberReady: nodes.length, numberAvailable: nodes.length, updatedNumberScheduled: nodes.length, observedGeneration: 2 },
      ),
    );
    const podIds = nodes.map((node) =>
      this.pod(namespace, `${name}-${kubeSuffix(`${this.clusterName}/${namespace}/${name}/${node}`, 5)}`, t, { ...t.podLabels, "controller-revision-hash": hash, "pod-template-generation": "2" }, { kind: "DaemonSet", name, uid }, node),
    );
    return { workloadId: `${this.clusterId}/namespaces/${namespace}/DaemonSet/${name}`, podIds };
  }

  /**
   * A Deployment with `replicas` pods that carry only what the scanner reads (labels, owner,
   * service account, node, container image and env). Names must be unique in the cluster:
   * the ReplicaSet hash and pod suffixes derive from the cluster key and the name.
   */
  compactDeployment(namespace: string, name: string, replicas: number, app: CompactApp): Workload {
    if (this.compactNames.has(name)) throw new Error(`${this.clusterName}: compact deployment ${name} exists already (names are unique per cluster)`);
    this.annotationsOf(namespace, app.serviceAccountName);
    const index = this.compactNames.size;
    this.compactNames.add(name);
    const container = { name, image: app.image, resources: { requests: { cpu: "100m", memory: "128Mi" } } };
    this.objects.push(
      controllerWire(
        "Deployment",
        this.meta("Deployment", namespace, name, { labels: app.labels, generation: 1 }),
        { replicas, selector: { matchLabels: { app: app.labels.app ?? name } }, template: { metadata: { labels: app.labels }, spec: { serviceAccountName: app.serviceAccountName, containers: [container] } } },
        { replicas, readyReplicas: replicas, availableReplicas: replicas },
      ),
    );
    const hash = this.guid(`rs:${this.key}:${name}`).replace(/-/g, "").slice(0, 10);
    const rs = `${name}-${hash}`;
    const rsUid = this.guid(`rs-uid:${this.key}:${name}`);
    const nodes = this.nodes();
    const env = envList(app.env);
    const podIds: string[] = [];
    for (let p = 0; p < replicas; p++) {
      const podName = `${rs}-${this.guid(`pod:${this.key}:${name}:${p}`).slice(0, 5)}`;
      const metadata = this.meta("Pod", namespace, podName, { generateName: `${rs}-`, labels: { ...app.labels, "pod-template-hash": hash }, ownerReferences: [ownerReference("ReplicaSet", rs, rsUid)] });
      const spec = { serviceAccountName: app.serviceAccountName, serviceAccount: app.serviceAccountName, nodeName: nodes[p % nodes.length], containers: [{ ...container, env }] };
      this.objects.push(podWire(metadata, spec, { phase: "Running", podIP: `10.244.${p % 250}.${(index % 250) + 1}` }));
      const id = kubeObjectId(this.clusterId, namespace, "pods", podName);
      this.podIds.push(id);
      podIds.push(id);
    }
    return { workloadId: `${this.clusterId}/namespaces/${namespace}/Deployment/${name}`, podIds };
  }

  /** A workload-identity service account: annotated with the identity's client id. */
  workloadIdentityServiceAccount(namespace: string, name: string, clientId: string, labels: Record<string, string> = {}): string {
    return this.serviceAccount(namespace, name, { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: clientId }, labels);
  }

  azureIdentity(namespace: string, name: string, spec: AzureIdentitySpec, annotations?: Record<string, string>): string {
    this.objects.push(azureIdentityWire(this.meta("AzureIdentity", namespace, name, annotations ? { annotations } : {}), spec, { availableReplicas: 0, metadata: {} }));
    return kubeObjectId(this.clusterId, namespace, "azureidentities", name);
  }

  azureIdentityBinding(namespace: string, name: string, azureIdentity: string, selector: string): string {
    this.objects.push(azureIdentityBindingWire(this.meta("AzureIdentityBinding", namespace, name), azureIdentity, selector, { availableReplicas: 0, metadata: {} }));
    return kubeObjectId(this.clusterId, namespace, "azureidentitybindings", name);
  }

  podIdentityException(namespace: string, name: string, podLabels: Record<string, string>): void {
    this.objects.push(podIdentityExceptionWire(this.meta("AzurePodIdentityException", namespace, name), podLabels));
  }
}
