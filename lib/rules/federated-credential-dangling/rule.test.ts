import { describe, expect, it } from "vitest";
import { clusterId, fic, managedCluster, miPrincipal, serviceAccount, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { run } from "../cluster.testing";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/t/c1/";
const GONE = "https://westeurope.oic.prod-aks.azure.com/t/deleted-cluster/";

function scenario(fics: [string, string, string][], o: { readKube?: boolean } = {}) {
  const id = uai("id-orders-api");
  return {
    id,
    t: tenant({
      resources: [id, managedCluster("aks", { oidcIssuerUrl: ISSUER, workloadIdentity: true })],
      principals: [miPrincipal(id)],
      federatedIdentityCredentials: fics.map(([name, issuer, subject]) => fic(id, name, issuer, subject)),
      ...(o.readKube === false ? {} : { kubernetes: { [clusterId("aks")]: [serviceAccount("orders", "orders-api", id.properties.clientId)] } }),
    }),
  };
}

describe("federated-credential-dangling", () => {
  it("fail-missing-service-account: the subject names a ServiceAccount that does not exist in the issuer's cluster", () => {
    const { t, id } = scenario([["v1", ISSUER, "system:serviceaccount:orders:orders-api-v1"]]);
    const [f, ...rest] = run("federated-credential-dangling", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "federated-credential-dangling", severity: "medium", baseSeverity: "medium", principalId: id.properties.principalId, clusterId: clusterId("aks"), targetIds: [`${id.id}/federatedIdentityCredentials/v1`] });
    expect(f!.message).toContain("orders/orders-api-v1");
    expect(f!.fixes[0]!.steps).toEqual([{ kind: "delete-federated-credential", federatedCredentialId: `${id.id}/federatedIdentityCredentials/v1` }]);
  });

  it("fail-unknown-issuer: an AKS issuer that matches no scanned cluster", () => {
    const [f] = run("federated-credential-dangling", scenario([["old", GONE, "system:serviceaccount:orders:orders-api"]]).t);
    expect(f?.clusterId).toBeUndefined();
    expect(f?.message).toContain("no scanned cluster");
  });

  it("pass-existing-service-account: issuer and ServiceAccount both exist", () => {
    expect(run("federated-credential-dangling", scenario([["ok", ISSUER, "system:serviceaccount:orders:orders-api"]]).t)).toEqual([]);
  });

  it("edge-issuer-trailing-slash: the cluster's issuer without its slash is unusable, not dangling; workload-identity-misconfigured names it", () => {
    const { t } = scenario([["noslash", ISSUER.slice(0, -1), "system:serviceaccount:orders:orders-api"]]);
    expect(run("federated-credential-dangling", t)).toEqual([]);
    const [broken] = run("workload-identity-misconfigured", t);
    expect(broken?.message).toMatch(/no federated credential on id-orders-api trusts system:serviceaccount:orders:orders-api/);
    expect(broken?.evidence.map((e) => e.fact).join("\n")).toMatch(/noslash.*differs .* only by its trailing slash.*AADSTS70021/);
  });

  it("edge-kubernetes-not-read: a missing ServiceAccount on a cluster whose API was not read is unknown, not dangling", () => {
    expect(run("federated-credential-dangling", scenario([["v1", ISSUER, "system:serviceaccount:orders:orders-api-v1"]], { readKube: false }).t)).toEqual([]);
  });

  it("edge-non-kubernetes-issuers: GitHub Actions and non-AKS Kubernetes issuers are not judged", () => {
    const t = scenario([
      ["gh", "https://token.actions.githubusercontent.com", "repo:contoso/payments:environment:prod"],
      ["eks", "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", "system:serviceaccount:orders:orders-api"],
    ]).t;
    expect(run("federated-credential-dangling", t)).toEqual([]);
  });
});
