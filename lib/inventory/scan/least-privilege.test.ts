import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { readerRole } from "@/emulator/testdata/rbac-tenant";
import { sessionCredential } from "@/lib/auth/session";
import { MemorySessionStore } from "@/lib/auth/session-store";
import { signIn, signInSettingsFor, testAppRegistration } from "@/lib/auth/sign-in.testing";
import { normalizeId } from "@/lib/model/scope";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { fidelityTenant } from "./fidelity.testing";
import { scanTenant } from "./index";

/**
 * A person whose only Kubernetes right is deploy/kubernetes/scopewise-reader.yaml (bound to their
 * Entra group), with Reader on the subscriptions and the AKS Cluster User Role, scans a cluster
 * with Microsoft Entra integration. No aad-pod-identity is installed there.
 */
function readerTenant() {
  const t = fidelityTenant("fabrikam-least-privilege");
  const { b, cluster, mgCorp } = t;
  const readers = b.group("sg-scopewise-readers");
  const clusterResource = b.tenant.resources.find((r) => r.id === cluster.id)!;
  clusterResource.properties = { ...clusterResource.properties, aadProfile: { managed: true, enableAzureRBAC: false, adminGroupObjectIDs: [], tenantID: b.tenantId } };
  b.assign(mgCorp, "Reader", readers);
  b.assign(cluster.id, "Azure Kubernetes Service Cluster User Role", readers);
  t.kube.objects.push(readerRole, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "scopewise-reader" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "scopewise-reader" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: readers.id }],
  });
  t.kube.configMap("shop", "api-settings", { LOG_LEVEL: "info" });
  // Left over: a credential for a ServiceAccount deleted from the cluster, and the kubelet's aad-pod-identity role.
  const leftover = b.federatedCredential(t.app, "aks-alpha-shop-api-v1", cluster.issuer, "shop", "api-v1");
  const mio = b.assign(cluster.nodeRgId, "Managed Identity Operator", cluster.kubelet);
  b.tenant.users = [{ id: b.ids.guid("user:rita"), userPrincipalName: "rita@fabrikam.test", displayName: "Rita", password: "rita-reads", memberOf: [readers.id] }];
  return { ...t, leftover, mio };
}

describe("a scan as a person bound to exactly the scopewise-reader ClusterRole", () => {
  const t = readerTenant();
  let h: EmulatorHandle;
  let inventory: Inventory;
  let findings: Finding[];

  beforeAll(async () => {
    h = await startEmulator({ tenant: t.tenant, clients: [testAppRegistration] });
    const settings = signInSettingsFor(h);
    const store = new MemorySessionStore();
    const { session } = await signIn(h, settings, store, "rita@fabrikam.test", "rita-reads");
    inventory = await scanTenant({ credential: sessionCredential(settings, store, session), tenantId: h.tenantId, armEndpoint: h.armEndpoint, graphEndpoint: h.graphEndpoint, caPem: h.caPem });
    findings = evaluateRules(inventory);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("reads the cluster completely: no error, the cluster counts as read, and its absent aad-pod-identity kinds are no error", () => {
    expect(inventory.errors).toEqual([]);
    expect(inventory.kubernetes.readClusterIds.map(normalizeId)).toEqual([normalizeId(t.cluster.id)]);
    expect(inventory.kubernetes.pods.length).toBeGreaterThan(0);
    expect(inventory.kubernetes.configMaps?.length ?? 0).toBeGreaterThan(0);
  });

  it("so the rules that need a complete read fire: federated-credential-dangling and pod-identity-roles-unused", () => {
    expect(findings.filter((f) => f.ruleId === "federated-credential-dangling").map((f) => f.targetIds?.[0])).toEqual([t.leftover]);
    expect(findings.filter((f) => f.ruleId === "pod-identity-roles-unused").map((f) => f.roleAssignmentId)).toEqual([t.mio]);
  });
});
