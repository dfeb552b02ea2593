import { describe, expect, it } from "vitest";
import { normalizeId } from "@/lib/model/scope";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { buildInventory } from "./build";
import { indexInventory, serviceAccountKey } from "./indexes";
import { azureIdentity, azureIdentityBinding, clusterId, deploymentWithPods, fic, managedCluster, miPrincipal, RG_ID, ROLE, roleAssignment, serviceAccount, SUB, tenant, uai } from "./fixtures.testing";

describe("indexInventory", () => {
  it("looks up clusters, identities, assignments, links and pods case-insensitively", () => {
    const kubelet = uai("aks-agentpool");
    const app = uai("id-orders");
    const C = clusterId("aks");
    const t = tenant({
      resources: [kubelet, app, managedCluster("aks", { controlPlane: "system", kubelet })],
      principals: [miPrincipal(kubelet), miPrincipal(app)],
      federatedIdentityCredentials: [fic(app, "f", "https://issuer/", "system:serviceaccount:orders:api")],
      roleAssignments: [roleAssignment(RG_ID, ROLE.AcrPull, kubelet.properties.principalId), roleAssignment(RG_ID, ROLE.Reader, app.properties.principalId)],
      kubernetes: {
        [C]: [
          azureIdentity("orders", "orders-id", app),
          azureIdentityBinding("orders", "b", "orders-id", "orders"),
          serviceAccount("orders", "api"),
          ...deploymentWithPods("orders", "api", 2, { labels: { aadpodidbinding: "orders" }, serviceAccountName: "api" }),
        ],
      },
    });
    const inv = buildInventory(rawFromTenant(t));
    const idx = indexInventory(inv);
    const up = (s: string) => normalizeId(s.toUpperCase());

    expect(idx.clusterById.get(up(C))?.name).toBe("aks");
    expect(idx.clusterByNodeResourceGroup.get(up(`/subscriptions/${SUB}/resourceGroups/MC_rg-aks_aks_westeurope`))?.name).toBe("aks");
    expect(idx.identityByResourceId.get(up(kubelet.id))?.kind).toBe("kubelet");
    expect(idx.identityByPrincipalId.get(up(app.properties.principalId))?.kind).toBe("app");
    expect(idx.assignmentsByPrincipal.get(up(kubelet.properties.principalId))?.map((a) => a.roleName)).toEqual(["AcrPull"]);
    expect(idx.assignmentsByScope.get(up(RG_ID))).toHaveLength(2);
    expect(idx.roleDefinitionByGuid.get(ROLE.Owner)?.roleName).toBe("Owner");
    expect(idx.resourcesByType.get("microsoft.managedidentity/userassignedidentities")).toHaveLength(2);
    expect(idx.subscriptionById.get(SUB)?.displayName).toBe("prod");
    expect(idx.subscriptionById.get(normalizeId(`/subscriptions/${SUB}`))?.displayName).toBe("prod");
    expect(idx.federatedCredentialsByIdentity.get(up(app.id))).toHaveLength(1);

    const w = idx.workloadsByCluster.get(up(C))![0]!;
    expect(idx.linksByWorkload.get(normalizeId(w.id))?.[0]?.mechanism).toBe("aad-pod-identity");
    expect(idx.linksByIdentity.get(normalizeId(app.properties.principalId))).toHaveLength(1);
    expect(idx.workloadByPodId.get(normalizeId(w.podIds[0]!))?.id).toBe(w.id);
    expect(idx.podsById.get(normalizeId(w.podIds[1]!))?.namespace).toBe("orders");
    expect(idx.serviceAccountByKey.get(serviceAccountKey(C.toUpperCase(), "orders", "api"))?.name).toBe("api");
    expect(idx.kubernetesRead.has(up(C))).toBe(true);
  });
});
