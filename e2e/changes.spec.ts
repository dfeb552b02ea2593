import { expect, test } from "@playwright/test";
import { ChangesPage } from "./pages/wizard";

test.describe("changes (audit log)", () => {
  test("lists changes or says none were applied, and is in the main navigation", async ({ page }) => {
    const changes = new ChangesPage(page);
    await changes.goto();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" })).toHaveAttribute("aria-current", "page");
    const empty = page.getByRole("status").filter({ hasText: "No changes applied yet" });
    await expect(changes.list.or(empty)).toBeVisible();
  });

  test("mutating routes refuse requests without the CSRF token and bad bodies", async ({ request }) => {
    const noToken = await request.post("/api/changes/00000000-0000-4000-8000-000000000000/undo", { data: { confirm: true } });
    expect(noToken.status()).toBe(403);
    const token = (await (await request.get("/api/csrf")).json()) as { token: string };
    const headers = { "x-csrf-token": token.token };
    const unconfirmed = await request.post("/api/changes/00000000-0000-4000-8000-000000000000/undo", { data: {}, headers });
    expect(unconfirmed.status()).toBe(422);
    const unknown = await request.post("/api/changes/00000000-0000-4000-8000-000000000000/undo", { data: { confirm: true }, headers });
    expect(unknown.status()).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain("no change");
  });

  test("the wizard of an unknown finding is a not-found page", async ({ page }) => {
    await page.goto("/findings/acr-scope-too-broad-000000000000/fix");
    await expect(page.getByRole("heading", { name: "No finding with this id" })).toBeVisible();
  });
});
