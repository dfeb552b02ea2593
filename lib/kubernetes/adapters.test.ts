import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { adaptNamespace, adaptPod, adaptServiceAccount } from "./core.adapter";
import { adaptController } from "./controller.adapter";
import { adaptAzureIdentity, adaptAzureIdentityBinding } from "./aad-pod-identity.adapter";

const CLUSTER = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";

/** YAML documents from testdata (copied from the aad-pod-identity and workload-identity repos), shell placeholders filled. */
function docs(file: string, vars: Record<string, string> = {}): Record<string, unknown>[] {
  let text = readFileSync(path.join(__dirname, "testdata", file), "utf8");
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(k, v);
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

describe("aad-pod-identity adapters", () => {
  it("reads the demo AzureIdentity (type 0, canonical resourceID/clientID casing)", () => {
    const [ai] = docs("aadpodidentity.yaml", { RESOURCE_ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/demo", CLIENT_ID: "c-1" });
    const a = adaptAzureIdentity(ai, CLUSTER);
    expect(a).toMatchObject({ clusterId: CLUSTER, namespace: "default", name: "demo-aad1", type: 0, clientId: "c-1" });
    expect(a.resourceId).toMatch(/userAssignedIdentities\/demo$/);
  });

  it("reads the service-principal AzureIdentity (type 1) from a multi-document file", () => {
    const ai = docs("aadpodidentity-sp.yaml", { CLIENT_ID: "sp-client" }).find((d) => d.kind === "AzureIdentity");
    expect(adaptAzureIdentity(ai, CLUSTER)).toMatchObject({ type: 1, clientId: "sp-client", resourceId: undefined });
  });

  it("accepts the pre-1.6 ResourceID/ClientID spelling", () => {
    const a = adaptAzureIdentity({ apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentity", metadata: { name: "old", namespace: "ns" }, spec: { type: 0, ResourceID: "/r", ClientID: "c" } }, CLUSTER);
    expect(a).toMatchObject({ resourceId: "/r", clientId: "c" });
  });

  it("rejects an AzureIdentity type outside 0..2, naming object, cluster and field", () => {
    expect(() => adaptAzureIdentity({ kind: "AzureIdentity", metadata: { name: "x", namespace: "ns" }, spec: { type: 7 } }, CLUSTER)).toThrow(
      `AzureIdentity ns/x in ${CLUSTER}: spec.type must be 0, 1 or 2, got 7`,
    );
  });

  it("reads the demo binding and requires a selector", () => {
    const [b] = docs("aadpodidentitybinding.yaml");
    expect(adaptAzureIdentityBinding(b, CLUSTER)).toMatchObject({ name: "demo-azure-id-binding", azureIdentity: "demo-aad1", selector: "demo" });
    expect(() => adaptAzureIdentityBinding({ kind: "AzureIdentityBinding", metadata: { name: "b" }, spec: { azureIdentity: "x" } }, CLUSTER)).toThrow(/spec\.selector is missing/);
  });
});

describe("controller adapter", () => {
  it("reads the demo Deployment's template labels and container args", () => {
    const [d] = docs("deployment.yaml");
    const c = adaptController(d, CLUSTER);
    expect(c).toMatchObject({ kind: "Deployment", namespace: "default", name: "demo", templateLabels: { app: "demo", aadpodidbinding: "demo" } });
    expect(c.containers[0]?.args).toContain("--identity-client-id=CLIENT_ID");
  });

  it("reads the managed-mode NMI DaemonSet with --forceNamespaced", () => {
    const nmi = docs("managed-mode-deployment.yaml").find((d) => d.kind === "DaemonSet")!;
    const c = adaptController(nmi, CLUSTER);
    expect(c.kind).toBe("DaemonSet");
    expect(c.containers.find((x) => x.name === "nmi")?.args).toContain("--forceNamespaced");
  });
});

describe("core adapters", () => {
  it("reads the workload-identity quick-start ServiceAccount annotation and Pod label", () => {
    const vars = { "${SERVICE_ACCOUNT_NAMESPACE}": "payments", "${SERVICE_ACCOUNT_NAME}": "api", "${APPLICATION_CLIENT_ID:-$USER_ASSIGNED_IDENTITY_CLIENT_ID}": "wi-client", "${KEYVAULT_URL}": "https://kv", "${KEYVAULT_SECRET_NAME}": "s" };
    const sa = adaptServiceAccount(docs("quick-start-serviceaccount.yaml", vars)[0], CLUSTER);
    expect(sa).toMatchObject({ namespace: "payments", name: "api", workloadIdentityClientId: "wi-client" });
    const p = adaptPod(docs("quick-start-pod.yaml", vars)[0], CLUSTER);
    expect(p).toMatchObject({ id: `${CLUSTER}/namespaces/payments/pods/quick-start`, serviceAccountName: "api", labels: { "azure.workload.identity/use": "true" } });
    expect(p.containers[0]?.env).toEqual({ KEYVAULT_URL: "https://kv", SECRET_NAME: "s" });
  });

  it("defaults serviceAccountName, prefers the controller owner, keeps literal env only and hostPath volumes", () => {
    const p = adaptPod(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: "p",
          namespace: "ns",
          ownerReferences: [
            { kind: "Node", name: "n1" },
            { kind: "ReplicaSet", name: "api-abc", controller: true },
          ],
        },
        spec: {
          containers: [{ name: "c", image: "i", command: ["/nmi"], args: ["--x"], env: [{ name: "A", value: "1" }, { name: "B", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] }],
          volumes: [{ name: "cfg", hostPath: { path: "/etc/kubernetes" } }, { name: "e", emptyDir: {} }],
        },
      },
      CLUSTER,
    );
    expect(p.serviceAccountName).toBe("default");
    expect(p.owner).toEqual({ kind: "ReplicaSet", name: "api-abc" });
    // `env` holds literal values only; a variable taken from a Secret is a reference, never a value.
    expect(p.containers[0]).toEqual({ name: "c", image: "i", args: ["/nmi", "--x"], env: { A: "1" }, envRefs: { B: { source: "secret", name: "s", key: "k" } } });
    expect(p.hostPaths).toEqual([{ volume: "cfg", path: "/etc/kubernetes" }]);
  });

  it("reads a namespace and rejects an object without metadata.name", () => {
    expect(adaptNamespace({ kind: "Namespace", metadata: { name: "payments", labels: { team: "a" } } }, CLUSTER)).toEqual({ clusterId: CLUSTER, name: "payments", labels: { team: "a" } });
    expect(() => adaptPod({ kind: "Pod", metadata: { namespace: "ns" } }, CLUSTER)).toThrow(`Pod ns/(unnamed) in ${CLUSTER}: metadata.name is missing`);
  });
});
