import { parse } from "csv-parse/sync";
import { expect, test } from "@playwright/test";
import { evaluateRules } from "@/lib/rules/evaluate";
import { AppShell } from "./pages/app-shell";
import { horizontalOverflow, runAxe } from "./support/a11y";
import { expectedInventory, screenshotPath } from "./support/expected";

/** Exports, the ticket summary, trends and alerts, as people reach them from the pages. */
test.describe("exports, ticket summary, trends and alerts", () => {
  test("the findings list exports exactly what its filter shows, as CSV", async ({ page }) => {
    const findings = evaluateRules(await expectedInventory());
    const high = findings.filter((f) => f.severity === "high");
    await page.goto("/findings?severity=high");
    const link = page.getByRole("link", { name: "Export the matching findings as CSV" });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^scopewise-findings-scan-\d+\.csv$/);
    const records = parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString("utf8"))) as string[][];
    expect(records[0]!.slice(0, 3)).toEqual(["Finding id", "Severity", "Base severity"]);
    expect(records.slice(1).map((r) => r[0]).sort()).toEqual(high.map((f) => f.id).sort());
  });

  test("the bulk panel exports exactly the ticked findings, in the list's order", async ({ page }) => {
    await page.goto("/findings?sort=severity&dir=desc");
    await page.getByText("Bulk actions", { exact: true }).click();
    const boxes = page.getByRole("checkbox", { name: /^Select: / });
    expect(await boxes.count()).toBeGreaterThanOrEqual(3);
    const ticked = [boxes.nth(0), boxes.nth(2)];
    for (const box of ticked) await box.check();
    const ids = await Promise.all(ticked.map((b) => b.getAttribute("value")));
    await page.getByRole("combobox", { name: "Action", exact: true }).selectOption("export-csv");
    // Exporting asks for no reason, owner or expiry.
    await expect(page.getByRole("textbox", { name: "Reason", exact: true })).toHaveCount(0);
    const button = page.getByRole("button", { name: "Export 2 selected findings as CSV" });
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^scopewise-findings-scan-\d+-selected\.csv$/);
    const records = parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString("utf8"))) as string[][];
    expect(records.slice(1).map((r) => r[0])).toEqual(ids);
    await expect(page.getByRole("status").filter({ hasText: "Exporting 2 findings as CSV." })).toBeVisible();
  });

  test("a finding offers a Markdown summary for a ticket", async ({ page }) => {
    const [finding] = evaluateRules(await expectedInventory());
    await page.goto(`/findings/${encodeURIComponent(finding!.id)}`);
    const section = page.getByRole("region", { name: "For a ticket" });
    await section.getByText("Show the Markdown").click();
    await expect(section.getByLabel("Markdown summary of this finding")).toContainText(`## ${finding!.title.split(" ")[0]}`);
    await page.screenshot({ path: screenshotPath("finding-ticket"), fullPage: true });
  });

  test("the overview shows trends with a text alternative, and the alerts page its state", async ({ page }) => {
    // A rescan, then axe three times over the whole overview (as the a11y suite allows per page).
    test.setTimeout(300_000);
    await page.goto("/");
    await new AppShell(page).rescanNow();
    await page.goto("/");
    const trends = page.getByRole("region", { name: "Trends", exact: true });
    await expect(trends.getByRole("img", { name: /Open findings by severity/ })).toBeVisible();
    await expect(trends.getByText("The numbers, scan by scan")).toBeVisible();
    // The charts are axe-clean and reflow, in both themes and at phone width.
    for (const [width, theme] of [
      [1440, "light"],
      [1440, "dark"],
      [390, "light"],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: theme });
      const axe = await runAxe(page);
      expect(axe.counts.critical + axe.counts.serious, axe.details.join("\n")).toBe(0);
      if (width < 1000) expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await trends.screenshot({ path: screenshotPath(`overview-trends-${width}-${theme}`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/alerts");
    await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Targets" })).toBeVisible();
    for (const theme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: screenshotPath(`alerts-${theme}`), fullPage: true });
    }
  });
});
