import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { focused, tabsUntil } from "./support/a11y";
import { GraphPage } from "./pages/graph";

const report = path.join(__dirname, "..", "artifacts", "keyboard.jsonl");
function record(what: string, tabs: number) {
  mkdirSync(path.dirname(report), { recursive: true });
  appendFileSync(report, `${JSON.stringify({ what, tabs })}\n`);
}

test.describe("keyboard", () => {
  test("a skip link reaches the findings list: first finding in a few Tabs", async ({ page }) => {
    await page.goto("/findings");
    await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    const firstFindingHref = await page.locator('#results tbody a[href^="/findings/"]').first().getAttribute("href");
    const onFirstFinding = (f: Awaited<ReturnType<typeof focused>>) => f.href === firstFindingHref;

    // Without the skip link: every Tab from the top.
    const plain = await tabsUntil(page, onFirstFinding);
    record("findings: Tabs to the first finding without the skip link", plain);

    await page.goto("/findings");
    await page.waitForLoadState("networkidle");
    const toSkip = await tabsUntil(page, (f) => f.tag === "a" && f.text === "Skip to results", 5);
    expect(toSkip, "Skip to results is among the first Tabs").toBeGreaterThan(0);
    await page.keyboard.press("Enter");
    const after = await tabsUntil(page, onFirstFinding, 20);
    expect(after).toBeGreaterThan(0);
    record("findings: key presses to the first finding with the skip link", toSkip + 1 + after);
    // The rows' bulk-selection checkboxes come before each finding's link.
    expect(toSkip + 1 + after).toBeLessThanOrEqual(12);
    expect(toSkip + 1 + after).toBeLessThan(plain);
  });

  test("the identities list has the same skip link", async ({ page }) => {
    await page.goto("/identities");
    await page.waitForLoadState("networkidle");
    const toSkip = await tabsUntil(page, (f) => f.tag === "a" && f.text === "Skip to results", 5);
    expect(toSkip).toBeGreaterThan(0);
    await page.keyboard.press("Enter");
    await expect(page.locator("#results")).toBeFocused();
  });

  test("after each wizard step, focus is on the new step's heading", async ({ page }) => {
    await page.goto("/findings?rule=acr-scope-too-broad");
    const href = await page.locator('main a[href^="/findings/acr-scope-too-broad-"]').first().getAttribute("href");
    await page.goto(`${href}/fix`);
    await page.waitForLoadState("networkidle");
    const next = page.getByRole("link", { name: /^Next: / });
    const tabsToNextBefore = await tabsUntil(page, (f) => f.tag === "a" && f.text.startsWith("Next:"));
    record("wizard: Tabs from the top of the Understand step to Next", tabsToNextBefore);
    await expect(next).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/step=choose/);
    const heading = page.getByRole("heading", { level: 2, name: "Choose" });
    await expect(heading).toBeVisible();
    await page.waitForLoadState("networkidle");
    const onHeading = await heading.evaluate((h) => h === document.activeElement);
    expect(onHeading, "focus moved to the new step's heading").toBe(true);

    // Choose → Preview through the choices form (a full page load): focus is on "Preview", a few Tabs from Next.
    const toPreview = await tabsUntil(page, (f) => f.tag === "button" && f.text === "Preview with these choices");
    expect(toPreview).toBeGreaterThan(0);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/step=preview/);
    await expect(page.getByRole("heading", { level: 2, name: "Preview" })).toBeFocused();
    await page.waitForLoadState("networkidle");
    const toNext = await tabsUntil(page, (f) => f.tag === "a" && f.text.startsWith("Next:"));
    record("wizard: Tabs to Next after moving to the Preview step", toNext);
    expect(toNext).toBeGreaterThan(0);
    expect(toNext).toBeLessThan(tabsToNextBefore);
  });

  test("graph: Enter on a node moves focus to its details, Escape brings it back to the node", async ({ page }) => {
    const graph = new GraphPage(page);
    await graph.goto("?view=tenant");
    const first = graph.canvas.getByRole("group").first();
    await first.focus();
    const nodeId = await first.getAttribute("data-id");
    await page.keyboard.press("Enter");
    await expect(graph.panel).toBeVisible();
    const toPanel = await tabsUntil(page, (f) => f.name === "Close details (Escape)" || f.id === "graph-panel-title", 400);
    record("graph: Tabs from a node to its details after Enter (tenant view)", toPanel);
    expect(toPanel, "Enter put focus in the details already (the first Tab reaches the close button)").toBe(1);
    await expect(graph.panel.getByRole("button", { name: /Close details/ })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(graph.panel).toHaveCount(0);
    await expect.poll(async () => (await focused(page)).dataId).toBe(nodeId);
  });

  test("graph: the selection is in the URL and opens again from it", async ({ page }) => {
    const graph = new GraphPage(page);
    await graph.goto("?view=tenant");
    await graph.findAndSelect("id-orders-api");
    await expect(page).toHaveURL(/select=identity%3A/);
    await page.reload();
    await graph.waitForLayout();
    await expect(graph.panel.getByRole("heading", { level: 2 })).toHaveText("id-orders-api");
  });
});
