import { describe, expect, it } from "vitest";
import { buildDemo } from "@/fixtures/tenants/demo-scenario";
import { buildInventory } from "@/lib/inventory/build";
import { ALL_CLUSTERS, ALL_SUBSCRIPTIONS, clusterSource, GRAPH_SOURCE, subscriptionSource } from "@/lib/model/coverage";
import type { Finding } from "@/lib/model/findings";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { evaluateRules } from "./evaluate";
import { findingSources, findingSourcesIn } from "./sources";

const SUB = "11111111-1111-1111-1111-111111111111";
const OTHER = "22222222-2222-2222-2222-222222222222";
const AKS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks`;

function finding(parts: Partial<Finding>): Finding {
  return { id: "f", ruleId: "broad-role-on-workload-identity", severity: "high", baseSeverity: "high", title: "t", message: "m", evidence: [], fixes: [], ...parts };
}

describe("findingSources", () => {
  it("names the subscription of every ARM id the finding cites and the cluster of every Kubernetes object", () => {
    const f = finding({
      scope: `/subscriptions/${OTHER}/resourceGroups/data`,
      roleAssignmentId: `/subscriptions/${OTHER}/resourceGroups/data/providers/Microsoft.Authorization/roleAssignments/x`,
      evidence: [{ source: `${AKS}/namespaces/apps/pods/api-1`, fact: "pod runs as it" }],
    });
    expect(findingSources(f)).toEqual([clusterSource(AKS), subscriptionSource(SUB), subscriptionSource(OTHER)].sort());
  });

  it("rests a grant above the subscriptions on all of them, and ignores built-in roles, issuers and principal ids", () => {
    const f = finding({
      scope: "/providers/Microsoft.Management/managementGroups/corp",
      evidence: [
        { source: "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", fact: "Owner" },
        { source: "https://oidc.example/issuer", fact: "issuer" },
        { source: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11", fact: "principal" },
      ],
    });
    expect(findingSources(f)).toEqual([ALL_SUBSCRIPTIONS]);
  });

  it("adds what the rule reads besides: Graph for orphaned assignments, every cluster and subscription for unused identities", () => {
    expect(findingSources(finding({ ruleId: "orphaned-role-assignment" }))).toEqual([GRAPH_SOURCE]);
    expect(findingSources(finding({ ruleId: "unused-identity" }))).toEqual([ALL_CLUSTERS, ALL_SUBSCRIPTIONS].sort());
    expect(findingSources(finding({ ruleId: "federated-credential-dangling", clusterId: AKS }))).toEqual([ALL_CLUSTERS, clusterSource(AKS), subscriptionSource(SUB)].sort());
  });

  it("rests findings about an identity that ARM knows only by app or principal id on Graph, which joins it to its grants", () => {
    const f = finding({ scope: `/subscriptions/${SUB}`, identityKey: "sp-principal" });
    expect(findingSources(f, { resourceId: undefined, systemAssignedTo: undefined })).toContain(GRAPH_SOURCE);
    expect(findingSources(f, { resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id` })).not.toContain(GRAPH_SOURCE);
    expect(findingSources(f, { systemAssignedTo: AKS })).not.toContain(GRAPH_SOURCE);
  });

  it("gives every finding of the demo tenant at least one source; the service-principal cluster's findings rest on Graph", () => {
    const inventory = buildInventory(rawFromTenant(buildDemo().tenant));
    const findings = evaluateRules(inventory);
    const sourcesOf = findingSourcesIn(inventory);
    expect(findings.length).toBeGreaterThan(20);
    for (const f of findings) expect(sourcesOf(f).length, f.id).toBeGreaterThan(0);
    const spCluster = findings.filter((f) => f.identityName === "sp-aks-payments-dev");
    expect(spCluster.length).toBeGreaterThan(0);
    for (const f of spCluster) expect(sourcesOf(f), f.id).toContain(GRAPH_SOURCE);
  });
});
