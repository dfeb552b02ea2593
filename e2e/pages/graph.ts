import { expect, type Locator, type Page } from "@playwright/test";

/** The identity graph page: filters, the React Flow canvas, and the details panel. */
export class GraphPage {
  readonly heading: Locator;
  readonly filters: Locator;
  readonly canvas: Locator;
  readonly panel: Locator;
  readonly search: Locator;
  readonly stats: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Identity graph" });
    this.filters = page.getByRole("search", { name: "Graph view and filters" });
    this.canvas = page.getByRole("application", { name: "Identity graph" });
    this.panel = page.getByRole("complementary").filter({ has: page.locator("#graph-panel-title") });
    this.search = page.getByRole("toolbar", { name: "Graph tools" }).getByRole("searchbox", { name: "Find a node" });
    this.stats = page.getByRole("toolbar", { name: "Graph tools" }).getByRole("status");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/graph${query}`);
    await this.heading.waitFor();
    await this.waitForLayout();
  }

  async waitForLayout(): Promise<void> {
    await expect(this.stats).toHaveText(/\d+ nodes · \d+ edges/, { timeout: 30_000 });
  }

  /** A node by the accessible name React Flow gives it: "<Kind> <name> (...)". */
  node(kind: string, name: string): Locator {
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return this.canvas.getByRole("group", { name: new RegExp(`^${kind} ${esc}( |$)`) });
  }

  edges(kind: string): Locator {
    return this.canvas.locator(`.react-flow__edge[data-kind="${kind}"]`);
  }

  async findAndSelect(name: string): Promise<void> {
    await this.search.fill(name);
    await this.search.press("Enter");
    await expect(this.panel.getByRole("heading", { level: 2 })).toHaveText(name);
  }
}
