import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { FindingsPage } from "../pages/findings";
import { WizardPage } from "../pages/wizard";
import { runAxe } from "../support/a11y";
import { screenshotPath } from "../support/expected";

/** Line of a block in a fixture file, as the dashboard must report it after parsing the HCL. */
const fixture = (file: string) => fs.readFileSync(path.join(__dirname, "../../fixtures/terraform/demo", file), "utf8").split("\n");
const lineOf = (file: string, label: string) => fixture(file).findIndex((l) => l.includes(`"${label}"`)) + 1;

async function expectNoSeriousA11y(page: Page): Promise<void> {
  const axe = await runAxe(page);
  expect(axe.counts.critical + axe.counts.serious, axe.details.join("\n")).toBe(0);
}

/** Opens the first finding of a rule among the managed ones. */
async function openFinding(page: Page, ruleId: string): Promise<string> {
  const list = new FindingsPage(page);
  await list.goto(`?iac=managed&rule=${ruleId}`);
  await list.table.locator(`a[href^="/findings/${ruleId}-"]`).first().click();
  await expect(page).toHaveURL(/\/findings\/[^/?]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

test.describe("Terraform-managed grants", () => {
  test("the findings list filters managed grants and shows drift as a finding", async ({ page }) => {
    const list = new FindingsPage(page);
    await list.goto("?iac=managed");
    await expect(list.filters.getByRole("combobox", { name: "Terraform" })).toHaveValue("managed");
    await expect(list.table.getByText("module.aks.azurerm_role_assignment.control_plane_network").first()).toBeVisible();
    await expect(list.table.getByRole("link", { name: "Live grant differs from Terraform state" })).toBeVisible();
    await list.goto("?iac=unmanaged");
    await expect(list.table.getByText(/^module\.aks\./)).toHaveCount(0);
    await list.goto("?rule=terraform-drift");
    await expect(list.table.getByRole("row")).toHaveCount(2);
  });

  test("a finding and its identity say which block manages the grant, with file and line", async ({ page }) => {
    await openFinding(page, "network-role-scope-too-broad");
    const line = lineOf("modules/aks/role_assignments.tf", "control_plane_network");
    await expect(page.getByTestId("terraform-origin")).toHaveText(`Managed by Terraform: module.aks.azurerm_role_assignment.control_plane_network in modules/aks/role_assignments.tf:${line}`);
    await page.screenshot({ path: screenshotPath("terraform-finding"), fullPage: true });
    await expectNoSeriousA11y(page);

    await page.goto("/identities?q=id-orders-external-dns");
    await page.getByRole("link", { name: "id-orders-external-dns" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "id-orders-external-dns" })).toBeVisible();
    await expect(page.getByTestId("terraform-origin").first()).toHaveText(`Managed by Terraform: azurerm_user_assigned_identity.external_dns in main.tf:${lineOf("main.tf", "external_dns")}`);
    await expect(page.getByRole("table", { name: /^Role assignments/ }).getByText("azurerm_role_assignment.external_dns_zone")).toBeVisible();
  });

  test("the wizard previews the patch to the Terraform source and sends Apply to the pipeline", async ({ page }) => {
    const id = await openFinding(page, "network-role-scope-too-broad");
    const wizard = new WizardPage(page, id);
    await wizard.goto("?step=preview");
    const patch = page.getByRole("region", { name: "Patch to the Terraform source" });
    await expect(patch).toContainText("--- a/modules/aks/role_assignments.tf");
    await expect(patch).toContainText("-  scope                = var.vnet_id");
    const download = page.getByRole("link", { name: /^Download scopewise-network-role-scope-too-broad-/ });
    const res = await page.request.get((await download.getAttribute("href"))!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^text\/x-diff/);
    await page.screenshot({ path: screenshotPath("terraform-preview"), fullPage: true });
    expect(await res.text()).toMatch(/^diff --git a\/modules\/aks\/role_assignments\.tf b\/modules\/aks\/role_assignments\.tf\n--- a\/modules\/aks\/role_assignments\.tf\n\+\+\+ b\//);
    await expectNoSeriousA11y(page);

    await wizard.goto("?step=apply");
    await expect(page.getByRole("heading", { name: "Apply this in your pipeline" })).toBeVisible();
    await expect(wizard.apply).toHaveCount(0);
    const override = page.getByRole("checkbox", { name: "Apply through the API anyway" });
    await expect(async () => {
      await override.check();
      await expect(page.getByRole("alert").filter({ hasText: "Drift: Azure will differ from the Terraform state" })).toBeVisible({ timeout: 1000 });
    }).toPass();
    await expect(wizard.apply).toBeVisible();
    await page.screenshot({ path: screenshotPath("terraform-apply-override"), fullPage: true });
  });
});
