import type { Locator, Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class OverviewPage {
  readonly shell: AppShell;
  readonly heading: Locator;
  readonly kindCounts: Locator;
  readonly clusters: Locator;
  readonly subscriptions: Locator;
  readonly partialCoverage: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1, name: "Overview" });
    this.kindCounts = page.getByRole("list", { name: "Identities by kind" });
    this.clusters = page.getByRole("table", { name: /^Clusters/ });
    this.subscriptions = page.getByRole("table", { name: /^Subscriptions/ });
    this.partialCoverage = page.getByRole("region", { name: /Partial coverage/ });
  }

  async goto(): Promise<void> {
    await this.page.goto("/");
    await this.heading.waitFor();
  }

  /** The count shown for an identity kind (its accessible name is "<n> <Label> identities"). */
  async kindCount(label: string): Promise<number> {
    const link = this.kindCounts.getByRole("link", { name: new RegExp(`^[\\d,]+ ${label} identities$`) });
    return Number((await link.innerText()).replace(/,/g, ""));
  }

  clusterRow(name: string): Locator {
    return this.clusters.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name: new RegExp(`^${name}\\b`) }) });
  }

  async clusterNames(): Promise<string[]> {
    const names = await this.clusters.locator("tbody th .cell-title").allInnerTexts();
    return names.map((n) => n.trim());
  }
}
