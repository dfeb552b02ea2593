import { describe, expect, it } from "vitest";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import type { KubeWireObject } from "@/lib/tenant/types";
import { buildInventory } from "./build";
import { indexInventory } from "./indexes";
import { azureIdentity, azureIdentityBinding, clusterId, deploymentWithPods, fic, managedCluster, miPrincipal, RG_ID, ROLE, roleAssignment, serviceAccount, tenant, uai } from "./fixtures.testing";

const ISSUER = "https://issuer.example/aks/";

describe("buildInventory at scale", () => {
  it("builds 100k role assignments and 20k pods in linear time", () => {
    const identities = Array.from({ length: 2000 }, (_, i) => uai(`id-${i}`));
    const roles = [ROLE.Reader, ROLE.AcrPull, ROLE.Contributor];
    const assignments = Array.from({ length: 100_000 }, (_, i) => roleAssignment(`${RG_ID}-${i % 500}`, roles[i % 3]!, identities[i % identities.length]!.properties.principalId));
    const objects: KubeWireObject[] = [];
    const fics = [];
    for (let d = 0; d < 2000; d++) {
      const ns = `ns-${d % 100}`;
      const id = identities[d]!;
      if (d % 2 === 0) {
        objects.push(azureIdentity(ns, `ai-${d}`, id), azureIdentityBinding(ns, `b-${d}`, `ai-${d}`, `sel-${d}`));
        objects.push(...deploymentWithPods(ns, `app-${d}`, 10, { labels: { aadpodidbinding: `sel-${d}`, app: `app-${d}` } }));
      } else {
        objects.push(serviceAccount(ns, `sa-${d}`, id.properties.clientId));
        fics.push(fic(id, `f-${d}`, ISSUER, `system:serviceaccount:${ns}:sa-${d}`));
        objects.push(...deploymentWithPods(ns, `app-${d}`, 10, { serviceAccountName: `sa-${d}`, labels: { "azure.workload.identity/use": "true" } }));
      }
    }
    const t = tenant({
      resources: [...identities, managedCluster("aks", { controlPlane: "system", oidcIssuerUrl: ISSUER, workloadIdentity: true })],
      principals: identities.map(miPrincipal),
      roleAssignments: assignments,
      federatedIdentityCredentials: fics,
      kubernetes: { [clusterId("aks")]: objects },
    });

    const start = performance.now();
    const inv = buildInventory(rawFromTenant(t));
    const idx = indexInventory(inv);
    const ms = performance.now() - start;

    expect(inv.errors).toEqual([]);
    expect(inv.roleAssignments).toHaveLength(100_000);
    expect(inv.kubernetes.pods).toHaveLength(20_000);
    expect(inv.workloads).toHaveLength(2000);
    expect(inv.links).toHaveLength(2000);
    expect(inv.links.every((l) => l.complete)).toBe(true);
    expect(idx.assignmentsByPrincipal.size).toBe(2000);
    // Quadratic matching (pods × bindings, assignments × principals) would take minutes here;
    // linear work takes a few seconds even on a busy 2-core CI box.
    expect(ms).toBeLessThan(20_000);
  }, 90_000);
});
