import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class IdentitiesPage {
  readonly shell: AppShell;
  readonly heading: Locator;
  readonly filters: Locator;
  readonly search: Locator;
  readonly kind: Locator;
  readonly cluster: Locator;
  readonly subscription: Locator;
  readonly table: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1, name: "Identities" });
    this.filters = page.getByRole("search", { name: "Filter identities" });
    this.search = this.filters.getByRole("searchbox", { name: "Search" });
    this.kind = this.filters.getByRole("combobox", { name: "Kind" });
    this.cluster = this.filters.getByRole("combobox", { name: "Cluster" });
    this.subscription = this.filters.getByRole("combobox", { name: "Subscription" });
    this.table = page.getByRole("table", { name: /^Identities/ });
    this.empty = page.getByRole("status").filter({ hasText: /No identities/ });
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/identities${query}`);
    await this.heading.waitFor();
  }

  /** Display names of the rows on the current page, in order. */
  async names(): Promise<string[]> {
    const links = this.table.locator("tbody tr th a");
    return (await links.allInnerTexts()).map((n) => n.trim());
  }

  /** Kind badge texts of the rows, in order. */
  async kinds(): Promise<string[]> {
    return (await this.table.locator("tbody tr .kind-badge").allInnerTexts()).map((n) => n.trim());
  }

  columnHeader(name: string): Locator {
    return this.table.getByRole("columnheader", { name: new RegExp(`^${name}`) });
  }

  async sortBy(name: string): Promise<void> {
    const before = this.page.url();
    await this.columnHeader(name).getByRole("link").click();
    await expect.poll(() => this.page.url()).not.toBe(before);
  }

  async waitForUrlParam(name: string, value: string | null): Promise<void> {
    await expect.poll(() => new URL(this.page.url()).searchParams.get(name)).toBe(value);
  }

  async open(name: string): Promise<void> {
    await this.table.getByRole("link", { name, exact: true }).click();
  }
}
