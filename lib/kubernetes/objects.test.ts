import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { generateCertificates } from "@/emulator/certs";
import { listClusterObjects } from "./objects";

const clusterId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c1";

/**
 * A minimal API server with per-path behaviour: pods in pages of two (with continue
 * tokens), service accounts forbidden by RBAC, aad-pod-identity not installed (404).
 */
async function startApiServer(): Promise<{ server: Server; url: string; caPem: string; requests: string[] }> {
  const certs = await generateCertificates("localhost");
  const requests: string[] = [];
  const pods = ["a", "b", "c", "d", "e"].map((name) => ({
    metadata: { name, namespace: "payments", creationTimestamp: "2024-05-01T10:00:00Z", labels: { app: "api" } },
    spec: { serviceAccountName: "api", containers: [{ name: "api", image: "acr.azurecr.io/api:1" }] },
  }));
  const server = createServer({ key: certs.keyPem, cert: certs.certPem }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://localhost");
    requests.push(`${url.pathname}?${url.searchParams.toString()}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== "Bearer cluster-token") return send(401, { kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
    switch (url.pathname) {
      case "/api/v1/pods": {
        const start = Number(url.searchParams.get("continue") ?? "0");
        const limit = Number(url.searchParams.get("limit") ?? "500");
        const next = start + limit < pods.length ? String(start + limit) : undefined;
        return send(200, { kind: "PodList", apiVersion: "v1", metadata: { continue: next }, items: pods.slice(start, start + limit) });
      }
      case "/api/v1/serviceaccounts":
        return send(403, {
          kind: "Status",
          status: "Failure",
          reason: "Forbidden",
          message: 'serviceaccounts is forbidden: User "scanner" cannot list resource "serviceaccounts" in API group "" at the cluster scope',
          code: 403,
        });
      case "/apis/aadpodidentity.k8s.io/v1/azureidentities":
      case "/apis/aadpodidentity.k8s.io/v1/azureidentitybindings":
        return send(404, { kind: "Status", status: "Failure", reason: "NotFound", message: "the server could not find the requested resource", code: 404 });
      default:
        return send(200, { kind: "List", apiVersion: "v1", metadata: {}, items: url.pathname === "/api/v1/namespaces" ? [{ metadata: { name: "payments" } }] : [] });
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `https://localhost:${(server.address() as AddressInfo).port}`, caPem: certs.caPem, requests }));
  });
}

function kubeConfigFor(server: string, caPem: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c1", server, caData: Buffer.from(caPem).toString("base64"), skipTLSVerify: false }],
    users: [{ name: "u", token: "cluster-token" }],
    contexts: [{ name: "c1", cluster: "c1", user: "u" }],
    currentContext: "c1",
  });
  return kc;
}

describe("listClusterObjects", () => {
  let api: Awaited<ReturnType<typeof startApiServer>>;
  beforeAll(async () => {
    api = await startApiServer();
  });
  afterAll(() => new Promise<void>((resolve) => api.server.close(() => resolve())));

  it("follows continue tokens, restores wire shape and keeps going past a kind RBAC forbids", async () => {
    const { data, errors } = await listClusterObjects(kubeConfigFor(api.url, api.caPem), clusterId, 2);
    const pods = data.filter((o) => o.kind === "Pod");
    expect(pods.map((p) => p.metadata.name)).toEqual(["a", "b", "c", "d", "e"]);
    expect(api.requests.filter((r) => r.startsWith("/api/v1/pods"))).toHaveLength(3);
    expect(pods[0]).toMatchObject({ apiVersion: "v1", kind: "Pod", spec: { serviceAccountName: "api" } });
    // The client parses timestamps into Date objects; the wire copy holds strings again.
    expect(typeof pods[0]?.metadata.creationTimestamp).toBe("string");
    expect(data.filter((o) => o.kind === "Namespace").map((n) => n.metadata.name)).toEqual(["payments"]);
    // Forbidden service accounts: one error; aad-pod-identity absent (404): no error.
    expect(errors).toEqual([
      expect.objectContaining({ source: "kubernetes:serviceaccounts", status: 403, code: "Forbidden", cluster: clusterId }),
    ]);
    expect(errors[0]?.message).toMatch(/^you lack rights on .*managedClusters\/c1.*cannot list resource "serviceaccounts"/);
    // Kinds after the forbidden one were still read.
    expect(api.requests.some((r) => r.startsWith("/apis/apps/v1/daemonsets"))).toBe(true);
  });

  it("stops at the first failure that is not about one kind (token refused) and reports it once", async () => {
    const kc = kubeConfigFor(api.url, api.caPem);
    kc.loadFromOptions({ clusters: kc.clusters, contexts: kc.contexts, currentContext: "c1", users: [{ name: "u", token: "wrong" }] });
    const { data, errors } = await listClusterObjects(kc, clusterId);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ source: "kubernetes:namespaces", status: 401, cluster: clusterId })]);
  });

  it("reports an unreachable API server once, with the network reason", async () => {
    // A port that was just free: nothing listens there any more.
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, "127.0.0.1", () => resolve((probe.address() as AddressInfo).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { errors } = await listClusterObjects(kubeConfigFor(`https://127.0.0.1:${port}`, api.caPem), clusterId);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: "kubernetes:namespaces", cluster: clusterId });
    expect(errors[0]?.status).toBeUndefined();
    expect(errors[0]?.message).toMatch(/ECONNREFUSED|connect/);
  });
});
