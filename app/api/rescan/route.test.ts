import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";
import { createCsrfToken } from "@/app/_lib/csrf";

// Demo mode: no sign-in, the server's own credential acts (route.sign-in.test.ts covers azure mode).
stubDemoEnv();

const refreshInventory = vi.fn();
vi.mock("@/lib/scan/load", () => {
  class InventoryUnavailableError extends Error {}
  return { refreshInventory: () => refreshInventory(), isRefreshing: () => false, InventoryUnavailableError };
});

const { POST } = await import("./route");
const { GET } = await import("../csrf/route");
const { InventoryUnavailableError } = await import("@/lib/scan/load");

const token = createCsrfToken();
function request(body: string | undefined, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost:3100/api/rescan", {
    method: "POST",
    body,
    headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
  });
}

describe("POST /api/rescan", () => {
  beforeEach(() => {
    // Each test starts with the person's rescan limit unused (route.rescan-limit.test.ts covers it).
    delete (globalThis as { __scopewiseRescanLimiter?: unknown }).__scopewiseRescanLimiter;
    refreshInventory.mockReset();
    refreshInventory.mockResolvedValue({ inventory: { scannedAt: "2025-01-01T00:00:00Z", errors: [{}, {}] }, durationMs: 812, source: "demo emulator" });
  });

  it("rescans and reports when, how long and how many parts failed", async () => {
    const res = await POST(request("{}"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ scannedAt: "2025-01-01T00:00:00Z", durationMs: 812, source: "demo emulator", errors: 2 });
    expect(refreshInventory).toHaveBeenCalledTimes(1);
  });

  it("accepts an empty body", async () => {
    expect((await POST(request(undefined))).status).toBe(200);
  });

  it("refuses a request without the CSRF token with 403 and does not scan", async () => {
    const res = await POST(request("{}", { "x-csrf-token": "" }));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toContain("x-csrf-token");
    expect(refreshInventory).not.toHaveBeenCalled();
  });

  it("refuses a cross-origin request with 403", async () => {
    expect((await POST(request("{}", { origin: "https://evil.example" }))).status).toBe(403);
    expect(refreshInventory).not.toHaveBeenCalled();
  });

  it("answers 400 to a body that is not JSON and 422 to unknown fields, naming them", async () => {
    expect((await POST(request("{nope"))).status).toBe(400);
    const res = await POST(request(JSON.stringify({ subscription: "x" })));
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain("subscription");
    expect(refreshInventory).not.toHaveBeenCalled();
  });

  it("answers 503 with the message when the scan source is unavailable", async () => {
    refreshInventory.mockRejectedValue(new InventoryUnavailableError("emulator unreachable at https://localhost:1"));
    const res = await POST(request("{}"));
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe("emulator unreachable at https://localhost:1");
  });

  it("hides unexpected failures behind a generic 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    refreshInventory.mockRejectedValue(new Error("secret internals"));
    const res = await POST(request("{}"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret");
  });
});

describe("GET /api/csrf", () => {
  it("issues a token in a strict cookie and the body, and reuses a valid existing one", async () => {
    const fresh = GET(new Request("http://localhost:3100/api/csrf"));
    const { token: issued } = await fresh.json();
    expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh.headers.get("set-cookie")).toContain(`scopewise_csrf=${issued}; Path=/; HttpOnly; SameSite=Strict`);
    const again = GET(new Request("http://localhost:3100/api/csrf", { headers: { cookie: `scopewise_csrf=${issued}` } }));
    expect((await again.json()).token).toBe(issued);
  });
});
