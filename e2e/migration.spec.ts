import { expect, test, type Page } from "@playwright/test";
import { StagedMigrationPanel } from "./pages/migration";
import { WizardPage } from "./pages/wizard";
import { horizontalOverflow, runAxe } from "./support/a11y";
import { screenshotPath } from "./support/expected";
import { ownPort, startOwnDemo, type OwnDemo } from "./support/own-demo";

/**
 * The staged pod-identity → workload-identity migration on a demo of its own (E2E_MIGRATION_PORT,
 * default E2E_PORT + 5) whose clusters count as production: the demo tags them environment=prod.
 */
const port = ownPort("E2E_MIGRATION_PORT", 5);
const CHOSEN = ["payments/notifier-binding", "payments/ledger-writer-binding"];
const OTHERS = ["payments/receipts-reader-binding", "payments/settlement-binding", "payments/fx-rates-binding", "reporting/report-builder-binding"];
let demo: OwnDemo | undefined;

async function podIdentityFixUrl(page: Page): Promise<string> {
  await page.goto("/findings?rule=pod-identity-deprecated");
  const link = page.locator('main a[href^="/findings/pod-identity-deprecated-"]').first();
  await expect(link).toBeVisible();
  return `${(await link.getAttribute("href"))!}/fix`;
}

async function expectCleanAxe(page: Page, where: string): Promise<void> {
  const axe = await runAxe(page);
  expect(axe.counts.critical + axe.counts.serious, `${where}:\n${axe.details.join("\n")}`).toBe(0);
}

test.describe.serial("staged migration", () => {
  test.setTimeout(240_000);
  test.use({ baseURL: `http://localhost:${port}` });

  test.beforeAll(async () => {
    test.setTimeout(660_000);
    demo = await startOwnDemo(port, [], { SCOPEWISE_PRODUCTION_TAGS: "environment=prod" });
  });

  test.afterAll(async () => {
    await demo?.stop();
  });

  test("moves two chosen bindings of the production cluster phase by phase; the other bindings remain", async ({ page }) => {
    const url = await podIdentityFixUrl(page);
    const wizard = new WizardPage(page, decodeURIComponent(url.split("/findings/")[1]!.replace(/\/fix$/, "")));
    await wizard.goto("?step=apply");
    const staged = new StagedMigrationPanel(page);
    await expect(staged.panel).toBeVisible();
    for (const key of [...CHOSEN, ...OTHERS]) await expect(staged.binding(key)).toBeVisible();
    const scannedBefore = await page.getByRole("banner").locator("time").first().getAttribute("datetime");

    // Everything by keyboard: Space ticks the boxes, typing fills the name, Enter starts.
    for (const key of CHOSEN) await staged.tickWithKeyboard(staged.binding(key));
    await staged.tickWithKeyboard(staged.confirm);
    await expect(staged.start).toBeDisabled();
    await staged.clusterName.focus();
    await page.keyboard.type("aks-payments-prod");
    await expect(staged.start).toBeEnabled();
    await expectCleanAxe(page, "choosing bindings");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath("migration-choose-390"), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: screenshotPath("migration-choose-1440"), fullPage: true });
    await staged.start.focus();
    await page.keyboard.press("Enter");

    // Live progress: each binding's phases, then the end.
    await expect(staged.phases(CHOSEN[0]!)).toHaveCount(5);
    await expect(staged.message).toContainText(/Migration finished/, { timeout: 180_000 });
    for (const key of CHOSEN) {
      const phases = staged.phases(key);
      for (let i = 0; i < 5; i++) await expect(phases.nth(i)).toContainText(/^Done/);
    }
    await expect(staged.phases(CHOSEN[0]!).nth(2)).toContainText(/Rollout finished for payments\/notifier \(\d+ of \d+ new pods available\)/);
    await expect(staged.phases(CHOSEN[0]!).nth(3)).toContainText("Token exchange verified for payments/notifier");
    await expectCleanAxe(page, "progress at 1440");
    await page.screenshot({ path: screenshotPath("migration-progress-1440"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectCleanAxe(page, "progress at 390");
    await page.screenshot({ path: screenshotPath("migration-progress-390"), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    // The server rescanned after the migration: the top bar shows the new scan once the page refreshed.
    await expect(page.getByRole("banner").locator("time").first()).not.toHaveAttribute("datetime", scannedBefore ?? "", { timeout: 60_000 });

    // The rescan still has the other bindings; the chosen ones are gone.
    await wizard.goto("?step=apply");
    for (const key of OTHERS) await expect(staged.binding(key)).toBeVisible();
    for (const key of CHOSEN) await expect(staged.binding(key)).toHaveCount(0);
  });
});
