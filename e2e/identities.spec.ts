import { expect, test } from "@playwright/test";
import { IDENTITY_KIND_ORDER, IdentityKindLabel } from "@/lib/model/vocabulary";
import { defaultIdentityQuery, listIdentityPage, type IdentityQuery } from "@/components/identities/query";
import { buildIdentityRows } from "@/components/identities/rows";
import { expectedInventory, screenshotPath } from "./support/expected";
import { IdentitiesPage } from "./pages/identities-page";

/** The names the list must show for a query, from the same pure view model the page uses (unit-tested on its own). */
async function expectedNames(changes: Partial<IdentityQuery>): Promise<string[]> {
  const rows = buildIdentityRows(await expectedInventory());
  return listIdentityPage(rows, { ...defaultIdentityQuery, ...changes }).rows.map((r) => r.displayName);
}

test.describe("identities list", () => {
  test("lists every identity, widest scope first", async ({ page }) => {
    const inv = await expectedInventory();
    const list = new IdentitiesPage(page);
    await list.goto();
    await expect(list.table).toContainText(`${inv.identities.length.toLocaleString("en-US")} in total`);
    expect(await list.names()).toEqual(await expectedNames({}));
    await expect(list.columnHeader("Widest scope")).toHaveAttribute("aria-sort", "ascending");
    await page.screenshot({ path: screenshotPath("identities"), fullPage: true });
  });

  test("filters by kind through the URL", async ({ page }) => {
    const inv = await expectedInventory();
    const kind = IDENTITY_KIND_ORDER.find((k) => k !== "app" && inv.identities.some((i) => i.kind === k)) ?? "app";
    const list = new IdentitiesPage(page);
    await list.goto();
    await list.kind.selectOption({ label: IdentityKindLabel[kind] });
    await list.waitForUrlParam("kind", kind);
    await expect.poll(() => list.kinds()).toEqual(Array(inv.identities.filter((i) => i.kind === kind).length).fill(IdentityKindLabel[kind]));
    expect(await list.names()).toEqual(await expectedNames({ kind }));

    // The URL is shareable: loading it fresh shows the same filtered list.
    await page.reload();
    await expect(list.kind).toHaveValue(kind);
    expect(await list.names()).toEqual(await expectedNames({ kind }));
    await page.screenshot({ path: screenshotPath("identities-filtered"), fullPage: true });
  });

  test("searches by name and shows the empty state with a way back", async ({ page }) => {
    const inv = await expectedInventory();
    const target = [...inv.identities].sort((a, b) => b.displayName.length - a.displayName.length)[0]!;
    const list = new IdentitiesPage(page);
    await list.goto();
    await list.search.fill(target.displayName);
    await list.waitForUrlParam("q", target.displayName);
    await expect.poll(() => list.names()).toEqual(await expectedNames({ q: target.displayName }));
    expect(await list.names()).toContain(target.displayName);

    await list.search.fill("no-identity-is-called-this");
    await list.search.press("Enter");
    await expect(page.getByRole("heading", { name: "No identities match these filters" })).toBeVisible();
    await page.screenshot({ path: screenshotPath("identities-empty"), fullPage: true });
    await page.getByRole("link", { name: "Clear filters" }).click();
    await list.waitForUrlParam("q", null);
    await expect.poll(() => list.names()).toEqual(await expectedNames({}));
  });

  test("sorts by a column header, toggling direction and aria-sort", async ({ page }) => {
    const list = new IdentitiesPage(page);
    await list.goto();
    await list.sortBy("Identity");
    await expect(list.columnHeader("Identity")).toHaveAttribute("aria-sort", "ascending");
    await expect(list.columnHeader("Widest scope")).toHaveAttribute("aria-sort", "none");
    expect(new URL(page.url()).searchParams.get("sort")).toBe("name");
    await expect.poll(() => list.names()).toEqual(await expectedNames({ sort: "name", dir: "asc" }));

    await list.sortBy("Identity");
    await expect(list.columnHeader("Identity")).toHaveAttribute("aria-sort", "descending");
    await expect.poll(() => list.names()).toEqual(await expectedNames({ sort: "name", dir: "desc" }));

    await list.sortBy("Role assignments");
    await expect(list.columnHeader("Role assignments")).toHaveAttribute("aria-sort", "descending");
    await expect.poll(() => list.names()).toEqual(await expectedNames({ sort: "assignments", dir: "desc" }));
  });

  test("says which query parameters it ignored", async ({ page }) => {
    const list = new IdentitiesPage(page);
    await list.goto("?kind=robot&page=0");
    await expect(page.getByText('Ignored kind="robot"')).toBeVisible();
    await expect(page.getByText('Ignored page="0"')).toBeVisible();
    expect(await list.names()).toEqual(await expectedNames({}));
  });
});
