import { expect, type Locator, type Page } from "@playwright/test";

/** The fix wizard at /findings/<id>/fix. */
export class WizardPage {
  readonly steps: Locator;
  readonly next: Locator;
  readonly tabs: Locator;
  readonly rendering: Locator;
  readonly dryRun: Locator;
  readonly confirm: Locator;
  readonly apply: Locator;
  readonly applyResult: Locator;
  readonly verdict: Locator;

  constructor(
    readonly page: Page,
    readonly findingId: string,
  ) {
    this.steps = page.getByRole("navigation", { name: "Wizard steps" });
    this.next = page.getByRole("link", { name: /^Next: / });
    this.tabs = page.getByRole("tablist", { name: "Formats" });
    this.rendering = page.getByRole("tabpanel");
    this.dryRun = page.getByRole("button", { name: "Dry run (changes nothing)" });
    this.confirm = page.getByRole("checkbox", { name: /I understand this changes Azure/ });
    this.apply = page.getByRole("button", { name: "Apply the change" });
    this.applyResult = page.getByRole("region", { name: "Apply result" });
    this.verdict = page.getByTestId("verify-verdict");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/findings/${encodeURIComponent(this.findingId)}/fix${query}`);
    await expect(this.steps).toBeVisible();
  }

  step(label: string): Locator {
    return this.steps.getByRole("link", { name: new RegExp(`${label}$`) });
  }

  async currentStep(): Promise<string | null> {
    return this.steps.locator('[aria-current="step"]').textContent();
  }

  tab(label: string): Locator {
    return this.tabs.getByRole("tab", { name: label, exact: true });
  }

  /** Ticks the confirmation until the Apply button is enabled (a tick before hydration is reset). */
  async confirmApply(): Promise<void> {
    await expect(async () => {
      await this.confirm.check();
      await expect(this.apply).toBeEnabled({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }

  /** Selects a format tab; retried because a click before hydration does nothing. */
  async selectTab(label: string): Promise<void> {
    const tab = this.tab(label);
    await expect(async () => {
      await tab.click();
      await expect(tab).toHaveAttribute("aria-selected", "true", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }
}

/** The audit log at /changes. */
export class ChangesPage {
  readonly heading: Locator;
  readonly list: Locator;
  readonly unfinished: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Changes" });
    this.list = page.getByRole("list", { name: "Changes" });
    this.unfinished = page.getByTestId("unfinished");
  }

  async goto(): Promise<void> {
    await this.page.goto("/changes");
    await this.heading.waitFor();
  }

  change(id: string): Locator {
    return this.page.locator(`#change-${id}`);
  }
}
