import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { CoreV1Api, CustomObjectsApi, KubeConfig, AppsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { buildTestTenant, ids } from "./testdata/tenant";

let h: EmulatorHandle;
let dataDir: string;

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant(), pageSize: 3, failClusters: [ids.aks2] });
  dataDir = path.dirname(h.caFile);
});
afterAll(async () => {
  await h?.close();
});

/** The kubeconfig listClusterUserCredential returns for aks1, loaded the way a scanner would. */
async function aks1Config(): Promise<KubeConfig> {
  const token = await tokenFor(h, "https://management.azure.com");
  const res = await call(h, "POST", `${ids.aks1}/listClusterUserCredential?api-version=2026-04-01`, { token });
  expect(res.status).toBe(200);
  const kc = new KubeConfig();
  kc.loadFromString(Buffer.from(res.json.kubeconfigs[0].value, "base64").toString("utf8"));
  return kc;
}

describe("Kubernetes API through @kubernetes/client-node", () => {
  it("pages pods across namespaces with limit/continue", async () => {
    const core = (await aks1Config()).makeApiClient(CoreV1Api);
    h.resetCounts();
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 2, _continue: cont });
      names.push(...page.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
      cont = page.metadata?._continue || undefined;
      if (cont) expect(page.metadata?.remainingItemCount).toBeGreaterThan(0);
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toEqual(["payments/api-0", "payments/api-1", "payments/api-2", "payments/api-3", "payments/api-4", "kube-system/nmi-abc"]);
    expect(h.counts()["k8s:pods"]).toBe(3);
  });

  it("filters namespaced lists by label selector and fills uid and creationTimestamp", async () => {
    const core = (await aks1Config()).makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: "payments", labelSelector: "app in (worker)", limit: 100 });
    expect(pods.items.map((p) => p.metadata!.name)).toEqual(["api-1", "api-3"]);
    expect(pods.items[0]!.metadata!.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(pods.items[0]!.metadata!.creationTimestamp).toBeInstanceOf(Date);
    const sa = await core.readNamespacedServiceAccount({ name: "api", namespace: "payments" });
    expect(sa.metadata?.annotations?.["azure.workload.identity/client-id"]).toBe("cccccccc-0000-0000-0000-000000000002");
    await expect(core.readNamespacedServiceAccount({ name: "nope", namespace: "payments" })).rejects.toMatchObject({ code: 404 });
  });

  it("serves apps/v1 and aad-pod-identity custom resources", async () => {
    const kc = await aks1Config();
    const ds = await kc.makeApiClient(AppsV1Api).listDaemonSetForAllNamespaces();
    expect(ds.items.map((d) => d.metadata!.name)).toEqual(["nmi"]);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const identities = (await custom.listClusterCustomObject({ group: "aadpodidentity.k8s.io", version: "v1", plural: "azureidentities" })) as { items: { kind: string; spec: { resourceID: string } }[] };
    expect(identities.items).toHaveLength(1);
    expect(identities.items[0]!.kind).toBe("AzureIdentity");
    expect(identities.items[0]!.spec.resourceID).toBe(ids.appIdentity);
  });

  it("answers 500 for a cluster under fault injection", async () => {
    const kc = new KubeConfig();
    kc.loadFromString(h.kubeconfig());
    kc.setCurrentContext("aks2");
    await expect(kc.makeApiClient(CoreV1Api).listPodForAllNamespaces()).rejects.toMatchObject({ code: 500 });
    kc.setCurrentContext("aks1");
    expect((await kc.makeApiClient(CoreV1Api).listNamespace()).items.map((n) => n.metadata!.name)).toEqual(["payments", "kube-system"]);
  });
});

describe("Kubernetes authentication", () => {
  it("refuses a missing token and an ARM token with a Status object", async () => {
    const server = h.clusterServer(ids.aks1)!;
    const none = await call(h, "GET", `${server}/api/v1/pods`);
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    const arm = await call(h, "GET", `${server}/api/v1/pods`, { token: await tokenFor(h, "https://management.azure.com") });
    expect(arm.status).toBe(401);
  });

  it("accepts an Entra token for the AKS server app only on AAD-enabled clusters", async () => {
    const h2 = await startEmulator({ tenant: buildTestTenant() });
    try {
      const aks = await tokenFor(h2, "6dae42f8-4368-4678-94ff-3960e28e3630");
      const ok = await call(h2, "GET", `${h2.clusterServer(ids.aks2)}/api/v1/namespaces/default/pods`, { token: aks });
      expect(ok.status).toBe(200);
      expect(ok.json.kind).toBe("PodList");
      expect(ok.json.items).toHaveLength(2);
      const refused = await call(h2, "GET", `${h2.clusterServer(ids.aks1)}/api/v1/pods`, { token: aks });
      expect(refused.status).toBe(401);
    } finally {
      await h2.close();
    }
  });
});

describe("kubectl", () => {
  it("lists pods in all namespaces with the emulator's kubeconfig", async () => {
    const file = path.join(dataDir, "kubeconfig");
    await writeFile(file, h.kubeconfig());
    let out: string;
    try {
      out = (await promisify(execFile)("kubectl", ["--kubeconfig", file, "--context", "aks1", "get", "pods", "-A"], { timeout: 20_000 })).stdout;
    } catch (e) {
      // The project's machine image ships kubectl, so CI always checks it; a developer machine may lack it.
      if ((e as NodeJS.ErrnoException).code === "ENOENT" && !process.env.CI) return;
      throw e;
    }
    expect(out).toMatch(/NAMESPACE\s+NAME/);
    expect(out).toMatch(/payments\s+api-4/);
    expect(out).toMatch(/kube-system\s+nmi-abc/);
    // The aad-pod-identity CRDs through discovery, as `kubectl get azureidentities -A` needs.
    const ai = (await promisify(execFile)("kubectl", ["--kubeconfig", file, "--context", "aks1", "get", "azureidentities", "-A"], { timeout: 20_000 })).stdout;
    expect(ai).toMatch(/default\s+reader/);
    const both = (await promisify(execFile)("kubectl", ["--kubeconfig", file, "--context", "aks1", "get", "pods,serviceaccounts", "-A"], { timeout: 20_000 })).stdout;
    expect(both).toMatch(/pod\/api-4/);
    expect(both).toMatch(/serviceaccount\/\S+/);
  });
});
