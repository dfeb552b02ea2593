import type { Locator, Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** The stale-view notice above every page, and the scan history. */
export class ScanNotice {
  readonly region: Locator;
  readonly openPartial: Locator;
  readonly backToComplete: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole("main").getByRole("region").filter({ has: page.getByRole("heading", { name: /^(Stale since|Showing scan #|No complete scan yet)/ }) });
    this.openPartial = page.getByRole("button", { name: "Open the partial result" });
    this.backToComplete = page.getByRole("button", { name: "Back to the last complete scan" });
  }
}

export class ScanHistoryPage {
  readonly shell: AppShell;
  readonly heading: Locator;
  readonly rows: Locator;
  readonly compare: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1, name: "Scan history" });
    this.rows = page.getByTestId("scan-row");
    this.compare = page.getByRole("form", { name: "Compare two scans" });
  }

  async goto(): Promise<void> {
    await this.page.goto("/scans");
    await this.heading.waitFor();
  }
}
