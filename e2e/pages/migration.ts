import { expect, type Locator, type Page } from "@playwright/test";

/** The staged migration panel on the Apply step of an aad-pod-identity finding's wizard. */
export class StagedMigrationPanel {
  readonly panel: Locator;
  readonly confirm: Locator;
  readonly clusterName: Locator;
  readonly start: Locator;
  readonly message: Locator;
  readonly pause: Locator;
  readonly resume: Locator;
  readonly verify: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId("staged-migration");
    this.confirm = this.panel.getByRole("checkbox", { name: /I understand the chosen workloads restart/ });
    this.clusterName = this.panel.getByRole("textbox", { name: /is a production cluster: type its name to start/ });
    this.start = this.panel.getByRole("button", { name: /^Migrate \d+ bindings?$/ });
    this.message = this.panel.getByTestId("staged-message");
    this.pause = this.panel.getByRole("button", { name: "Pause after this phase" });
    this.resume = this.panel.getByRole("button", { name: "Resume" });
    this.verify = this.panel.getByRole("button", { name: "Continue to verify" });
  }

  /** The checkbox of one binding (`namespace/name`). */
  binding(key: string): Locator {
    return this.panel.getByRole("group", { name: "Bindings to migrate" }).getByRole("checkbox", { name: new RegExp(`^${key.replace(/[/.-]/g, "\\$&")} `) });
  }

  /** One chosen binding's phases, as the live view lists them. */
  phases(key: string): Locator {
    return this.panel.getByRole("list", { name: `Phases of ${key}` }).getByRole("listitem");
  }

  /** Ticks a checkbox with the keyboard (Space on the focused box); retried because a key before hydration does nothing. */
  async tickWithKeyboard(box: Locator): Promise<void> {
    await expect(async () => {
      await box.focus();
      if (!(await box.isChecked())) await this.page.keyboard.press("Space");
      await expect(box).toBeChecked({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }
}
