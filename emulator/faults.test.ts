import { request } from "node:https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "./server";
import { call, tokenFor } from "./testdata/http-client";
import { buildTestTenant, ids, T } from "./testdata/tenant";

let h: EmulatorHandle;
let arm: string;

beforeAll(async () => {
  h = await startEmulator({ tenant: buildTestTenant() });
  arm = await tokenFor(h, "https://management.azure.com");
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.clearFaults());

const post = (body: unknown) => call(h, "POST", "/_emulator/faults", { body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });
const subscriptions = () => call(h, "GET", "/subscriptions?api-version=2022-12-01", { token: arm });

/** A GET that settles with "timeout" when no answer comes within `ms`, or with the socket error. */
function probe(path: string, ms: number): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(new URL(path, h.url), { method: "GET", ca: h.caPem, headers: { authorization: `Bearer ${arm}` }, timeout: ms }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode }));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ error: "timeout" });
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

describe("POST /_emulator/faults", () => {
  it("fails the next requests of a family in that API's shape, then lets them through", async () => {
    const added = await post({ family: "arm:subscriptions", status: 500, times: 2 });
    expect(added.status).toBe(201);
    expect(added.json.fault).toEqual({ family: "arm:subscriptions", status: 500, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await subscriptions();
      expect(res.status).toBe(500);
      expect(res.json.error.code).toBe("InternalServerError");
    }
    expect((await subscriptions()).status).toBe(200);
  });

  it("answers Kubernetes families with a Status and '*' with Retry-After, but never fails Entra", async () => {
    await post({ family: "k8s:", status: 503, times: 1, retryAfterSeconds: 3 });
    const server = h.clusterServer(ids.aks1)!;
    const kube = await call(h, "GET", `${server}/api/v1/pods`, { token: await tokenFor(h, ids.aks1) });
    expect(kube.status).toBe(503);
    expect(kube.json).toMatchObject({ kind: "Status", reason: "ServiceUnavailable", code: 503 });
    expect(kube.headers["retry-after"]).toBe("3");
    await post({ family: "*", status: 429, times: 1 });
    expect((await tokenFor(h, "https://graph.microsoft.com")).length).toBeGreaterThan(0);
    const throttled = await subscriptions();
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("1");
  });

  it("fails one cluster's Kubernetes API only when the fault names the cluster", async () => {
    await post({ family: "k8s:", status: 500, times: 100, cluster: "aks2" });
    const get = async (id: string) => (await call(h, "GET", `${h.clusterServer(id)!}/api/v1/namespaces`, { token: await tokenFor(h, id) })).status;
    expect(await get(ids.aks1)).toBe(200);
    expect(await get(ids.aks2)).toBe(500);
    await post({ family: "k8s:", status: 503, times: 1, cluster: ids.aks1.toUpperCase() });
    expect(await get(ids.aks1)).toBe(503);
    expect((await post({ family: "arm:", status: 500, times: 1, cluster: "aks1" })).json.error.message).toMatch(/^cluster: cluster applies to Kubernetes families only/);
  });

  it("hang: the request is never answered", async () => {
    await post({ family: "arm:subscriptions", hang: true, times: 1 });
    expect(await probe("/subscriptions?api-version=2022-12-01", 400)).toEqual({ error: "timeout" });
    expect((await subscriptions()).status).toBe(200);
  });

  it("reset: the connection is dropped before any answer", async () => {
    await post({ family: "arm:", reset: true, times: 1 });
    const res = await probe(`/subscriptions/${T.sub1}?api-version=2022-12-01`, 5000);
    expect(res.status).toBeUndefined();
    expect(res.error).toMatch(/ECONNRESET|socket hang up/);
    expect((await subscriptions()).status).toBe(200);
  });

  it("DELETE removes every pending fault", async () => {
    await post({ family: "*", status: 500, times: 1000 });
    expect((await subscriptions()).status).toBe(500);
    const cleared = await call(h, "DELETE", "/_emulator/faults");
    expect(cleared.status).toBe(204);
    expect((await subscriptions()).status).toBe(200);
  });

  it("refuses a body that is not one fault with 422 naming the field", async () => {
    const cases: [unknown, RegExp][] = [
      [{ family: "k8s:", status: 418, times: 1 }, /^status: expected 429, 500, 502, 503 or 504/],
      [{ family: "kubernetes", status: 500, times: 1 }, /^family: expected "\*" or a family/],
      [{ family: "k8s:", status: 500, times: 0 }, /^times: expected at least 1/],
      [{ family: "k8s:", times: 1 }, /^status: give exactly one of status, hang and reset/],
      [{ family: "k8s:", status: 500, hang: true, times: 1 }, /give exactly one/],
      [{ family: "k8s:", status: 500, times: 1, sometimes: true }, /sometimes/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.error.code).toBe("InvalidFault");
      expect(res.json.error.message).toMatch(message);
    }
    expect((await post("{not json")).status).toBe(400);
    expect((await subscriptions()).status).toBe(200);
  });
});
