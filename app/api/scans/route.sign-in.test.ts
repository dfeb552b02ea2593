import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createCsrfToken } from "@/app/_lib/csrf";
import { newOpaqueId, SESSION_COOKIE, signValue } from "@/lib/auth/cookie";
import { sessionStore } from "@/lib/auth/session-store";

// Azure mode with an app registration: every API needs a signed-in session.
const secret = "route-test-session-secret-0123456789abcdef";
vi.stubEnv("SCOPEWISE_MODE", "azure");
vi.stubEnv("SCOPEWISE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
vi.stubEnv("SCOPEWISE_CLIENT_ID", "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11");
vi.stubEnv("SCOPEWISE_CLIENT_SECRET", "app-secret");
vi.stubEnv("SCOPEWISE_REDIRECT_URI", "http://localhost:3100/auth/callback");
vi.stubEnv("SCOPEWISE_SESSION_SECRET", secret);
// Sessions live in the store (SQLite here): a fresh one per test file.
vi.stubEnv("SCOPEWISE_DATA_DIR", mkdtempSync(join(tmpdir(), "scopewise-sessions-")));

const startScan = vi.fn();
vi.mock("@/lib/scan/server-jobs", () => ({ startScan: (viewer: unknown) => startScan(viewer), runningScanOf: async () => undefined }));

const { POST, GET } = await import("./route");
const { GET: findings } = await import("../findings/route");

const csrf = createCsrfToken();
const sessionId = newOpaqueId();
const sessionCookie = signValue(secret, "session", sessionId);
const now = Date.now();
await sessionStore().saveSession({
  id: sessionId,
  user: { oid: "11111111-2222-3333-4444-555555555555", tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47", username: "bob.schmidt@contoso.com", name: "Bob Schmidt" },
  tokenCache: "{}",
  homeAccountId: "h",
  createdAt: now,
  lastSeenAt: now,
});

function request(cookies: string[], headers: Record<string, string> = {}): Request {
  return new Request("http://localhost:3100/api/scans", {
    method: "POST",
    body: "{}",
    headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: cookies.join("; "), "x-csrf-token": csrf, "content-type": "application/json", ...headers },
  });
}

describe("POST /api/scans with sign-in configured", () => {
  beforeEach(() => {
    // Each test starts with the person's scan limit unused (route.rescan-limit.test.ts covers it).
    delete (globalThis as { __scopewiseRescanLimiter?: unknown }).__scopewiseRescanLimiter;
    startScan.mockReset();
    startScan.mockResolvedValue({ jobId: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11", joined: false });
  });

  it("answers 401 without a session, even with a valid CSRF token", async () => {
    const res = await POST(request([`scopewise_csrf=${csrf}`]));
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatch(/sign in/);
    expect(startScan).not.toHaveBeenCalled();
  });

  it("answers 401 to a tampered session cookie", async () => {
    const [id, mac] = sessionCookie.split(".") as [string, string];
    const tampered = `${id}.${mac.slice(0, -2)}${mac.endsWith("AA") ? "BB" : "AA"}`;
    expect((await POST(request([`${SESSION_COOKIE}=${tampered}`, `scopewise_csrf=${csrf}`]))).status).toBe(401);
    // A well-signed id the server never issued is no session either.
    expect((await POST(request([`${SESSION_COOKIE}=${signValue("some-other-secret-of-32-characters!!", "session", sessionId)}`, `scopewise_csrf=${csrf}`]))).status).toBe(401);
    expect((await POST(request([`${SESSION_COOKIE}=${signValue(secret, "session", newOpaqueId())}`, `scopewise_csrf=${csrf}`]))).status).toBe(401);
    expect(startScan).not.toHaveBeenCalled();
  });

  it("answers 403 to a session without the CSRF token, or with a wrong one", async () => {
    const missing = await POST(request([`${SESSION_COOKIE}=${sessionCookie}`], { "x-csrf-token": "" }));
    expect(missing.status).toBe(403);
    const wrong = await POST(request([`${SESSION_COOKIE}=${sessionCookie}`, `scopewise_csrf=${csrf}`], { "x-csrf-token": createCsrfToken() }));
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error).toContain("does not match");
    expect(startScan).not.toHaveBeenCalled();
  });

  it("scans as the signed-in person", async () => {
    const res = await POST(request([`${SESSION_COOKIE}=${sessionCookie}`, `scopewise_csrf=${csrf}`]));
    expect(res.status).toBe(202);
    expect(startScan).toHaveBeenCalledTimes(1);
    expect(startScan.mock.calls[0]![0]).toMatchObject({ kind: "user", session: { id: sessionId, user: { username: "bob.schmidt@contoso.com" } } });
  });

  it("answers 401 to the scan and findings reads without a session", async () => {
    for (const read of [GET, findings]) {
      const res = await read(new Request("http://localhost:3100/api/scans", { headers: { cookie: `scopewise_csrf=${csrf}` } }));
      expect(res.status).toBe(401);
    }
  });
});
