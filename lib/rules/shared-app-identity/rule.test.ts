import { describe, expect, it } from "vitest";
import { clusterId, deploymentWithPods, fic, managedCluster, miPrincipal, serviceAccount, tenant, uai, azureIdentity, azureIdentityBinding } from "@/lib/inventory/fixtures.testing";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/t/c1/";

function wiTenant(apps: { ns: string; name: string; app: string }[]) {
  const shared = uai("id-shared");
  const k8s = apps.flatMap(({ ns, name, app }) => [
    serviceAccount(ns, name, shared.properties.clientId),
    ...deploymentWithPods(ns, name, 1, { labels: { "app.kubernetes.io/name": app, "azure.workload.identity/use": "true" }, serviceAccountName: name }),
  ]);
  return {
    shared,
    t: tenant({
      resources: [shared, managedCluster("aks", { oidcIssuerUrl: ISSUER, workloadIdentity: true })],
      principals: [miPrincipal(shared)],
      federatedIdentityCredentials: apps.map(({ ns, name }) => fic(shared, `aks-${ns}-${name}`, ISSUER, `system:serviceaccount:${ns}:${name}`)),
      kubernetes: { [clusterId("aks")]: k8s },
    }),
  };
}

describe("shared-app-identity", () => {
  it("fail-two-namespaces: flags federated credentials in two namespaces used by two apps, and splits the second app off", () => {
    const { t, shared } = wiTenant([
      { ns: "orders", name: "orders-worker", app: "orders-worker" },
      { ns: "fulfillment", name: "fulfillment-worker", app: "fulfillment-worker" },
    ]);
    const [f, ...rest] = run("shared-app-identity", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "shared-app-identity", severity: "medium", baseSeverity: "medium", principalId: shared.properties.principalId, identityName: "id-shared" });
    expect(f!.targetIds?.[0]).toBe(shared.id);
    expect(f!.message).toContain("2 namespaces (fulfillment, orders)");
    expect(f!.evidence.filter((e) => e.source.includes("/federatedIdentityCredentials/"))).toHaveLength(2);
    // fulfillment-worker sorts first and keeps the identity; orders-worker moves.
    expect(stepsOf(f!, "create-managed-identity")[0]!.name).toBe("id-shared-orders-worker");
    expect(stepsOf(f!, "create-federated-credential")[0]).toMatchObject({ subject: "system:serviceaccount:orders:orders-worker", issuer: ISSUER });
    expect(stepsOf(f!, "delete-federated-credential")[0]!.federatedCredentialId).toBe(`${shared.id}/federatedIdentityCredentials/aks-orders-orders-worker`);
    expectNoPlaceholders(f!);
  });

  it("fail-two-apps-one-namespace: two distinct app labels in one namespace", () => {
    const { t } = wiTenant([
      { ns: "shop", name: "cart", app: "cart" },
      { ns: "shop", name: "billing", app: "billing" },
    ]);
    const [f] = run("shared-app-identity", t);
    expect(f?.message).toContain("2 applications (billing, cart)");
  });

  it("pass-one-app: two workloads with the same app label in one namespace share it legitimately", () => {
    const { t } = wiTenant([
      { ns: "checkout", name: "checkout-web", app: "checkout" },
      { ns: "checkout", name: "checkout-worker", app: "checkout" },
    ]);
    expect(run("shared-app-identity", t)).toEqual([]);
  });

  it("edge-cross-namespace-pods-one-binding: pods of one app in two namespaces through one binding are not shared", () => {
    const id = uai("id-receipts");
    const t = tenant({
      resources: [id, managedCluster("aks")],
      principals: [miPrincipal(id)],
      kubernetes: {
        [clusterId("aks")]: [
          azureIdentity("payments", "receipts", id),
          azureIdentityBinding("payments", "receipts-binding", "receipts", "receipts-api"),
          ...deploymentWithPods("payments", "receipts-api", 1, { labels: { app: "receipts-api", aadpodidbinding: "receipts-api" } }),
          ...deploymentWithPods("payments-canary", "receipts-api", 1, { labels: { app: "receipts-api", aadpodidbinding: "receipts-api" } }),
        ],
      },
    });
    expect(run("shared-app-identity", t)).toEqual([]);
  });
});
