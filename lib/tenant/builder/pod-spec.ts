import { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION, WORKLOAD_IDENTITY_USE_LABEL } from "@/lib/model/kubernetes";
import { kubeSuffix } from "./ids";
import { WORKLOAD_IDENTITY_AUDIENCE } from "./identities";
import { envList } from "./kube-objects";

/** A pod spec as a realistic cluster returns it: defaults filled in, mutated by the workload-identity webhook. */

export interface ContainerSpec {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: Record<string, string>;
  /** Env vars filled from the downward API: name → fieldPath. */
  fieldEnv?: Record<string, string>;
  /** Env vars filled from a ConfigMap or Secret key (`valueFrom.configMapKeyRef` / `secretKeyRef`). */
  refEnv?: Record<string, { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef }>;
  /** Every key of these ConfigMaps or Secrets as env vars. */
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string }; prefix?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; mountPropagation?: string }[];
  ports?: number[];
  securityContext?: Record<string, unknown>;
}

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface VolumeSpec {
  name: string;
  hostPath?: { path: string; type?: string };
  secret?: { secretName: string };
  configMap?: { name: string };
  emptyDir?: Record<string, never>;
  csi?: Record<string, unknown>;
}

export interface PodTemplate {
  /** Labels on the controller itself; defaults to the pod labels. */
  labels?: Record<string, string>;
  podLabels: Record<string, string>;
  /** matchLabels of the selector; defaults to `{ app: podLabels.app }`. */
  selector?: Record<string, string>;
  annotations?: Record<string, string>;
  serviceAccountName?: string;
  containers: ContainerSpec[];
  volumes?: VolumeSpec[];
  hostNetwork?: boolean;
  priorityClassName?: string;
  /** Which node pool the pods run on (round-robin over its nodes). */
  pool?: string;
  tolerations?: Record<string, unknown>[];
}

export interface PodSpecContext {
  namespace: string;
  /** null for a controller's pod template (not yet mutated, no API access volume). */
  podName: string | null;
  nodeName?: string;
  /** The service account's annotations (the webhook reads the client id there). */
  serviceAccountAnnotations: Record<string, string>;
  /** Set when the cluster runs the workload-identity webhook: the tenant it injects by default. */
  workloadIdentityTenantId?: string;
}

const SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
const AZURE_TOKEN_DIR = "/var/run/secrets/azure/tokens";

/** The variables the azure-workload-identity webhook injects into each container. */
export function workloadIdentityEnv(clientId: string, tenantId: string): Record<string, string> {
  return {
    AZURE_CLIENT_ID: clientId,
    AZURE_TENANT_ID: tenantId,
    AZURE_FEDERATED_TOKEN_FILE: `${AZURE_TOKEN_DIR}/azure-identity-token`,
    AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
  };
}

export function buildPodSpec(t: PodTemplate, c: PodSpecContext): Record<string, unknown> {
  const sa = t.serviceAccountName ?? "default";
  const saAnnotations = c.serviceAccountAnnotations;
  // The azure-workload-identity webhook mutates only pods labelled use=true whose service
  // account carries a client-id: it injects these variables and the projected token volume.
  const wi =
    c.podName !== null && c.workloadIdentityTenantId !== undefined && t.podLabels[WORKLOAD_IDENTITY_USE_LABEL] === "true" && saAnnotations[WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION] !== undefined;
  const wiEnv = wi ? workloadIdentityEnv(saAnnotations[WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]!, saAnnotations["azure.workload.identity/tenant-id"] ?? c.workloadIdentityTenantId!) : {};
  const apiAccess = c.podName !== null ? `kube-api-access-${kubeSuffix(`${c.namespace}/${c.podName}`, 5)}` : undefined;
  const containers = t.containers.map((ct) => {
    const env: Record<string, unknown>[] = [
      ...envList(ct.env ?? {}),
      ...Object.entries(ct.refEnv ?? {}).map(([name, valueFrom]) => ({ name, valueFrom })),
      ...Object.entries(ct.fieldEnv ?? {}).map(([name, fieldPath]) => ({ name, valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } } })),
      ...envList(wiEnv),
    ];
    const mounts = [
      ...(ct.volumeMounts ?? []),
      ...(wi ? [{ name: "azure-identity-token", mountPath: AZURE_TOKEN_DIR, readOnly: true }] : []),
      ...(apiAccess ? [{ name: apiAccess, mountPath: SERVICE_ACCOUNT_MOUNT, readOnly: true }] : []),
    ];
    return {
      name: ct.name,
      image: ct.image,
      ...(ct.command ? { command: ct.command } : {}),
      ...(ct.args ? { args: ct.args } : {}),
      ...(ct.ports ? { ports: ct.ports.map((p) => ({ containerPort: p, protocol: "TCP" })) } : {}),
      ...(env.length ? { env } : {}),
      ...(ct.envFrom ? { envFrom: ct.envFrom } : {}),
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
      ...(mounts.length ? { volumeMounts: mounts } : {}),
      ...(ct.securityContext ? { securityContext: ct.securityContext } : {}),
      imagePullPolicy: "IfNotPresent",
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
    };
  });
  const volumes: Record<string, unknown>[] = [
    ...(t.volumes ?? []).map((v) => ({ ...v })),
    ...(wi
      ? [
          {
            name: "azure-identity-token",
            projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience: WORKLOAD_IDENTITY_AUDIENCE, expirationSeconds: 3600, path: "azure-identity-token" } }] },
          },
        ]
      : []),
    ...(apiAccess
      ? [
          {
            name: apiAccess,
            projected: {
              defaultMode: 420,
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
                { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
              ],
            },
          },
        ]
      : []),
  ];
  return {
    serviceAccountName: sa,
    serviceAccount: sa,
    ...(c.nodeName ? { nodeName: c.nodeName } : {}),
    ...(t.hostNetwork ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : { dnsPolicy: "ClusterFirst" }),
    ...(t.priorityClassName ? { priorityClassName: t.priorityClassName } : {}),
    containers,
    ...(volumes.length ? { volumes } : {}),
    restartPolicy: "Always",
    schedulerName: "default-scheduler",
    terminationGracePeriodSeconds: 30,
    nodeSelector: { "kubernetes.io/os": "linux" },
    ...(t.tolerations ? { tolerations: t.tolerations } : {}),
  };
}
