import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { call } from "@/emulator/testdata/http-client";
import { newOpaqueId, SESSION_COOKIE, signValue, SIGN_IN_COOKIE } from "@/lib/auth/cookie";
import { sessionStore } from "@/lib/auth/session-store";
import { loadTenantFile } from "@/lib/tenant/schema";

let h: EmulatorHandle;
const client = { clientId: "5c4a1e2b-6f7d-4a8e-9b0c-1d2e3f405162", clientSecret: "scopewise-app-secret" };
const secret = "auth-route-test-secret-0123456789abcdefgh";
const app = "http://localhost:3999";
type Handler = (request: Request) => Promise<Response>;
// Imported after the environment names the emulator: the configuration is read once per process.
let routes: { signIn: { GET: Handler }; callback: { GET: Handler }; signOut: { POST: Handler } };

beforeAll(async () => {
  h = await startEmulator({ tenant: await loadTenantFile(new URL("../../fixtures/tenants/demo.json", import.meta.url).pathname), clients: [client] });
  vi.stubEnv("SCOPEWISE_MODE", "azure");
  vi.stubEnv("SCOPEWISE_TENANT_ID", h.tenantId);
  vi.stubEnv("SCOPEWISE_CLIENT_ID", client.clientId);
  vi.stubEnv("SCOPEWISE_CLIENT_SECRET", client.clientSecret);
  vi.stubEnv("SCOPEWISE_REDIRECT_URI", `${app}/auth/callback`);
  vi.stubEnv("SCOPEWISE_SESSION_SECRET", secret);
  // Sessions live in the store (SQLite here): a fresh one per test file.
  vi.stubEnv("SCOPEWISE_DATA_DIR", mkdtempSync(join(tmpdir(), "scopewise-sessions-")));
  vi.stubEnv("SCOPEWISE_AUTHORITY_HOST", h.authorityHost);
  vi.stubEnv("SCOPEWISE_ARM_ENDPOINT", h.armEndpoint);
  vi.stubEnv("SCOPEWISE_GRAPH_ENDPOINT", h.graphEndpoint);
  vi.stubEnv("SCOPEWISE_CA_FILE", h.caFile);
  routes = { signIn: await import("./sign-in/route"), callback: await import("./callback/route"), signOut: await import("./sign-out/route") };
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
});

function setCookies(res: Response): string[] {
  return res.headers.getSetCookie();
}

function cookieValue(res: Response, name: string): string | undefined {
  const c = setCookies(res).find((x) => x.startsWith(`${name}=`));
  return c?.slice(name.length + 1).split(";")[0];
}

/** Drives the emulator's form as a browser would and returns the callback URL. */
async function authorize(url: string, username: string, password: string): Promise<URL> {
  const page = await call(h, "GET", url);
  const fields = new URLSearchParams();
  for (const m of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1]!, m[2]!.replace(/&amp;/g, "&"));
  fields.set("username", username);
  fields.set("password", password);
  const posted = await call(h, "POST", new URL(url).pathname, { body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  return new URL(String(posted.headers.location));
}

describe("sign-in routes", () => {
  it("GET /auth/sign-in sends the browser to Entra with a flow cookie scoped to /auth", async () => {
    const res = await routes.signIn.GET(new Request(`${app}/auth/sign-in?returnTo=/graph`));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^${h.url}/${h.tenantId}/oauth2/v2.0/authorize\\?`));
    const flow = setCookies(res).find((c) => c.startsWith(`${SIGN_IN_COOKIE}=`))!;
    expect(flow).toMatch(/; Path=\/auth; HttpOnly; SameSite=Lax; Max-Age=600$/);
  });

  it("completes a sign-in at /auth/callback: an opaque session cookie, back to where the visit started", async () => {
    const start = await routes.signIn.GET(new Request(`${app}/auth/sign-in?returnTo=/graph`));
    const callbackUrl = await authorize(start.headers.get("location")!, "bob.schmidt@contoso.com", "demo-reader");
    const res = await routes.callback.GET(new Request(callbackUrl, { headers: { cookie: `${SIGN_IN_COOKIE}=${cookieValue(start, SIGN_IN_COOKIE)}` } }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${app}/graph`);
    const session = setCookies(res).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    // Plain-http localhost: no Secure flag (the browser would drop the cookie), otherwise always.
    expect(session).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax$`));
    expect(setCookies(res).find((c) => c.startsWith(`${SIGN_IN_COOKIE}=`))).toMatch(/Max-Age=0/);
  });

  it("refuses a callback whose state this browser did not start, without a session", async () => {
    const start = await routes.signIn.GET(new Request(`${app}/auth/sign-in`));
    const callbackUrl = await authorize(start.headers.get("location")!, "bob.schmidt@contoso.com", "demo-reader");
    const res = await routes.callback.GET(new Request(callbackUrl));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This sign-in was not started in this browser");
    expect(cookieValue(res, SESSION_COOKIE)).toBeUndefined();
  });

  it("POST /auth/sign-out ends the session on the server, clears the cookie and signs out of Entra", async () => {
    const id = newOpaqueId();
    await sessionStore().saveSession({ id, user: { oid: "o", tenantId: h.tenantId, username: "u", name: "n" }, tokenCache: "{}", homeAccountId: "x", createdAt: Date.now(), lastSeenAt: Date.now() });
    const res = await routes.signOut.POST(
      new Request(`${app}/auth/sign-out`, { method: "POST", headers: { origin: app, cookie: `${SESSION_COOKIE}=${signValue(secret, "session", id)}` } }),
    );
    expect(res.status).toBe(303);
    const logout = new URL(res.headers.get("location")!);
    expect(logout.pathname).toBe(`/${h.tenantId}/oauth2/v2.0/logout`);
    expect(logout.searchParams.get("post_logout_redirect_uri")).toBe(`${app}/auth/sign-in`);
    expect(cookieValue(res, SESSION_COOKIE)).toBe("");
    expect(await sessionStore().getSession(id)).toBeUndefined();
  });

  it("refuses a cross-site sign-out", async () => {
    const res = await routes.signOut.POST(new Request(`${app}/auth/sign-out`, { method: "POST", headers: { origin: "https://evil.example" } }));
    expect(res.status).toBe(403);
  });
});
