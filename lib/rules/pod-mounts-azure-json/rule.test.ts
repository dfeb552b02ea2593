import { describe, expect, it } from "vitest";
import { clusterId, guid, managedCluster, pod, tenant } from "@/lib/inventory/fixtures.testing";
import { fidelityTenant } from "@/lib/inventory/scan/fidelity.testing";
import { addCsiNodePlugins } from "@/lib/tenant/builder/aks-csi";
import { run } from "../cluster.testing";
import { exposesAzureJson, normalizeHostPath } from "@/lib/rules/shared/host-paths";

function scenario(hostPaths: string[], sp = false) {
  return tenant({
    resources: [managedCluster("aks", sp ? { controlPlane: { servicePrincipal: guid("c") } } : {})],
    kubernetes: { [clusterId("aks")]: [pod("monitoring", "exporter", { hostPaths })] },
  });
}

describe("pod-mounts-azure-json", () => {
  it("fail-file: flags a pod mounting /etc/kubernetes/azure.json", () => {
    const [f, ...rest] = run("pod-mounts-azure-json", scenario(["/etc/kubernetes/azure.json"]));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "pod-mounts-azure-json", severity: "high", baseSeverity: "high", clusterId: clusterId("aks") });
    expect(f!.targetIds?.[0]).toBe(`${clusterId("aks")}/namespaces/monitoring/pods/exporter`);
    expect(f!.fixes[0]!.steps[0]!.kind).toBe("manual");
  });

  it("fail-parent-on-sp-cluster: /etc/kubernetes/ on a service-principal cluster exposes the secret", () => {
    const [f] = run("pod-mounts-azure-json", scenario(["/etc/kubernetes/"], true));
    expect(f?.message).toContain("service principal secret");
    expect(f?.evidence[0]!.fact).toContain("a parent of /etc/kubernetes/azure.json");
  });

  it("pass-other-host-paths: /etc/default/kubelet, /var/log, /etc/machine-id are not azure.json", () => {
    expect(run("pod-mounts-azure-json", scenario(["/etc/default/kubelet", "/var/log", "/etc/machine-id", "/etc/kubernetes/certs"]))).toEqual([]);
  });

  it("edge-normalisation: trailing and doubled slashes, dot segments and the root", () => {
    expect(normalizeHostPath("//etc//kubernetes/./")).toBe("/etc/kubernetes");
    expect(normalizeHostPath("/var/../etc")).toBe("/etc");
    for (const p of ["/", "/etc/", "/etc/kubernetes//", "/etc/kubernetes/azure.json", "/var/../etc/kubernetes"]) expect(exposesAzureJson(p)).toBe(true);
    for (const p of ["/etc/kubernetes/azure.json.bak", "/etcetera", "/etc/kubernetes/manifests"]) expect(exposesAzureJson(p)).toBe(false);
  });
});

describe("pod-mounts-azure-json on AKS's own pods (tenants from lib/tenant/builder)", () => {
  const findingsOn = (build: (t: ReturnType<typeof fidelityTenant>) => void, ruleId = "pod-mounts-azure-json") => {
    const t = fidelityTenant("fabrikam-node-agents");
    build(t);
    return run(ruleId, t.tenant);
  };

  it("pass-aks-csi-node-plugins: the Azure Disk and Azure File CSI DaemonSets AKS runs in kube-system mount /etc/kubernetes/ and are no finding", () => {
    expect(findingsOn((t) => addCsiNodePlugins(t.kube))).toEqual([]);
  });

  it("fail-same-daemonsets-not-aks-managed: without AKS's label, or outside kube-system, each pod is a finding", () => {
    const unlabelled = findingsOn((t) => addCsiNodePlugins(t.kube, { managed: false }));
    expect(unlabelled).toHaveLength(4); // two drivers × two nodes
    expect(unlabelled[0]!.evidence[0]!.fact).toContain("mounts hostPath /etc/kubernetes/ as volume azure-cred");
    const elsewhere = findingsOn((t) => {
      t.kube.namespace("storage");
      addCsiNodePlugins(t.kube, { namespace: "storage" });
    });
    expect(elsewhere).toHaveLength(4);
  });

  it("edge-mic: aad-pod-identity's MIC reads azure.json by design: no pod-mounts finding, and pod-identity-deprecated names it", () => {
    const withMic = (t: ReturnType<typeof fidelityTenant>) => {
      t.kube.serviceAccount("kube-system", "aad-pod-identity-mic");
      t.kube.deployment("kube-system", "aad-pod-identity-mic", 1, {
        podLabels: { "app.kubernetes.io/component": "mic" },
        serviceAccountName: "aad-pod-identity-mic",
        pool: "system",
        volumes: [{ name: "k8s-azure-file", hostPath: { path: "/etc/kubernetes/azure.json" } }],
        containers: [{ name: "mic", image: "mcr.microsoft.com/oss/azure/aad-pod-identity/mic:v1.8.17", volumeMounts: [{ name: "k8s-azure-file", mountPath: "/etc/kubernetes/azure.json", readOnly: true }] }],
      });
      t.kube.azureIdentity("shop", "api", { type: 0, resourceID: t.app.resourceId, clientID: t.app.clientId });
    };
    expect(findingsOn(withMic)).toEqual([]);
    const [deprecated] = findingsOn(withMic, "pod-identity-deprecated");
    expect(deprecated!.evidence.map((e) => e.fact)).toContainEqual(expect.stringMatching(/^MIC pod kube-system\/aad-pod-identity-mic-.* mounts the node's azure\.json/));
  });
});
