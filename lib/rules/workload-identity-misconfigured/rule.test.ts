import { describe, expect, it } from "vitest";
import { clusterId, deploymentWithPods, fic, managedCluster, miPrincipal, serviceAccount, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { azCommandLine } from "@/lib/remediation/render/quote";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/t/c1/";

function scenario(o: { fic?: boolean; label?: boolean; enabled?: boolean } = {}) {
  const id = uai("id-invoices");
  const { fic: withFic = true, label = true, enabled = true } = o;
  return {
    id,
    t: tenant({
      resources: [id, enabled ? managedCluster("aks", { oidcIssuerUrl: ISSUER, workloadIdentity: true }) : managedCluster("aks")],
      principals: [miPrincipal(id)],
      federatedIdentityCredentials: withFic ? [fic(id, "aks-orders-invoices", ISSUER, "system:serviceaccount:orders:invoices")] : [],
      kubernetes: {
        [clusterId("aks")]: [
          serviceAccount("orders", "invoices", id.properties.clientId),
          ...deploymentWithPods("orders", "invoice-renderer", 2, { labels: { app: "invoices", ...(label ? { "azure.workload.identity/use": "true" } : {}) }, serviceAccountName: "invoices" }),
        ],
      },
    }),
  };
}

const SA_ID = `${clusterId("aks")}/namespaces/orders/serviceaccounts/invoices`;

describe("workload-identity-misconfigured", () => {
  it("fail-missing-label: pods using the annotated ServiceAccount lack azure.workload.identity/use", () => {
    const { t, id } = scenario({ label: false });
    const [f, ...rest] = run("workload-identity-misconfigured", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "workload-identity-misconfigured", severity: "low", baseSeverity: "low", principalId: id.properties.principalId, clusterId: clusterId("aks") });
    expect(f!.targetIds?.[0]).toBe(SA_ID);
    expect(f!.targetIds).toHaveLength(3);
    expect(f!.message).toContain("2 of 2 pod(s)");
    expect(stepsOf(f!, "kubernetes-apply")[0]!.manifest).toMatchObject({ kind: "Deployment", metadata: { name: "invoice-renderer" } });
    expectNoPlaceholders(f!);
  });

  it("fail-missing-credential: no federated credential for the cluster issuer and subject", () => {
    const { t, id } = scenario({ fic: false });
    const [f] = run("workload-identity-misconfigured", t);
    expect(f?.message).toContain("no federated credential on id-invoices");
    expect(stepsOf(f!, "create-federated-credential")).toEqual([
      { kind: "create-federated-credential", identityId: id.id, name: "aks-orders-invoices", issuer: ISSUER, subject: "system:serviceaccount:orders:invoices", audiences: ["api://AzureADTokenExchange"] },
    ]);
  });

  it("fail-feature-disabled: OIDC issuer and workload identity off on the cluster", () => {
    const [f] = run("workload-identity-misconfigured", scenario({ enabled: false }).t);
    expect(f?.message).toContain("the OIDC issuer and workload identity are disabled");
    expect(azCommandLine(stepsOf(f!, "az-command")[0]!.args)).toContain("--enable-oidc-issuer --enable-workload-identity");
  });

  it("pass-complete: annotation, credential and labels in place", () => {
    expect(run("workload-identity-misconfigured", scenario().t)).toEqual([]);
  });
});
