import { expect, test, type Page } from "@playwright/test";
import { runAxe } from "./support/a11y";

/** The first finding of a rule as the server lists it now. */
async function firstFinding(page: Page, ruleId: string): Promise<string> {
  await page.goto(`/findings?rule=${ruleId}`);
  const link = page.locator(`main a[href^="/findings/${ruleId}-"]`).first();
  await expect(link).toBeVisible();
  return (await link.getAttribute("href"))!;
}

const triage = (page: Page) => page.getByRole("region", { name: "Triage" });

test.describe("triage", () => {
  test("records a decision on a finding, shows who decided, filters by it, and withdraws it", async ({ page }) => {
    // The finding the accessibility suite checks too (its page passes axe before any decision).
    const href = await firstFinding(page, "acr-scope-too-broad");
    await page.goto(href);
    await expect(triage(page).getByText("Open", { exact: true })).toBeVisible();
    await triage(page).getByRole("radio", { name: "False positive" }).check();
    await triage(page).getByRole("textbox", { name: "Reason" }).fill("The namespace goes away with the app");
    await triage(page).getByRole("textbox", { name: "Owner" }).fill("alice@example.com");
    await triage(page).getByLabel("Expires").fill("2999-01-31");
    await triage(page).getByRole("button", { name: "Record decision" }).click();
    await expect(triage(page).getByText("Decision recorded.")).toBeVisible();
    await expect(triage(page).getByText("False positive", { exact: true }).first()).toBeVisible();
    await expect(triage(page).getByText("2999-01-31").first()).toBeVisible();
    await expect(triage(page).getByRole("list", { name: "Decision history" })).toContainText("marked it a false positive for this finding");
    const axe = await runAxe(page);
    expect(axe.counts.critical + axe.counts.serious, axe.details.join("\n")).toBe(0);

    await page.goto("/findings?triage=false-positive");
    await expect(page.locator(`main a[href="${href}"]`)).toBeVisible();

    await page.goto(href);
    await triage(page).getByRole("button", { name: "Withdraw the decision" }).click();
    await expect(triage(page).getByText("Decision withdrawn.")).toBeVisible();
    await expect(triage(page).getByRole("list", { name: "Decision history" })).toContainText("withdrew the decision");
  });

  test("bulk actions: labelled checkboxes and a live count of the selection", async ({ page }) => {
    await page.goto("/findings?rule=subscription-scope-grant");
    await page.getByText("Bulk actions", { exact: true }).click();
    const boxes = page.getByRole("checkbox", { name: /^Select: / });
    const onPage = await boxes.count();
    expect(onPage).toBeGreaterThan(0);
    const count = page.getByRole("status").filter({ hasText: "on this page selected" });
    await expect(count).toHaveText(`0 of ${onPage} on this page selected`);
    await boxes.first().check();
    await expect(count).toHaveText(`1 of ${onPage} on this page selected`);
    await page.getByRole("checkbox", { name: /Select all .* on this page/ }).check();
    await expect(count).toHaveText(`${onPage} of ${onPage} on this page selected`);
    await expect(page.getByRole("button", { name: `Apply to ${onPage} selected findings` })).toBeVisible();
    await page.getByRole("radio", { name: /matching the filters/ }).check();
    await expect(page.getByRole("button", { name: /Apply to all \d+ findings matching the filters/ })).toBeVisible();
    const axe = await runAxe(page);
    expect(axe.counts.critical + axe.counts.serious, axe.details.join("\n")).toBe(0);
  });
});
