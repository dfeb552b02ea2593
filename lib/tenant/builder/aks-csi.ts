import { AKS_MANAGED_BY_LABEL } from "@/lib/model/kubernetes";
import type { ClusterKube, Workload } from "./cluster-kube";
import type { ContainerSpec, PodTemplate, VolumeSpec } from "./pod-spec";

/**
 * The Azure Disk and Azure File CSI node plugins AKS runs on every node (`storageProfile`
 * diskCSIDriver / fileCSIDriver, on by default): DaemonSets in kube-system whose driver
 * container mounts the node's /etc/kubernetes to read the cloud config (azure.json).
 *
 * Containers, volumes, mounts, env and labels follow the upstream manifests
 * kubernetes-sigs/azuredisk-csi-driver `deploy/csi-azuredisk-node.yaml` (commit
 * 02e6381d8654edb69320e1b6b019383427aae069) and kubernetes-sigs/azurefile-csi-driver
 * `deploy/csi-azurefile-node.yaml` (commit 00c244bee382f252a0efb833ec7b29ac8eabebeb); AKS
 * adds its `kubernetes.azure.com/managedby: aks` label and pins its own image builds.
 */

interface Driver {
  name: "azuredisk" | "azurefile";
  csiName: string;
  image: string;
  healthPort: number;
  metricsPort: number;
  /** azuredisk also mounts the SCSI device trees. */
  extraMounts: { name: string; mountPath: string; hostPath: string }[];
}

const DRIVERS: readonly Driver[] = [
  {
    name: "azuredisk",
    csiName: "disk.csi.azure.com",
    image: "mcr.microsoft.com/oss/v2/kubernetes-csi/azuredisk-csi:v1.31.5",
    healthPort: 29603,
    metricsPort: 29605,
    extraMounts: [
      { name: "sys-devices-dir", mountPath: "/sys/bus/scsi/devices", hostPath: "/sys/bus/scsi/devices" },
      { name: "scsi-host-dir", mountPath: "/sys/class/scsi_host/", hostPath: "/sys/class/scsi_host/" },
    ],
  },
  { name: "azurefile", csiName: "file.csi.azure.com", image: "mcr.microsoft.com/oss/v2/kubernetes-csi/azurefile-csi:v1.31.3", healthPort: 29613, metricsPort: 29615, extraMounts: [] },
];

function nodePlugin(d: Driver, managed: boolean): PodTemplate {
  const app = `csi-${d.name}-node`;
  const volumes: VolumeSpec[] = [
    { name: "socket-dir", hostPath: { path: `/var/lib/kubelet/plugins/${d.csiName}`, type: "DirectoryOrCreate" } },
    { name: "mountpoint-dir", hostPath: { path: "/var/lib/kubelet/", type: "DirectoryOrCreate" } },
    { name: "registration-dir", hostPath: { path: "/var/lib/kubelet/plugins_registry/", type: "DirectoryOrCreate" } },
    { name: "azure-cred", hostPath: { path: "/etc/kubernetes/", type: d.name === "azuredisk" ? "Directory" : "DirectoryOrCreate" } },
    { name: "msi", hostPath: { path: "/var/lib/waagent/ManagedIdentity-Settings" } },
    { name: "device-dir", hostPath: { path: "/dev", type: "Directory" } },
    ...d.extraMounts.map((m) => ({ name: m.name, hostPath: { path: m.hostPath, type: "Directory" } })),
  ];
  const containers: ContainerSpec[] = [
    { name: "liveness-probe", image: "mcr.microsoft.com/oss/v2/kubernetes-csi/livenessprobe:v2.14.0", args: ["--csi-address=/csi/csi.sock", "--probe-timeout=3s", `--health-port=${d.healthPort}`, "--v=2"], volumeMounts: [{ name: "socket-dir", mountPath: "/csi" }] },
    {
      name: "node-driver-registrar",
      image: "mcr.microsoft.com/oss/v2/kubernetes-csi/csi-node-driver-registrar:v2.12.0",
      args: ["--csi-address=$(ADDRESS)", "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)", "--v=2"],
      env: { ADDRESS: "/csi/csi.sock", DRIVER_REG_SOCK_PATH: `/var/lib/kubelet/plugins/${d.csiName}/csi.sock` },
      volumeMounts: [{ name: "socket-dir", mountPath: "/csi" }, { name: "registration-dir", mountPath: "/registration" }],
    },
    {
      name: d.name,
      image: d.image,
      args: ["--v=5", "--endpoint=$(CSI_ENDPOINT)", "--nodeid=$(KUBE_NODE_NAME)", `--metrics-address=0.0.0.0:${d.metricsPort}`],
      env: { CSI_ENDPOINT: "unix:///csi/csi.sock" },
      refEnv: { AZURE_CREDENTIAL_FILE: { configMapKeyRef: { name: "azure-cred-file", key: "path", optional: true } } },
      fieldEnv: { KUBE_NODE_NAME: "spec.nodeName" },
      ports: [d.healthPort],
      securityContext: { privileged: true },
      volumeMounts: [
        { name: "socket-dir", mountPath: "/csi" },
        { name: "mountpoint-dir", mountPath: "/var/lib/kubelet/", mountPropagation: "Bidirectional" },
        { name: "azure-cred", mountPath: "/etc/kubernetes/" },
        { name: "msi", mountPath: "/var/lib/waagent/ManagedIdentity-Settings", readOnly: true },
        { name: "device-dir", mountPath: "/dev" },
        ...d.extraMounts.map((m) => ({ name: m.name, mountPath: m.mountPath })),
      ],
    },
  ];
  const labels = { app, ...(managed ? { [AKS_MANAGED_BY_LABEL]: "aks" } : {}) };
  return {
    labels,
    podLabels: labels,
    selector: { app },
    serviceAccountName: `csi-${d.name}-node-sa`,
    hostNetwork: true,
    priorityClassName: "system-node-critical",
    tolerations: [{ operator: "Exists" }],
    volumes,
    containers,
  };
}

/**
 * The two CSI node plugin DaemonSets with one pod per node, in kube-system. `managed: false`
 * writes the same DaemonSets without AKS's label, as a self-installed copy would be.
 */
export function addCsiNodePlugins(k: ClusterKube, opts: { managed?: boolean; namespace?: string } = {}): Workload[] {
  const namespace = opts.namespace ?? "kube-system";
  return DRIVERS.map((d) => {
    k.serviceAccount(namespace, `csi-${d.name}-node-sa`);
    return k.daemonSet(namespace, `csi-${d.name}-node`, nodePlugin(d, opts.managed ?? true));
  });
}
