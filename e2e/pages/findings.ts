import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

export class FindingsPage {
  readonly shell: AppShell;
  readonly heading: Locator;
  readonly severityCounts: Locator;
  readonly filters: Locator;
  readonly search: Locator;
  readonly severity: Locator;
  readonly rule: Locator;
  readonly cluster: Locator;
  readonly kind: Locator;
  readonly table: Locator;
  readonly resolved: Locator;
  readonly partial: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole("heading", { level: 1, name: "Findings" });
    this.severityCounts = page.getByRole("list", { name: "Findings by severity" });
    this.filters = page.getByRole("search", { name: "Filter findings" });
    this.search = this.filters.getByRole("searchbox", { name: "Search" });
    this.severity = this.filters.getByRole("combobox", { name: "Severity" });
    this.rule = this.filters.getByRole("combobox", { name: "Rule" });
    this.cluster = this.filters.getByRole("combobox", { name: "Cluster" });
    this.kind = this.filters.getByRole("combobox", { name: "Identity kind" });
    this.table = page.getByRole("table", { name: /^Findings/ });
    this.resolved = page.getByRole("region", { name: "Resolved since the previous scan" });
    this.partial = page.getByRole("region", { name: "Findings may be incomplete" });
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/findings${query}`);
    await this.heading.waitFor();
  }

  /** The count link of a severity (its accessible name is "<n> <Label> findings"). */
  severityLink(label: string): Locator {
    return this.severityCounts.getByRole("link", { name: new RegExp(`^[\\d,]+ ${label} findings$`) });
  }

  async severityCount(label: string): Promise<number> {
    return Number((await this.severityLink(label).innerText()).replace(/,/g, ""));
  }

  /** Finding links (title) of the rows on this page, in order, as their hrefs' ids. */
  async ids(): Promise<string[]> {
    const hrefs = await this.table.locator("tbody tr th a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    return hrefs.map((h) => decodeURIComponent(h.replace(/^\/findings\//, "")));
  }

  /** Severity badge texts of the rows, in order. */
  async severities(): Promise<string[]> {
    return (await this.table.locator("tbody tr .severity-badge").allInnerTexts()).map((s) => s.replace(/[^A-Za-z]/g, ""));
  }

  async waitForUrlParam(name: string, value: string | null): Promise<void> {
    await expect.poll(() => new URL(this.page.url()).searchParams.get(name)).toBe(value);
  }

  async open(id: string): Promise<void> {
    await this.table.locator(`tbody tr th a[href="/findings/${encodeURIComponent(id)}"]`).click();
  }
}

export class FindingPage {
  readonly heading: Locator;
  readonly message: Locator;
  readonly evidence: Locator;
  readonly fix: Locator;
  readonly where: Locator;
  readonly why: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.message = page.getByRole("region", { name: "What was found" });
    this.evidence = page.getByRole("list", { name: "Evidence" });
    this.fix = page.getByRole("region", { name: "Proposed fix" });
    this.where = page.getByRole("region", { name: "Identity and scope" });
    this.why = page.getByRole("region", { name: "Why it matters" });
  }

  async goto(id: string): Promise<void> {
    await this.page.goto(`/findings/${encodeURIComponent(id)}`);
    await this.heading.waitFor();
  }

  fixPlan(n: number): Locator {
    return this.fix.getByRole("region", { name: new RegExp(`^Fix plan ${n}:`) });
  }
}
