import { expect, test } from "@playwright/test";

test.describe("app shell", () => {
  test("on a phone the navigation folds into a menu and every link stays reachable", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/");
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(async () => {
      if ((await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
      await expect(nav).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    for (const name of ["Overview", "Identities", "Findings", "Graph", "Changes"]) {
      const link = nav.getByRole("link", { name });
      await expect(link).toBeVisible();
      const box = (await link.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    const rescan = page.getByRole("banner").getByRole("button", { name: /Rescan/ });
    const box = (await rescan.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await nav.getByRole("link", { name: "Graph" }).click();
    await expect(page).toHaveURL(/\/graph$/);
    await expect(nav).toBeHidden();
  });

  test("the theme follows the system, and a chosen theme is rendered by the server from the first paint", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto("/");
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bg()).toBe("rgb(15, 20, 26)");
    await page.emulateMedia({ colorScheme: "light" });
    expect(await bg()).toBe("rgb(246, 247, 249)");

    const theme = page.getByRole("combobox", { name: "Theme" });
    await expect(async () => {
      await theme.selectOption("dark");
      await expect(page.locator("html")).toHaveAttribute("data-theme", "dark", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    expect(await bg()).toBe("rgb(15, 20, 26)");
    // The server renders the choice: the HTML as sent already carries it (no flash, no inline script).
    const html = await (await page.request.get("/identities")).text();
    expect(html).toMatch(/<html[^>]*data-theme="dark"/);
    await theme.selectOption("system");
    await expect(page.locator("html")).not.toHaveAttribute("data-theme", /./);
  });

  test("serves a favicon", async ({ request }) => {
    expect((await request.get("/favicon.ico")).status()).toBe(200);
    expect((await request.get("/icon.svg")).headers()["content-type"]).toContain("image/svg+xml");
  });
});
