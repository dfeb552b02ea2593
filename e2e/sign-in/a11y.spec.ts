import { expect, test } from "@playwright/test";
import { horizontalOverflow, runAxe } from "../support/a11y";
import { signInAs, users } from "./pages";

// With sign-in on, the top bar carries the person and Sign out: the shell must still reflow and pass axe.
test("signed in: the overview has no critical or serious axe violation at 1440 and 390 px, and no sideways scrolling on a phone", async ({ page }) => {
  await signInAs(page, users.reader);
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    const axe = await runAxe(page);
    expect(axe.counts.critical + axe.counts.serious, axe.details.join("\n")).toBe(0);
    if (width < 1000) expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  }
});
