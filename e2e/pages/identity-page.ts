import type { Locator, Page } from "@playwright/test";

export class IdentityPage {
  readonly heading: Locator;
  readonly assignments: Locator;
  readonly workloads: Locator;
  readonly identifiers: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.assignments = page.getByRole("table", { name: /^Role assignments/ });
    this.workloads = page.getByRole("table", { name: /^Bound workloads/ });
    this.identifiers = page.getByRole("region", { name: "Identifiers" });
  }

  async goto(key: string): Promise<void> {
    await this.page.goto(`/identities/${encodeURIComponent(key)}`);
    await this.heading.waitFor();
  }

  /** The scope breadcrumb of an assignment of `role` (a list named "Scope of <role> (assignment <guid>)"). */
  scopeBreadcrumb(role: string): Locator {
    const esc = role.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return this.assignments.getByRole("list", { name: new RegExp(`^Scope of ${esc} \\(assignment `) }).first();
  }

  async breadcrumbLabels(role: string): Promise<string[]> {
    return (await this.scopeBreadcrumb(role).locator(".scope-crumb-label").allInnerTexts()).map((s) => s.trim());
  }

  workloadRow(name: string): Locator {
    return this.workloads.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name: new RegExp(`\\b${name}$`) }) });
  }
}
