import { describe, expect, it } from "vitest";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import type { KubeWireObject } from "@/lib/model/wire";
import { buildInventory } from "./build";
import { isForceNamespaced, issuerDiffersBySlash, sameIssuer } from "./bindings";
import {
  azureIdentity,
  azureIdentityBinding,
  clusterId,
  controller,
  deploymentWithPods,
  fic,
  managedCluster,
  miPrincipal,
  pod,
  serviceAccount,
  tenant,
  uai,
  type ClusterOptions,
  type UaiWire,
} from "./fixtures.testing";

const C = clusterId("aks");
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/";

function scenario(objects: KubeWireObject[], o: { identities?: UaiWire[]; fics?: ReturnType<typeof fic>[]; cluster?: ClusterOptions } = {}) {
  const ids = o.identities ?? [];
  const t = tenant({
    resources: [...ids, managedCluster("aks", { controlPlane: "system", ...o.cluster })],
    principals: ids.map(miPrincipal),
    federatedIdentityCredentials: o.fics ?? [],
    kubernetes: { [C]: objects },
  });
  return buildInventory(rawFromTenant(t));
}

describe("aad-pod-identity links", () => {
  const id = uai("id-orders");
  const crds = [azureIdentity("orders", "orders-id", id), azureIdentityBinding("orders", "orders-binding", "orders-id", "orders")];

  it("links pods in the binding's namespace, resolving the AzureIdentity by resource id", () => {
    const inv = scenario([...crds, ...deploymentWithPods("orders", "api", 2, { labels: { aadpodidbinding: "orders", app: "orders" } })], { identities: [id] });
    expect(inv.links).toHaveLength(1);
    expect(inv.links[0]).toMatchObject({
      mechanism: "aad-pod-identity",
      identityKey: id.properties.principalId,
      clientId: id.properties.clientId,
      azureIdentity: { namespace: "orders", name: "orders-id" },
      binding: { namespace: "orders", name: "orders-binding", selector: "orders" },
      complete: true,
    });
    expect(inv.links[0]?.podIds).toHaveLength(2);
    expect(inv.identities.find((i) => i.key === id.properties.principalId)).toMatchObject({ kind: "app", clusterIds: [C] });
  });

  it("matches a pod in another namespace by default (cross-namespace)", () => {
    const inv = scenario([...crds, pod("attacker", "steal", { labels: { aadpodidbinding: "orders" } })], { identities: [id] });
    expect(inv.links).toEqual([expect.objectContaining({ namespace: "attacker", binding: expect.objectContaining({ namespace: "orders" }), podIds: [`${C}/namespaces/attacker/pods/steal`] })]);
  });

  it("does not match across namespaces when the NMI runs with --forceNamespaced", () => {
    const nmi = controller("DaemonSet", "kube-system", "nmi", { containerName: "nmi", image: "mcr.microsoft.com/oss/azure/aad-pod-identity/nmi:v1.8.17", args: ["--node=$(NODE_NAME)", "--forceNamespaced=true"] });
    const inv = scenario([...crds, nmi, pod("attacker", "steal", { labels: { aadpodidbinding: "orders" } }), pod("orders", "ok", { labels: { aadpodidbinding: "orders" } })], { identities: [id] });
    expect(inv.links.map((l) => l.namespace)).toEqual(["orders"]);
  });

  it("does not match across namespaces when the AzureIdentity has the Behavior: namespaced annotation", () => {
    const objects = [azureIdentity("orders", "orders-id", id, { namespacedBehavior: true }), crds[1]!, pod("attacker", "steal", { labels: { aadpodidbinding: "orders" } })];
    expect(scenario(objects, { identities: [id] }).links).toEqual([]);
  });

  it("creates no link for a binding naming an AzureIdentity that does not exist (or exists only in another namespace)", () => {
    const objects = [azureIdentity("other", "orders-id", id), crds[1]!, pod("orders", "p", { labels: { aadpodidbinding: "orders" } })];
    const inv = scenario(objects, { identities: [id] });
    expect(inv.links).toEqual([]);
    expect(inv.errors).toEqual([]);
  });

  it("creates no link when the selector matches no pod", () => {
    const inv = scenario([...crds, pod("orders", "p", { labels: { aadpodidbinding: "billing" } }), pod("orders", "q", { labels: { app: "orders" } })], { identities: [id] });
    expect(inv.links).toEqual([]);
    expect(inv.identities.find((i) => i.key === id.properties.principalId)?.kind).toBe("service-principal");
  });

  it("registers an identity an AzureIdentity names that ARM did not return", () => {
    const ghost = uai("id-elsewhere");
    const inv = scenario([azureIdentity("orders", "ghost", ghost), azureIdentityBinding("orders", "b", "ghost", "g"), pod("orders", "p", { labels: { aadpodidbinding: "g" } })]);
    const identity = inv.identities.find((i) => i.resourceId === ghost.id)!;
    expect(identity).toMatchObject({ kind: "app", clientId: ghost.properties.clientId, displayName: "id-elsewhere" });
    expect(inv.links[0]?.identityKey).toBe(identity.key);
  });

  it("resolves a service-principal AzureIdentity (type 1) by client id through Graph's appId", () => {
    const appId = "5b1d2a4e-0000-4000-8000-000000000abc";
    const objectId = "5b1d2a4e-0000-4000-8000-000000000def";
    const t = tenant({
      resources: [managedCluster("aks", { controlPlane: "system" })],
      principals: [{ id: objectId, appId, displayName: "sp-fx-rates", servicePrincipalType: "Application" }],
      kubernetes: {
        [C]: [
          { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentity", metadata: { name: "fx", namespace: "payments" }, spec: { type: 1, clientID: appId, tenantID: "t" } },
          azureIdentityBinding("payments", "fx-binding", "fx", "fx"),
          pod("payments", "fx-1", { labels: { aadpodidbinding: "fx" } }),
        ],
      },
    });
    const inv = buildInventory(rawFromTenant(t));
    expect(inv.links[0]).toMatchObject({ identityKey: objectId, clientId: appId });
    expect(inv.kubernetes.azureIdentities[0]?.type).toBe(1);
    expect(inv.identities.find((i) => i.key === objectId)).toMatchObject({ kind: "app", displayName: "sp-fx-rates", existsInDirectory: true });
  });

  it("links pods through the managed pod-identity add-on, namespaced", () => {
    const inv = scenario(
      [pod("payments", "api", { labels: { aadpodidbinding: "pay" } }), pod("other", "x", { labels: { aadpodidbinding: "pay" } })],
      { identities: [id], cluster: { podIdentity: { enabled: true, identities: [{ name: "pay-id", namespace: "payments", bindingSelector: "pay", identity: id }] } } },
    );
    expect(inv.links).toEqual([expect.objectContaining({ mechanism: "aad-pod-identity", namespace: "payments", binding: { namespace: "payments", name: "pay-id", selector: "pay" }, identityKey: id.properties.principalId })]);
  });
});

describe("workload identity links", () => {
  const id = uai("id-api");
  const subject = "system:serviceaccount:payments:api";
  const wiObjects = (podLabels: Record<string, string> = { "azure.workload.identity/use": "true" }) => [
    serviceAccount("payments", "api", id.properties.clientId),
    ...deploymentWithPods("payments", "api", 2, { serviceAccountName: "api", labels: { app: "api", ...podLabels } }),
  ];
  const enabled: ClusterOptions = { oidcIssuerUrl: ISSUER, workloadIdentity: true };

  it("is complete with SA annotation, pod label, cluster features and a federated credential for exactly the cluster's issuer", () => {
    const cred = fic(id, "api", ISSUER, subject);
    const inv = scenario(wiObjects(), { identities: [id], fics: [cred], cluster: enabled });
    expect(inv.links).toEqual([
      expect.objectContaining({
        mechanism: "workload-identity",
        identityKey: id.properties.principalId,
        serviceAccount: { namespace: "payments", name: "api" },
        federatedCredentialId: cred.id,
        complete: true,
        problems: [],
      }),
    ]);
    expect(inv.links[0]?.podIds).toHaveLength(2);
    // The webhook injects AZURE_CLIENT_ID; that must not add a second, env-client-id link.
  });

  it("is broken when the credential's issuer differs from the cluster's only by the trailing slash (Entra: AADSTS70021)", () => {
    const cred = fic(id, "api", ISSUER.slice(0, -1), subject);
    const inv = scenario(wiObjects(), { identities: [id], fics: [cred], cluster: enabled });
    expect(inv.links).toEqual([expect.objectContaining({ mechanism: "workload-identity", complete: false, federatedCredentialId: undefined })]);
    expect(inv.links[0]!.problems).toEqual([expect.stringMatching(/credential api .* differs from cluster aks's issuer .* by its trailing slash; Entra compares issuers exactly \(AADSTS70021\)/)]);
  });

  it("does not add an env-client-id link for the AZURE_CLIENT_ID the webhook injected", () => {
    const objects = [
      serviceAccount("payments", "api", id.properties.clientId),
      ...deploymentWithPods("payments", "api", 1, { serviceAccountName: "api", labels: { "azure.workload.identity/use": "true" }, env: { AZURE_CLIENT_ID: id.properties.clientId } }),
    ];
    const inv = scenario(objects, { identities: [id], fics: [fic(id, "api", ISSUER, subject)], cluster: enabled });
    expect(inv.links.map((l) => l.mechanism)).toEqual(["workload-identity"]);
  });

  it("is incomplete when the federated credential trusts another issuer", () => {
    const inv = scenario(wiObjects(), { identities: [id], fics: [fic(id, "api", "https://other-issuer/", subject)], cluster: enabled });
    expect(inv.links[0]).toMatchObject({ complete: false, federatedCredentialId: undefined });
    expect(inv.links[0]?.problems).toEqual([expect.stringMatching(/no federated credential on id-api trusts the issuer of cluster aks/)]);
  });

  it("is incomplete when the federated credential names another subject", () => {
    const inv = scenario(wiObjects(), { identities: [id], fics: [fic(id, "api", ISSUER, "system:serviceaccount:payments:worker")], cluster: enabled });
    expect(inv.links[0]?.complete).toBe(false);
    expect(inv.links[0]?.problems).toEqual([expect.stringMatching(/none has subject system:serviceaccount:payments:api \(api: system:serviceaccount:payments:worker\)/)]);
  });

  it("is incomplete when pods lack the azure.workload.identity/use label", () => {
    const inv = scenario(wiObjects({}), { identities: [id], fics: [fic(id, "api", ISSUER, subject)], cluster: enabled });
    expect(inv.links[0]).toMatchObject({ complete: false, podIds: [] });
    expect(inv.links[0]?.problems).toEqual([expect.stringMatching(/2 of 2 pods using service account payments\/api lack the label azure.workload.identity\/use: "true"/)]);
  });

  it("is incomplete when workload identity is disabled on the cluster", () => {
    const inv = scenario(wiObjects(), { identities: [id], fics: [fic(id, "api", ISSUER, subject)], cluster: { oidcIssuerUrl: ISSUER, workloadIdentity: false } });
    expect(inv.links[0]?.complete).toBe(false);
    expect(inv.links[0]?.problems).toEqual([expect.stringMatching(/workload identity is not enabled on cluster aks/)]);
  });

  it("is incomplete when the OIDC issuer is off, and for a client id that is not a scanned managed identity", () => {
    const inv = scenario([serviceAccount("payments", "api", "app-reg-client"), pod("payments", "p", { serviceAccountName: "api", labels: { "azure.workload.identity/use": "true" } })], { cluster: { workloadIdentity: true } });
    expect(inv.links[0]?.problems).toEqual([
      expect.stringMatching(/OIDC issuer is not enabled/),
      expect.stringMatching(/client id app-reg-client is not a user-assigned managed identity/),
    ]);
    expect(inv.identities.find((i) => i.clientId === "app-reg-client")).toMatchObject({ kind: "app", key: "app-reg-client" });
  });
});

describe("helpers", () => {
  it("compares issuers exactly, as Entra does (a trailing slash is a different issuer: AADSTS70021)", () => {
    expect(sameIssuer("https://a/b/", "https://a/b/")).toBe(true);
    expect(sameIssuer("https://a/b/", "https://a/b")).toBe(false);
    expect(issuerDiffersBySlash("https://a/b/", "https://a/b")).toBe(true);
    expect(issuerDiffersBySlash("https://a/b/", "https://a/b/")).toBe(false);
    expect(sameIssuer("https://a/b//", "https://a/b")).toBe(false);
    expect(sameIssuer("https://A/b", "https://a/b")).toBe(false);
  });

  it("reads forceNamespaced the way Go flags parse it, and the FORCENAMESPACED env var", () => {
    const nmiPod = (args: string[], env: Record<string, string> = {}) => ({
      clusterId: C, namespace: "kube-system", name: "nmi-x", labels: {}, annotations: {}, serviceAccountName: "nmi", hostPaths: [], id: "x",
      containers: [{ name: "nmi", image: "mcr.microsoft.com/oss/azure/aad-pod-identity/nmi:v1.8.17", args, env }],
    });
    expect(isForceNamespaced(undefined, [nmiPod(["--forceNamespaced"])], [])).toBe(true);
    expect(isForceNamespaced(undefined, [nmiPod(["-forceNamespaced=1"])], [])).toBe(true);
    expect(isForceNamespaced(undefined, [nmiPod(["--forceNamespaced=false"])], [])).toBe(false);
    expect(isForceNamespaced(undefined, [nmiPod([], { FORCENAMESPACED: "true" })], [])).toBe(true);
    expect(isForceNamespaced(undefined, [nmiPod([])], [])).toBe(false);
  });
});
