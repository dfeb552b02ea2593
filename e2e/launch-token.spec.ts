import { expect, request as apiRequest, test, type APIRequestContext } from "@playwright/test";
import { evaluateRules } from "@/lib/rules/evaluate";
import { OverviewPage } from "./pages/overview-page";
import { expectedInventory } from "./support/expected";
import { ownPort, startOwnDemo, type OwnDemo } from "./support/own-demo";

/**
 * A demo started with --launch-token, as a single-user Azure server runs: its own server on
 * E2E_LAUNCH_PORT (default E2E_PORT + 2), with its own data directory. Without the printed
 * link's session or the token, and under another Host or Origin, nobody reads the inventory or
 * applies a fix; the link works in a browser and the token for scripts.
 */
const port = ownPort("E2E_LAUNCH_PORT", 2);
const origin = `http://localhost:${port}`;
const token = `e2e-launch-${Date.now()}-0123456789abcdefghijklmnop`;
const attacker = `attacker.example:${port}`;

let demo: OwnDemo | undefined;

test.describe.serial("a server with a launch token", () => {
  test.setTimeout(120_000);

  test.beforeAll(async () => {
    test.setTimeout(660_000);
    demo = await startOwnDemo(port, ["--launch-token", token]);
    // The printed link carries the token.
    expect(demo.output).toContain(`/?token=${token}`);
  });

  test.afterAll(async () => {
    await demo?.stop();
  });

  /** An API client that keeps no cookies of the browser: a script, or another site's page. */
  const client = (): Promise<APIRequestContext> => apiRequest.newContext({ baseURL: origin });

  test("without the link's session: every page and API answers 401 and says how to get in", async () => {
    const api = await client();
    for (const p of ["/", "/findings", "/identities", "/changes"]) {
      const res = await api.get(p, { maxRedirects: 0 });
      expect(res.status(), p).toBe(401);
      expect(await res.text()).toContain("Open the launch link");
    }
    for (const p of ["/api/csrf", "/api/changes"]) expect((await api.get(p)).status(), p).toBe(401);
    expect((await api.post("/api/changes", { data: { findingId: "x", planId: "y", confirm: true } })).status()).toBe(401);
    await api.dispose();
  });

  test("DNS rebinding (Host and Origin attacker.example) cannot read the inventory or apply a fix, even with the token", async () => {
    const finding = evaluateRules(await expectedInventory()).find((f) => f.ruleId === "subscription-scope-grant")!;
    const plan = finding.fixes.find((p) => p.steps.some((s) => s.kind === "create-role-assignment")) ?? finding.fixes[0]!;
    const api = await client();
    const headers = { host: attacker, origin: `http://${attacker}` };
    const proofs: Record<string, string>[] = [{}, { authorization: `Bearer ${token}` }];
    for (const auth of proofs) {
      expect((await api.get("/", { headers: { ...headers, ...auth }, maxRedirects: 0 })).status()).toBe(421);
      expect((await api.get("/api/changes", { headers: { ...headers, ...auth } })).status()).toBe(421);
      expect((await api.get(`/findings/${finding.id}`, { headers: { ...headers, ...auth } })).status()).toBe(421);
      const apply = await api.post("/api/changes", { headers: { ...headers, ...auth }, data: { findingId: finding.id, planId: plan.id, confirm: true } });
      expect(apply.status()).toBe(421);
    }
    // The link under the attacker's name sets no session either.
    const link = await api.get(`/?token=${token}`, { headers, maxRedirects: 0 });
    expect(link.status()).toBe(421);
    expect(link.headers()["set-cookie"]).toBeUndefined();
    // Nothing was applied: the audit log (read with the token, as a script) is empty.
    const log = await api.get("/api/changes", { headers: { authorization: `Bearer ${token}` } });
    expect(log.status()).toBe(200);
    expect((await log.json()).changes).toEqual([]);
    await api.dispose();
  });

  test("the printed link opens the dashboard, drops the token from the address and sets a strict, HttpOnly session cookie", async ({ browser }) => {
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    const overview = new OverviewPage(page);
    await page.goto(`/?token=${token}`);
    await expect(overview.heading).toBeVisible();
    expect(new URL(page.url()).search).toBe("");
    const cookie = (await context.cookies()).find((c) => c.name === "scopewise_launch")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("scopewise_launch");
    await page.goto("/findings");
    await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
    // The session does not make another site's request acceptable.
    const foreign = await context.request.post("/api/rescan", { headers: { origin: `http://${attacker}` }, data: {} });
    expect(foreign.status()).toBe(403);
    await context.close();
  });

  test("a wrong token opens nothing; the token works for scripts as Authorization: Bearer", async () => {
    const api = await client();
    const wrong = await api.get("/?token=not-this-servers-token-0123456789abcdef", { maxRedirects: 0 });
    expect(wrong.status()).toBe(401);
    expect(wrong.headers()["set-cookie"]).toBeUndefined();
    const finding = evaluateRules(await expectedInventory()).find((f) => f.ruleId === "subscription-scope-grant")!;
    const dryRunOf = () => api.post("/api/changes", { headers: { authorization: `Bearer ${token}` }, data: { findingId: finding.id, planId: finding.fixes[0]!.id } });
    // This demo's first scan may still run: the API says so (503) until it completes.
    let dryRun = await dryRunOf();
    for (let i = 0; dryRun.status() === 503 && i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      dryRun = await dryRunOf();
    }
    expect(dryRun.status()).toBe(200);
    expect((await dryRun.json()).result.dryRun).toBe(true);
    await api.dispose();
  });
});
