import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createCsrfToken } from "@/app/_lib/csrf";
import { stubDemoEnv } from "@/lib/testing/demo-env";

/** A local webhook receiver: what a team's Slack, Teams or JSON endpoint would get. */
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(req.url === "/down" ? 500 : 204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-test-alert-"));
stubDemoEnv({ SCOPEWISE_DATA_DIR: dir, SCOPEWISE_ALERT_WEBHOOKS: `json:${base}/ok slack:${base}/down`, SCOPEWISE_ALERT_SECRET: "s".repeat(40) });
vi.mock("@/lib/auth/actor", () => ({
  requireActor: vi.fn(async (request: Request) =>
    request.headers.get("x-test-anonymous") ? { ok: false, response: Response.json({ error: "sign in first" }, { status: 401 }) } : { ok: true, actor: { kind: "server", id: "a", displayName: "Dana <b>", viewer: { kind: "server" } } },
  ),
}));

const { POST } = await import("./route");
const token = createCsrfToken();
const post = (body: unknown, headers: Record<string, string> = {}) =>
  POST(
    new Request("http://localhost:3100/api/alerts/test", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
    }),
  );
afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("POST /api/alerts/test", () => {
  it("refuses without a session, without the CSRF token, or with fields it does not know, sending nothing", async () => {
    expect((await post({}, { "x-test-anonymous": "1" })).status).toBe(401);
    expect((await post({}, { "x-csrf-token": "forged" })).status).toBe(403);
    expect((await post({ target: "https://evil.example" })).status).toBe(422);
    expect(received).toHaveLength(0);
  });

  it("sends one signed test alert to each webhook and says what each answered; a third within the minute is refused", async () => {
    const res = await post({});
    expect(res.status).toBe(200);
    const { deliveries } = await res.json();
    expect(deliveries).toEqual(
      expect.arrayContaining([
        { target: `json ${base} (1)`, status: "delivered", httpStatus: 204 },
        { target: `slack ${base} (2)`, status: "failed", httpStatus: 500, error: "HTTP 500" },
      ]),
    );
    expect(received.map((r) => r.headers["x-scopewise-event"])).toEqual(["test", "test"]);
    expect(received.every((r) => /^t=\d+,v1=[0-9a-f]{64}$/.test(String(r.headers["x-scopewise-signature"])))).toBe(true);
    expect(JSON.stringify(deliveries)).not.toContain(base + "/");
    expect((await post({})).status).toBe(200);
    const limited = await post({});
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(received).toHaveLength(4);
  });
});
