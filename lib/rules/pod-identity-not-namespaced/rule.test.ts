import { describe, expect, it } from "vitest";
import { azureIdentity, azureIdentityBinding, clusterId, controller, deploymentWithPods, managedCluster, miPrincipal, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

function scenario(o: { namespacedBehavior?: boolean; micArgs?: string[]; canary?: boolean } = {}) {
  const id = uai("id-receipts");
  return {
    id,
    t: tenant({
      resources: [id, managedCluster("aks")],
      principals: [miPrincipal(id)],
      kubernetes: {
        [clusterId("aks")]: [
          controller("Deployment", "kube-system", "mic", { args: o.micArgs ?? ["--logtostderr"], containerName: "mic" }),
          azureIdentity("payments", "receipts-reader", id, { namespacedBehavior: o.namespacedBehavior }),
          azureIdentityBinding("payments", "receipts-binding", "receipts-reader", "receipts-api"),
          ...deploymentWithPods("payments", "receipts-api", 1, { labels: { app: "receipts-api", aadpodidbinding: "receipts-api" } }),
          ...(o.canary === false ? [] : deploymentWithPods("payments-canary", "receipts-api", 1, { labels: { app: "receipts-api", aadpodidbinding: "receipts-api" } })),
        ],
      },
    }),
  };
}

describe("pod-identity-not-namespaced", () => {
  it("fail-cross-namespace-pod: flags the AzureIdentity whose selector is carried by a pod in another namespace", () => {
    const { t, id } = scenario();
    const [f, ...rest] = run("pod-identity-not-namespaced", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "pod-identity-not-namespaced", severity: "medium", baseSeverity: "medium", principalId: id.properties.principalId, identityName: "id-receipts" });
    expect(f!.targetIds?.[0]).toBe(`${clusterId("aks")}/namespaces/payments/azureidentities/receipts-reader`);
    expect(f!.targetIds?.[1]).toMatch(/\/namespaces\/payments-canary\/pods\/receipts-api-/);
    expect(f!.message).toContain("payments-canary");
    expect(stepsOf(f!, "kubernetes-apply")[0]!.manifest).toEqual({
      apiVersion: "aadpodidentity.k8s.io/v1",
      kind: "AzureIdentity",
      metadata: { name: "receipts-reader", namespace: "payments", annotations: { "aadpodidentity.k8s.io/Behavior": "namespaced" } },
    });
    expectNoPlaceholders(f!);
  });

  it("pass-behavior-annotation: the namespaced annotation protects it", () => {
    expect(run("pod-identity-not-namespaced", scenario({ namespacedBehavior: true }).t)).toEqual([]);
  });

  it("pass-force-namespaced: MIC with --forceNamespaced=true protects every identity", () => {
    expect(run("pod-identity-not-namespaced", scenario({ micArgs: ["--forceNamespaced=true"] }).t)).toEqual([]);
  });

  it("edge-force-namespaced-false: --forceNamespaced=false does not protect", () => {
    expect(run("pod-identity-not-namespaced", scenario({ micArgs: ["--forceNamespaced=false"] }).t)).toHaveLength(1);
  });

  it("pass-same-namespace-only: the selector used only in its own namespace is not flagged", () => {
    expect(run("pod-identity-not-namespaced", scenario({ canary: false }).t)).toEqual([]);
  });
});
