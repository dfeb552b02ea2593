import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { parse as parseYaml } from "yaml";
import { generateCertificates } from "@/emulator/certs";
import { readRolloutStatus } from "./rollout";
import { requestServiceAccountToken } from "./service-account-token";

/** The API machinery's own TokenRequest wire fixture and the Deployment docs' status (testdata/PROVENANCE.md). */
const tokenRequest = readFileSync("lib/kubernetes/testdata/tokenrequest-v1.json", "utf8");
const docsStatus = (parseYaml(readFileSync("lib/kubernetes/testdata/deployment-status-quota.yaml", "utf8")) as { status: Record<string, unknown> }).status;

/** The docs' nginx-deployment: 3 replicas wanted (`kubectl rollout status` there says "2 out of 3"), generation 3 observed. */
function nginxDeployment(status: Record<string, unknown>) {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nginx-deployment", namespace: "default", generation: 3 }, spec: { replicas: 3, selector: { matchLabels: { app: "nginx" } }, template: {} }, status };
}

/** The same status once the deadline passed: the docs show Progressing turning False / ProgressDeadlineExceeded. */
const timedOut = {
  ...docsStatus,
  conditions: (docsStatus.conditions as Record<string, unknown>[]).map((c) =>
    c.type === "Progressing" ? { ...c, status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "nginx-deployment-4262182780" has timed out progressing.' } : c,
  ),
};

describe("the adapters on real wire objects", () => {
  let server: Server;
  let kc: KubeConfig;
  const seen: string[] = [];

  beforeAll(async () => {
    const certs = await generateCertificates("localhost");
    server = createServer({ key: certs.keyPem, cert: certs.certPem }, (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const send = (status: number, body: string) => res.writeHead(status, { "content-type": "application/json" }).end(body);
      if (req.method === "POST" && req.url?.startsWith("/api/v1/namespaces/default/serviceaccounts/api/token")) return send(201, tokenRequest);
      if (req.url === "/apis/apps/v1/namespaces/default/deployments/nginx-deployment") return send(200, JSON.stringify(nginxDeployment(docsStatus)));
      if (req.url === "/apis/apps/v1/namespaces/default/deployments/stuck") return send(200, JSON.stringify({ ...nginxDeployment(timedOut), metadata: { name: "stuck", namespace: "default", generation: 3 } }));
      send(404, JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: `https://localhost:${(server.address() as AddressInfo).port}`, caData: Buffer.from(certs.caPem).toString("base64"), skipTLSVerify: false }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "c", cluster: "c", user: "u" }],
      currentContext: "c",
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("requestServiceAccountToken reads status.token and status.expirationTimestamp of an API server's TokenRequest", async () => {
    expect(await requestServiceAccountToken(kc, { namespace: "default", serviceAccount: "api", audience: "api://AzureADTokenExchange" })).toEqual({ token: "24", expiresAt: "1999-07-03T22:31:10Z" });
    expect(seen).toContain("POST /api/v1/namespaces/default/serviceaccounts/api/token");
  });

  it("readRolloutStatus on the docs' stalled Deployment (quota exceeded): not done, no new replica updated, 2 available", async () => {
    expect(await readRolloutStatus(kc, { kind: "Deployment", namespace: "default", name: "nginx-deployment" })).toEqual({
      done: false,
      desired: 3,
      updated: 0,
      available: 2,
      message: "0 of 3 new pods updated",
    });
  });

  it("readRolloutStatus reports the failure once Progressing is False with ProgressDeadlineExceeded", async () => {
    const s = await readRolloutStatus(kc, { kind: "Deployment", namespace: "default", name: "stuck" });
    expect(s).toMatchObject({ done: false, failed: 'ReplicaSet "nginx-deployment-4262182780" has timed out progressing.' });
  });
});
