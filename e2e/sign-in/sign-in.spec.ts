import { expect, test } from "@playwright/test";
import { OverviewPage } from "../pages/overview-page";
import { EntraSignInForm, signInAs, UserMenu, users } from "./pages";

test.describe("sign-in (azure mode against the emulator)", () => {
  test("sends a visitor without a session to sign-in, shows the inventory after it, and signs out back to sign-in", async ({ page }) => {
    await page.goto("/identities");
    const form = new EntraSignInForm(page);
    await form.expectShown();
    await form.signIn(users.platformAdmin.username, users.platformAdmin.password);

    // Back where the visit started, reading the tenant as Dana (Owner on every subscription through her group).
    await expect(page).toHaveURL(/\/identities$/);
    const menu = new UserMenu(page);
    await expect(menu.signedInAs).toContainText(users.platformAdmin.name);
    const overview = new OverviewPage(page);
    await overview.goto();
    await expect(overview.subscriptions.locator("tbody tr")).toHaveCount(3);
    await expect(page.getByText(`Azure as ${users.platformAdmin.username}`)).toBeVisible();

    await menu.signOut();
    await form.expectShown();
    // The session is gone on the server: the dashboard asks for sign-in again, and APIs refuse.
    await page.goto("/");
    await form.expectShown();
    const api = await page.request.get("/api/csrf");
    expect(api.status()).toBe(401);
  });

  test("a Reader on one subscription sees only that subscription", async ({ page }) => {
    await signInAs(page, users.reader);
    const overview = new OverviewPage(page);
    await overview.goto();
    const rows = overview.subscriptions.locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(users.reader.subscription);
    await expect(page.getByText(`Azure as ${users.reader.username}`)).toBeVisible();
  });

  test("what Azure refuses a person shows as rights they lack, not as nothing found", async ({ page }) => {
    // Alice is User Access Administrator on payments-prod: she reads it, but may not list cluster credentials.
    await signInAs(page, users.securityLead);
    const overview = new OverviewPage(page);
    await overview.goto();
    await expect(overview.subscriptions.locator("tbody tr")).toHaveCount(1);
    await expect(overview.partialCoverage).toBeVisible();
    await expect(overview.partialCoverage).toContainText(/you lack rights on \/subscriptions\/[^ ]+\/managedClusters\/aks-/);
    await expect(overview.partialCoverage).toContainText("listClusterUserCredential/action");
  });

  test("a Reader's change is refused by Azure with a clear message", async ({ page }) => {
    await signInAs(page, users.reader);
    const { token } = (await (await page.request.get("/api/csrf")).json()) as { token: string };
    const origin = new URL(page.url()).origin;
    // Bob's view has findings on the connectivity subscription; applying any of their fixes needs write rights he lacks.
    await page.goto("/findings");
    const first = page.locator('table a[href^="/findings/"]').first();
    const href = await first.getAttribute("href");
    const findingId = decodeURIComponent(/\/findings\/([^/?#]+)/.exec(href ?? "")![1]!);
    await first.click();
    const planSection = page.getByRole("region", { name: /^Fix plan 1:/ });
    await expect(planSection).toBeVisible();
    const probe = await page.request.post("/api/changes", {
      headers: { "x-csrf-token": token, origin, "content-type": "application/json" },
      data: { findingId, planId: "?" },
    });
    const planId = /it has: ([^,)]+)/.exec(((await probe.json()) as { error: string }).error)?.[1];
    expect(planId, "the finding lists its fix plans").toBeTruthy();
    const res = await page.request.post("/api/changes", {
      headers: { "x-csrf-token": token, origin, "content-type": "application/json" },
      data: { findingId, planId, confirm: true },
    });
    const body = (await res.json()) as { result: { status: string; failure?: { status?: number; code?: string }; message: string } };
    // The apply engine reports Azure's refusal of the first write, and that nothing changed.
    expect(body.result.status, JSON.stringify(body)).toBe("failed");
    expect(body.result.failure).toMatchObject({ status: 403, code: "AuthorizationFailed" });
    expect(body.result.message).toMatch(
      /The client 'bob\.schmidt@contoso\.com' with object id '[0-9a-f-]{36}' does not have authorization to perform action 'Microsoft\.Authorization\/roleAssignments\/(write|delete)'/,
    );
    expect(body.result.message).toMatch(/before anything was changed/);
  });

  test("without the CSRF token a signed-in person's change is refused with 403", async ({ page }) => {
    await signInAs(page, users.reader);
    const res = await page.request.post("/api/rescan", { headers: { origin: new URL(page.url()).origin, "content-type": "application/json" }, data: {} });
    expect(res.status()).toBe(403);
  });

  test("every page carries the security headers, with a fresh script nonce each time", async ({ page }) => {
    await signInAs(page, users.reader);
    const nonces = new Set<string>();
    for (const path of ["/", "/identities", "/graph", "/findings", "/auth/sign-in"]) {
      const res = await page.request.get(path, { maxRedirects: 0 });
      const csp = res.headers()["content-security-policy"] ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      nonces.add(/'nonce-([^']+)'/.exec(csp)![1]!);
      expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
      expect(res.headers()["referrer-policy"], path).toBe("same-origin");
    }
    expect(nonces.size).toBe(5);
    // Next stamps the nonce on the scripts it renders; nothing the page runs is refused by the policy.
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto("/identities");
    const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"] ?? "")![1]!;
    const html = await response!.text();
    const rendered = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(rendered.length).toBeGreaterThan(0);
    for (const tag of rendered) expect(tag, "every server-rendered script carries this response's nonce").toContain(`nonce="${nonce}"`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
  });
});
