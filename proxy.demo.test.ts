// Paths other than a detail page are answered synchronously.
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";

// `npm run demo` on port 3330, no launch token: open on this machine, closed to other names.
stubDemoEnv({ SCOPEWISE_PORT: "3330" });

const { proxy } = await import("./proxy");
const request = (path: string, headers: Record<string, string>, method = "GET") => proxy(new NextRequest(`http://localhost:3330${path}`, { method, headers }));

describe("proxy of an open demo", () => {
  it("serves pages and APIs to the loopback names", async () => {
    for (const host of ["localhost:3330", "127.0.0.1:3330"]) expect((await request("/", { host })).headers.get("x-middleware-next")).toBe("1");
  });

  it("answers 421, with the security headers, to any other Host: pages, APIs and static files alike", async () => {
    for (const path of ["/", "/api/csrf", "/api/changes", "/_next/static/chunks/app.js"]) {
      const res = (await request(path, { host: "attacker.example:3330", origin: "http://attacker.example:3330" }, path === "/api/changes" ? "POST" : "GET"));
      expect(res.status, path).toBe(421);
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("answers 403 to another site's Origin", async () => {
    expect((await request("/api/rescan", { host: "localhost:3330", origin: "http://attacker.example:3330" }, "POST")).status).toBe(403);
  });
});

describe("proxy: paths and detail pages", () => {
  it("answers 400 to a malformed % escape in the path, before any page runs", async () => {
    for (const path of ["/findings/%E0%A4%A", "/identities/%zz", "/findings/%", "/api/findings/%E0"]) expect((await request(path, { host: "localhost:3330" })).status, path).toBe(400);
  });

  it("asks the lookup API (as the viewer) before a detail page, and answers an unknown id with the not-found page's 404", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 404 }));
    const res = await proxy(new NextRequest("http://localhost:3330/findings/acr-scope-too-broad-000000000000", { headers: { host: "localhost:3330", cookie: "a=b" } }));
    expect(res.headers.get("x-middleware-rewrite")).toBe("http://localhost:3330/_scopewise/not-found");
    // The not-found page is told what was not found, so it says "No finding with this id".
    expect(res.headers.get("x-middleware-request-x-scopewise-not-found")).toBe("finding");
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe("http://127.0.0.1:3330/api/findings/acr-scope-too-broad-000000000000");
    expect(new Headers(init!.headers).get("cookie")).toBe("a=b");

    fetch.mockResolvedValue(new Response(null, { status: 200 }));
    for (const path of ["/findings/known/fix", "/identities/known"]) {
      const ok = await proxy(new NextRequest(`http://localhost:3330${path}`, { headers: { host: "localhost:3330" } }));
      expect(ok.headers.get("x-middleware-next"), path).toBe("1");
    }
    expect(String(fetch.mock.calls.at(-1)![0])).toBe("http://127.0.0.1:3330/api/identities/known");
    // The verify step shows a finding the rescan resolved: it is not looked up.
    fetch.mockClear();
    expect(((await request("/findings/gone/fix?step=verify", { host: "localhost:3330" }))).headers.get("x-middleware-next")).toBe("1");
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });
});
