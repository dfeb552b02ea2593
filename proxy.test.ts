import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// Paths other than a detail page are answered synchronously.
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { newOpaqueId, SESSION_COOKIE, signValue } from "@/lib/auth/cookie";
import { sessionStore } from "@/lib/auth/session-store";

const secret = "proxy-test-session-secret-0123456789abcdef";
vi.stubEnv("SCOPEWISE_MODE", "azure");
vi.stubEnv("SCOPEWISE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
vi.stubEnv("SCOPEWISE_CLIENT_ID", "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11");
vi.stubEnv("SCOPEWISE_CLIENT_SECRET", "app-secret");
vi.stubEnv("SCOPEWISE_REDIRECT_URI", "https://scopewise.contoso.com/auth/callback");
vi.stubEnv("SCOPEWISE_SESSION_SECRET", secret);
// Sessions live in the store (SQLite here): a fresh one per test file.
vi.stubEnv("SCOPEWISE_DATA_DIR", mkdtempSync(join(tmpdir(), "scopewise-sessions-")));

const { proxy } = await import("./proxy");

const sessionId = newOpaqueId();
await sessionStore().saveSession({
  id: sessionId,
  user: { oid: "o", tenantId: "t", username: "dana.okafor@contoso.com", name: "Dana Okafor" },
  tokenCache: "{}",
  homeAccountId: "h",
  createdAt: Date.now(),
  lastSeenAt: Date.now(),
});
const cookie = `${SESSION_COOKIE}=${signValue(secret, "session", sessionId)}`;

const get = (url: string, headers: Record<string, string> = {}) => proxy(new NextRequest(url, { headers }));

describe("proxy with sign-in configured", () => {
  it("sends a page without a session to sign-in, remembering where it was going", async () => {
    const res = (await get("https://scopewise.contoso.com/identities?kind=app"));
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!);
    expect(location.pathname).toBe("/auth/sign-in");
    expect(location.searchParams.get("returnTo")).toBe("/identities?kind=app");
  });

  it("lets the health probes through without a session (a load balancer has none)", async () => {
    for (const path of ["/api/health", "/api/ready"]) {
      const res = (await get(`https://scopewise.contoso.com${path}`));
      expect(res.status, path).toBe(200);
      expect(res.headers.get("location"), path).toBeNull();
    }
    expect((await get("https://scopewise.contoso.com/api/scans")).status).toBe(401);
  });

  it("answers an API without a session with 401, and a tampered cookie too", async () => {
    const res = (await get("https://scopewise.contoso.com/api/csrf"));
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatch(/sign in/);
    const tampered = (await get("https://scopewise.contoso.com/api/csrf", { cookie: `${cookie.slice(0, -3)}xyz` }));
    expect(tampered.status).toBe(401);
  });

  it("lets the sign-in flow and static files through without a session", async () => {
    for (const path of ["/auth/sign-in", "/auth/callback?code=c&state=s", "/_next/static/chunks/app.js"]) {
      expect((await get(`https://scopewise.contoso.com${path}`)).headers.get("x-middleware-next")).toBe("1");
    }
  });

  it("passes a request with a live session on, with the nonce for Next to stamp on its scripts", async () => {
    const res = (await get("https://scopewise.contoso.com/graph", { cookie }));
    expect(res.headers.get("x-middleware-next")).toBe("1");
    const csp = res.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("puts the security headers on every answer, redirects and 401s included, with HSTS over https", async () => {
    for (const res of [(await get("https://scopewise.contoso.com/")), (await get("https://scopewise.contoso.com/api/rescan")), (await get("https://scopewise.contoso.com/", { cookie }))]) {
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=/);
    }
    expect((await get("http://localhost:3000/auth/sign-in")).headers.get("strict-transport-security")).toBeNull();
  });
});
