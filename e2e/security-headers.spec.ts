import { expect, test } from "@playwright/test";

// Every page and API answer carries the security headers (proxy.ts); the demo runs without sign-in.
const paths = ["/", "/identities", "/graph", "/findings", "/api/csrf", "/no-such-page"];

test.describe("security headers", () => {
  for (const path of paths) {
    test(`${path} carries the CSP with a nonce, frame-ancestors none, nosniff and a referrer policy`, async ({ request }) => {
      const res = await request.get(path, { maxRedirects: 0 });
      const headers = res.headers();
      const csp = headers["content-security-policy"] ?? "";
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("same-origin");
      expect(headers["cross-origin-resource-policy"]).toBe("same-origin");
      // Plain-http localhost: no HSTS (it would pin localhost to https for every local app).
      expect(headers["strict-transport-security"]).toBeUndefined();
    });
  }

  for (const path of ["/identities", "/graph"]) {
    test(`${path}: the page's scripts and styles run under the policy, with no CSP violation`, async ({ page }) => {
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForLoadState("networkidle");
      expect(violations).toEqual([]);
    });
  }
});
