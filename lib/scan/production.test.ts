import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import type { Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { DEMO_ENV } from "@/lib/testing/demo-env";
import { productionClusterOf, productionRuleOf } from "./production";

const cluster = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`;
const inventory = {
  clusters: [{ id: cluster("aks-prod"), name: "aks-prod" }, { id: cluster("aks-dev"), name: "aks-dev" }, { id: cluster("aks-edge"), name: "aks-edge" }],
  resources: [
    { id: cluster("aks-prod"), tags: { Environment: "Production" } },
    { id: cluster("aks-dev"), tags: { environment: "dev" } },
    { id: cluster("aks-edge"), tags: { environment: "prod" } },
  ],
} as unknown as Inventory;
const finding = (clusterId?: string) => ({ id: "f", clusterId }) as Finding;
const plan = (steps: FixPlan["steps"] = []): FixPlan => ({ id: "p", summary: "s", steps });

describe("production clusters", () => {
  it("are tagged environment=production by default, tag keys and values compared without case", () => {
    const rule = productionRuleOf(parseEnv(DEMO_ENV));
    expect(productionClusterOf(finding(cluster("aks-prod")), plan(), inventory, rule)).toBe("aks-prod");
    expect(productionClusterOf(finding(cluster("aks-dev")), plan(), inventory, rule)).toBeUndefined();
    expect(productionClusterOf(finding(cluster("aks-edge")), plan(), inventory, rule)).toBeUndefined();
    expect(productionClusterOf(finding(), plan(), inventory, rule)).toBeUndefined();
  });

  it("follow configured names and tags, and a Kubernetes step's cluster counts as the plan's", () => {
    const rule = productionRuleOf(parseEnv({ ...DEMO_ENV, SCOPEWISE_PRODUCTION_CLUSTERS: "AKS-DEV", SCOPEWISE_PRODUCTION_TAGS: "environment=prod" }));
    expect(productionClusterOf(finding(cluster("aks-dev")), plan(), inventory, rule)).toBe("aks-dev");
    expect(productionClusterOf(finding(cluster("aks-prod")), plan(), inventory, rule)).toBeUndefined();
    const step = { kind: "kubernetes-delete", clusterId: cluster("aks-edge"), apiVersion: "aadpodidentity.k8s.io/v1", objectKind: "AzureIdentityBinding", namespace: "a", name: "b" } as unknown as FixPlan["steps"][number];
    expect(productionClusterOf(finding(), plan([step]), inventory, rule)).toBe("aks-edge");
  });

  it("refuses a tag that is not key=value, naming the variable", () => {
    expect(() => parseEnv({ ...DEMO_ENV, SCOPEWISE_PRODUCTION_TAGS: "production" })).toThrow(/SCOPEWISE_PRODUCTION_TAGS: each entry must be key=value/);
  });
});
