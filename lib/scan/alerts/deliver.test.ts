import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseAlertTargets, type AlertEvent } from "@/lib/model/alerts";
import { AlertDeliveries } from "@/lib/store/alert-deliveries";
import { migrate } from "@/lib/store/migrations";
import type { SqlDatabase } from "@/lib/store/sql";
import { sqliteTestDatabase } from "@/lib/store/sql.testing";
import { retryAfterMs, SIGNATURE_HEADER } from "./deliver";
import { sendAlert, sendTestAlert, type AlertSettings } from "./notify";

const SECRET = "k".repeat(40);

/** A webhook receiver: answers from a script, records each request, and verifies the signature as the README tells receivers to. */
interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
  signatureValid: boolean;
}
let server: http.Server;
let base: string;
let script: { status: number; headers?: Record<string, string> }[] = [];
let received: Received[] = [];

function verify(header: string | undefined, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) return false;
  const expected = createHmac("sha256", SECRET).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, "hex")) && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ body, headers: req.headers, signatureValid: verify(req.headers[SIGNATURE_HEADER] as string | undefined, body) });
      const next = script.shift() ?? { status: 200 };
      res.writeHead(next.status, next.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const target = sqliteTestDatabase();
let db: SqlDatabase;
let sleeps: number[];
beforeEach(async () => {
  db ??= await target.open();
  await migrate(db);
  script = [];
  received = [];
  sleeps = [];
});
afterAll(() => target.dispose());

const HOSTILE = "[click](https://evil.example) <!channel> <https://evil.example|x> **b** & </script>";
const event: AlertEvent = {
  kind: "new-findings",
  scanId: 12,
  scannedAt: "2026-01-01T00:00:00Z",
  source: "the demo emulator",
  minSeverity: "high",
  findings: [{ id: "f1", ruleId: "subscription-scope-grant", title: "Role at subscription scope", severity: "critical", message: HOSTILE, identityName: HOSTILE, scope: "/subscriptions/x" }],
};

function settings(hooks: string): AlertSettings {
  return { targets: parseAlertTargets(hooks).targets, secret: SECRET, minSeverity: "high", links: {} };
}
const send = (hooks: string, policy = {}) => sendAlert(db, settings(hooks), event, { sleep: async (ms) => void sleeps.push(ms), policy });
const lastDelivery = async () => (await new AlertDeliveries(db).list(1))[0]!;

describe("alert delivery to a local receiver", () => {
  it("posts the body with a signature the receiver verifies, and logs one delivered attempt", async () => {
    expect(await send(`json:${base}/hook`)).toEqual(["delivered"]);
    expect(received).toHaveLength(1);
    expect(received[0]!.signatureValid).toBe(true);
    expect(received[0]!.headers["x-scopewise-event"]).toBe("new-findings");
    expect(JSON.parse(received[0]!.body)).toMatchObject({ version: 1, kind: "new-findings", scanId: 12, findings: [{ id: "f1", identityName: HOSTILE }] });
    const d = await lastDelivery();
    expect(d).toMatchObject({ status: "delivered", attempts: 1, httpStatus: 200, target: `json ${base} (1)`, scanId: 12 });
    expect(received[0]!.headers["x-scopewise-delivery"]).toBe(d.id);
  });

  it("a tampered body fails verification", () => {
    expect(verify(`t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`, "{}")).toBe(false);
  });

  it("retries a 500 with backoff and a 429 after its Retry-After, then delivers", async () => {
    script = [{ status: 500 }, { status: 429, headers: { "retry-after": "3" } }, { status: 204 }];
    expect(await send(`${base}/hook`)).toEqual(["delivered"]);
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    expect(sleeps).toEqual([1000, 3000]);
    const d = await lastDelivery();
    expect(d.attemptLog.map((a) => a.httpStatus)).toEqual([500, 429, 204]);
    expect(d).toMatchObject({ status: "delivered", attempts: 3 });
  });

  it("does not retry another 4xx, and logs why it failed", async () => {
    script = [{ status: 404 }];
    expect(await send(`${base}/hook`)).toEqual(["failed"]);
    expect(received).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(await lastDelivery()).toMatchObject({ status: "failed", attempts: 1, httpStatus: 404, error: "HTTP 404" });
  });

  it("gives up after the bounded number of tries, and at once when Retry-After exceeds the limit", async () => {
    script = Array.from({ length: 6 }, () => ({ status: 503 }));
    expect(await send(`${base}/hook`, { maxAttempts: 4 })).toEqual(["failed"]);
    expect(received).toHaveLength(4);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    script = [{ status: 429, headers: { "retry-after": "3600" } }];
    received = [];
    expect(await send(`${base}/hook`)).toEqual(["failed"]);
    expect(received).toHaveLength(1);
    expect((await lastDelivery()).error).toBe("HTTP 429; asked to wait 3600 s, more than the 60 s limit");
  });

  it("retries when the receiver cannot be reached, and logs the network error", async () => {
    expect(await send("http://127.0.0.1:9/unreachable", { maxAttempts: 2 })).toEqual(["failed"]);
    const d = await lastDelivery();
    expect(d.attempts).toBe(2);
    expect(d.error).toMatch(/^network: /);
  });

  it("sends Slack only plain_text for tenant names and Teams only TextRuns, so names cannot become links or mentions", async () => {
    await send(`slack:${base}/slack teams:${base}/teams`);
    const slack = JSON.parse(received.find((r) => r.headers["content-type"] && r.body.includes('"blocks"'))!.body);
    expect(slack.text).not.toMatch(/[<>]/);
    const slackTexts = JSON.stringify(slack.blocks);
    expect(slackTexts).not.toContain('"mrkdwn"');
    expect(slackTexts).toContain(JSON.stringify(`[Critical] Role at subscription scope — ${HOSTILE} — /subscriptions/x`));
    const teams = JSON.parse(received.find((r) => r.body.includes("AdaptiveCard"))!.body);
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    const elements: { type: string; inlines?: { type: string; text: string }[] }[] = teams.attachments[0].content.body;
    expect(elements.every((e) => e.type === "RichTextBlock" && e.inlines!.every((i) => i.type === "TextRun"))).toBe(true);
    expect(elements.some((e) => e.inlines![0]!.text.includes(HOSTILE))).toBe(true);
  });
});

describe("a test alert", () => {
  it("reaches every target once, signed, and says per target what it answered (no retries while a person waits)", async () => {
    script = [{ status: 200 }, { status: 503 }];
    const out = await sendTestAlert(db, settings(`json:${base}/ok slack:${base}/down`), HOSTILE, { sleep: async (ms) => void sleeps.push(ms) });
    expect(received).toHaveLength(2);
    expect(received.every((r) => r.signatureValid && r.headers["x-scopewise-event"] === "test")).toBe(true);
    expect(sleeps).toEqual([]);
    expect(out.map((d) => d.status).sort()).toEqual(["delivered", "failed"]);
    const failed = out.find((d) => d.status === "failed")!;
    expect(failed).toMatchObject({ httpStatus: expect.any(Number), error: expect.stringMatching(/^HTTP /) });
    expect(out.every((d) => /^(json|slack) http:\/\/127\.0\.0\.1:\d+ \([12]\)$/.test(d.target))).toBe(true);
    // The requester's name is text: plain_text in Slack, a field in JSON.
    const json = received.map((r) => JSON.parse(r.body)).find((b) => b.version === 1);
    expect(json).toMatchObject({ kind: "test", requestedBy: HOSTILE, headline: expect.stringContaining("test alert") });
    const slack = received.map((r) => JSON.parse(r.body)).find((b) => b.blocks);
    expect(JSON.stringify(slack.blocks)).not.toContain('"mrkdwn"');
    expect((await new AlertDeliveries(db).list(2)).every((d) => d.eventKind === "test" && d.attempts === 1)).toBe(true);
  });
});

describe("retryAfterMs", () => {
  it("reads delta-seconds and HTTP dates", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
