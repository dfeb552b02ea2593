import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

// `npm run demo` on port 3330, no launch token: open on this machine, closed to other names.
vi.stubEnv("SCOPEWISE_MODE", "demo");
vi.stubEnv("SCOPEWISE_ARM_ENDPOINT", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_GRAPH_ENDPOINT", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_AUTHORITY_HOST", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
vi.stubEnv("SCOPEWISE_CLIENT_ID", "scopewise-demo");
vi.stubEnv("SCOPEWISE_CLIENT_SECRET", "s3cret");
vi.stubEnv("SCOPEWISE_CA_FILE", "/tmp/ca.pem");
vi.stubEnv("SCOPEWISE_PORT", "3330");

const { proxy } = await import("./proxy");
const request = (path: string, headers: Record<string, string>, method = "GET") => proxy(new NextRequest(`http://localhost:3330${path}`, { method, headers }));

describe("proxy of an open demo", () => {
  it("serves pages and APIs to the loopback names", () => {
    for (const host of ["localhost:3330", "127.0.0.1:3330"]) expect(request("/", { host }).headers.get("x-middleware-next")).toBe("1");
  });

  it("answers 421, with the security headers, to any other Host: pages, APIs and static files alike", async () => {
    for (const path of ["/", "/api/csrf", "/api/changes", "/_next/static/chunks/app.js"]) {
      const res = request(path, { host: "attacker.example:3330", origin: "http://attacker.example:3330" }, path === "/api/changes" ? "POST" : "GET");
      expect(res.status, path).toBe(421);
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("answers 403 to another site's Origin", () => {
    expect(request("/api/rescan", { host: "localhost:3330", origin: "http://attacker.example:3330" }, "POST").status).toBe(403);
  });
});
