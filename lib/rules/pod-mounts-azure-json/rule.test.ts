import { describe, expect, it } from "vitest";
import { clusterId, guid, managedCluster, pod, tenant } from "@/lib/inventory/fixtures.testing";
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
