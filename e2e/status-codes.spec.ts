import { expect, test } from "@playwright/test";
import { evaluateRules } from "@/lib/rules/evaluate";
import { expectedInventory } from "./support/expected";

// Status codes people's tools and crawlers rely on: a bad path is 400, a missing object 404, not a 200 page saying so.
test.describe("status codes", () => {
  test("a malformed % escape in a path answers 400, not a bare 500", async ({ request }) => {
    for (const path of ["/findings/%E0%A4%A", "/identities/%zz", "/findings/%E0%A4%A/fix"]) expect((await request.get(path)).status(), path).toBe(400);
  });

  test("an unknown finding or identity answers 404 with the not-found page; a known one 200", async ({ request, page }) => {
    for (const path of ["/findings/acr-scope-too-broad-000000000000", "/findings/acr-scope-too-broad-000000000000/fix", "/identities/00000000-0000-0000-0000-000000000000"]) {
      expect((await request.get(path)).status(), path).toBe(404);
    }
    const response = await page.goto("/findings/acr-scope-too-broad-000000000000");
    expect(response?.status()).toBe(404);
    // The not-found page says what was not found.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("No finding with this id");
    const known = evaluateRules(await expectedInventory())[0]!;
    expect((await request.get(`/findings/${encodeURIComponent(known.id)}`)).status()).toBe(200);
  });
});
