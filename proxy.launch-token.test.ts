// Paths other than a detail page are answered synchronously.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";
import { LAUNCH_COOKIE } from "@/lib/auth/launch-token";

// A demo started with --launch-token on port 3330 (an azure single-user server behaves the same).
const token = "proxy-test-launch-token-0123456789abcdefghij";
stubDemoEnv({ SCOPEWISE_PORT: "3330", SCOPEWISE_LAUNCH_TOKEN: token });

const { proxy } = await import("./proxy");
const { requireActor } = await import("@/lib/auth/actor");

const BASE = "http://localhost:3330";
const request = (path: string, headers: Record<string, string> = {}, method = "GET") => proxy(new NextRequest(`${BASE}${path}`, { method, headers: { host: "localhost:3330", ...headers } }));
const passed = (res: Response) => res.headers.get("x-middleware-next") === "1";

/** Opens the printed link and returns the session cookie it sets. */
async function openLink(): Promise<string> {
  const res = (await request(`/findings?severity=high&token=${token}`));
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get("location")!);
  expect(location.origin).toBe(BASE);
  expect(location.pathname).toBe("/findings");
  expect(location.searchParams.get("token")).toBeNull();
  expect(location.searchParams.get("severity")).toBe("high");
  const setCookie = res.headers.get("set-cookie")!;
  expect(setCookie).toMatch(new RegExp(`^${LAUNCH_COOKIE}=[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
  return setCookie.split(";")[0]!;
}

describe("proxy with a launch token", () => {
  it("answers every page and API without the link's session with 401, explaining how to get in", async () => {
    for (const path of ["/", "/identities", "/findings/x/fix", "/changes", "/auth/sign-in"]) {
      const res = (await request(path));
      expect(res.status, path).toBe(401);
      expect(await res.text()).toContain("Open the launch link");
    }
    for (const [path, method] of [["/api/csrf", "GET"], ["/api/changes", "GET"], ["/api/changes", "POST"], ["/api/rescan", "POST"]] as const) {
      const res = (await request(path, {}, method));
      expect(res.status, path).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="scopewise"');
    }
  });

  it("lets the build's static files through (they hold no tenant data)", async () => {
    expect(passed((await request("/_next/static/chunks/app.js")))).toBe(true);
  });

  it("turns the printed link into a session cookie and drops the token from the address", async () => {
    const cookie = await openLink();
    for (const path of ["/", "/api/changes"]) expect(passed((await request(path, { cookie }))), path).toBe(true);
  });

  it("refuses a link with another token, without setting a cookie", async () => {
    const res = (await request("/?token=not-this-servers-token-0123456789abcdef"));
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("not this server");
  });

  it("takes the token as Authorization: Bearer from scripts", async () => {
    expect(passed((await request("/api/changes", { authorization: `Bearer ${token}` })))).toBe(true);
    expect((await request("/api/changes", { authorization: "Bearer wrong-token-0123456789abcdefghijklmnopq" })).status).toBe(401);
  });

  it("refuses DNS rebinding (Host and Origin attacker.example) with 421, with or without the session", async () => {
    const cookie = await openLink();
    const proofs: Record<string, string>[] = [{}, { cookie }, { authorization: `Bearer ${token}` }];
    for (const headers of proofs) {
      const res = (await request("/api/changes", { ...headers, host: "attacker.example:3330", origin: "http://attacker.example:3330" }, "POST"));
      expect(res.status).toBe(421);
      expect((await request("/", { ...headers, host: "attacker.example:3330" })).status).toBe(421);
    }
    // The link itself does not work under another name either: no cookie is set for it.
    const link = (await request(`/?token=${token}`, { host: "attacker.example:3330" }));
    expect(link.status).toBe(421);
    expect(link.headers.get("set-cookie")).toBeNull();
  });

  it("refuses another site's Origin with 403 even with the session cookie", async () => {
    const cookie = await openLink();
    expect((await request("/api/changes", { cookie, origin: "http://localhost:8080" }, "POST")).status).toBe(403);
  });

  it("names the launch-link session and the bearer client in the audit log, not only the server's credential", async () => {
    const cookie = await openLink();
    const link = await requireActor(new Request(`${BASE}/api/changes`, { headers: { cookie } }));
    expect(link.ok && link.actor.displayName).toMatch(/^launch-link session [0-9a-f]{12} of .+ \(who started this server\), acting with the demo emulator's app registration$/);
    expect(link.ok && link.actor.id).toMatch(/^launch-session:[0-9a-f]{12}$/);
    const bearer = await requireActor(new Request(`${BASE}/api/changes`, { headers: { authorization: `Bearer ${token}` } }));
    expect(bearer.ok && bearer.actor.displayName).toMatch(/^a client holding the launch token of /);
    const nobody = await requireActor(new Request(`${BASE}/api/changes`));
    expect(nobody.ok).toBe(false);
    if (!nobody.ok) expect(nobody.response.status).toBe(401);
  });
});
