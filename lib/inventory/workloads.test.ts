import { describe, expect, it } from "vitest";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { buildInventory } from "./build";
import { clusterId, controller, deploymentWithPods, managedCluster, pod, tenant } from "./fixtures.testing";

const C = clusterId("aks");
const build = (objects: Parameters<typeof rawFromTenant>[0]["kubernetes"]) =>
  buildInventory(rawFromTenant(tenant({ resources: [managedCluster("aks", { controlPlane: "system" })], kubernetes: objects })));

describe("buildWorkloads", () => {
  it("groups a Deployment's pods through their ReplicaSet, dropping per-pod labels", () => {
    const inv = build({ [C]: deploymentWithPods("shop", "api", 3, { labels: { "app.kubernetes.io/name": "shop-api", app: "api" }, serviceAccountName: "api" }) });
    expect(inv.workloads).toHaveLength(1);
    const w = inv.workloads[0]!;
    expect(w).toMatchObject({ id: `${C}/namespaces/shop/Deployment/api`, kind: "Deployment", name: "api", serviceAccountName: "api", app: "shop-api" });
    expect(w.podIds).toHaveLength(3);
    expect(w.labels["pod-template-hash"]).toBeUndefined();
  });

  it("keeps a ReplicaSet as the workload when no Deployment of that name exists", () => {
    const inv = build({ [C]: [pod("shop", "orphan-5f6d7-x1", { labels: { "pod-template-hash": "5f6d7" }, owner: { kind: "ReplicaSet", name: "orphan-5f6d7" } })] });
    expect(inv.workloads[0]).toMatchObject({ kind: "ReplicaSet", name: "orphan-5f6d7" });
  });

  it("groups DaemonSet pods directly and makes a bare pod its own workload with the app label", () => {
    const inv = build({
      [C]: [
        controller("DaemonSet", "kube-system", "nmi", { labels: { "app.kubernetes.io/name": "nmi" } }),
        pod("kube-system", "nmi-a", { owner: { kind: "DaemonSet", name: "nmi" }, labels: { "controller-revision-hash": "1", "app.kubernetes.io/name": "nmi" } }),
        pod("kube-system", "nmi-b", { owner: { kind: "DaemonSet", name: "nmi" }, labels: { "controller-revision-hash": "1", "app.kubernetes.io/name": "nmi" } }),
        pod("default", "debug", { labels: { app: "toolbox" } }),
      ],
    });
    const ds = inv.workloads.find((w) => w.kind === "DaemonSet")!;
    expect(ds.podIds).toEqual([`${C}/namespaces/kube-system/pods/nmi-a`, `${C}/namespaces/kube-system/pods/nmi-b`]);
    expect(ds.labels).toEqual({ "app.kubernetes.io/name": "nmi" });
    const bare = inv.workloads.find((w) => w.kind === "Pod")!;
    expect(bare).toMatchObject({ name: "debug", app: "toolbox", serviceAccountName: "default", podIds: [`${C}/namespaces/default/pods/debug`] });
    expect(inv.workloads).toHaveLength(2);
  });

  it("lists a controller with no pods as a workload labelled from its template", () => {
    const inv = build({ [C]: [controller("StatefulSet", "data", "db", { labels: { app: "db" }, serviceAccountName: "db" })] });
    expect(inv.workloads).toEqual([expect.objectContaining({ kind: "StatefulSet", name: "db", podIds: [], app: "db", serviceAccountName: "db" })]);
  });

  it("groups Job pods under the Job", () => {
    const inv = build({ [C]: [pod("batch", "migrate-x", { owner: { kind: "Job", name: "migrate" }, labels: { "job-name": "migrate" } })] });
    expect(inv.workloads[0]).toMatchObject({ kind: "Job", name: "migrate", labels: {} });
  });
});
