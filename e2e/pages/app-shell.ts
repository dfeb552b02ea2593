import { expect, type Locator, type Page } from "@playwright/test";

/** The top bar every page shares. */
export class AppShell {
  readonly nav: Locator;
  readonly rescan: Locator;
  readonly cancel: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.rescan = page.getByRole("banner").getByRole("button", { name: /Rescan/ });
    this.cancel = page.getByRole("banner").getByRole("button", { name: "Cancel scan" });
    this.status = page.getByRole("banner").getByRole("status");
  }

  async rescanNow(): Promise<void> {
    await this.rescan.click();
    await expect(this.status).toHaveText(/Rescanned/, { timeout: 60_000 });
  }
}
