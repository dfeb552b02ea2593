import { expect, test, type Page } from "@playwright/test";
import type { Finding } from "@/lib/model/findings";
import { evaluateRules } from "@/lib/rules/evaluate";
import { ChangesPage, WizardPage } from "./pages/wizard";
import { expectedInventory, screenshotPath } from "./support/expected";

let cached: Promise<Finding[]> | undefined;
const expectedFindings = () => (cached ??= expectedInventory().then((inv) => evaluateRules(inv)));
const findingOf = async (ruleId: string) => {
  const f = (await expectedFindings()).find((x) => x.ruleId === ruleId);
  if (!f) throw new Error(`the demo tenant has no ${ruleId} finding`);
  return f;
};

/** Undoes a change from the audit page (confirmation included) and waits for the undo and rescan. */
async function undoFromChanges(page: Page, changeId: string): Promise<void> {
  const changes = new ChangesPage(page);
  await changes.goto();
  const item = changes.change(changeId);
  await expect(item).toHaveAttribute("data-status", "applied");
  await item.getByRole("button", { name: "Undo" }).click();
  await item.getByRole("button", { name: "Yes, undo it" }).click();
  await expect(item.getByRole("status")).toContainText("Undone", { timeout: 60_000 });
  await expect(item.getByRole("status")).toContainText("Rescanned", { timeout: 60_000 });
  await expect(item).toHaveAttribute("data-status", "undone");
}

// Apply changes the emulator's tenant, which every spec shares: each test undoes what it applied.
test.describe.serial("fix wizard", () => {
  test.setTimeout(180_000);

  test("narrows acr-scope-too-broad: understand, choose, preview in every format, apply, verify, undo from /changes", async ({ page, request }) => {
    const finding = await findingOf("acr-scope-too-broad");
    const create = finding.fixes[0]!.steps.find((s) => s.kind === "create-role-assignment")!;
    const del = finding.fixes[0]!.steps.find((s) => s.kind === "delete-role-assignment")!;
    const wizard = new WizardPage(page, finding.id);

    await wizard.goto();
    expect(await wizard.currentStep()).toContain("Understand");
    await expect(page.getByRole("heading", { name: /Blast radius/ })).toBeVisible();
    await expect(page.getByTestId("reach-now")).toBeVisible();
    await expect(wizard.steps.getByText("Verify")).toHaveAttribute("aria-disabled", "true");
    await page.screenshot({ path: screenshotPath("wizard-understand"), fullPage: true });

    await wizard.next.click();
    await expect(page).toHaveURL(/step=choose/);
    const scopes = page.getByRole("group", { name: "Scope of the new assignment(s)" });
    await expect(scopes.getByRole("checkbox")).not.toHaveCount(0);
    for (const box of await scopes.getByRole("checkbox").all()) await expect(box).toBeChecked();
    await page.screenshot({ path: screenshotPath("wizard-choose"), fullPage: true });
    await page.getByRole("button", { name: "Preview with these choices" }).click();

    await expect(page).toHaveURL(/step=preview/);
    await expect(page).toHaveURL(/scope=/);
    for (const label of ["az CLI", "Terraform", "Bicep"]) {
      await wizard.tab(label).click();
      await expect(wizard.tab(label)).toHaveAttribute("aria-selected", "true");
      const code = wizard.rendering.locator("pre code");
      await expect(code).toContainText(create.kind === "create-role-assignment" ? create.principalId : "");
      await expect(code).toContainText(create.kind === "create-role-assignment" ? create.scope.split("/").pop()! : "");
      await expect(code).not.toContainText("<principal");
    }
    await expect(wizard.rendering.locator("pre code")).toContainText("targetScope");
    await wizard.tab("Terraform").click();
    await expect(wizard.rendering.locator("pre code")).toContainText("azurerm_role_assignment");
    await expect(wizard.rendering.locator("pre code")).toContainText(del.kind === "delete-role-assignment" ? del.roleAssignmentId : "");
    // Keyboard: arrow keys move between tabs.
    await wizard.tab("Terraform").focus();
    await page.keyboard.press("ArrowRight");
    await expect(wizard.tab("Bicep")).toHaveAttribute("aria-selected", "true");
    await wizard.tab("YAML").click();
    await expect(wizard.rendering).toContainText("Nothing to render as YAML");
    await wizard.tab("az CLI").click();
    const download = wizard.rendering.getByRole("link", { name: /^Download / });
    const res = await request.get((await download.getAttribute("href"))!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toContain(`scopewise-${finding.fixes[0]!.id}.sh`);
    expect(await res.text()).toContain("az role assignment create");
    await page.screenshot({ path: screenshotPath("wizard-preview"), fullPage: true });

    await wizard.next.click();
    await expect(page).toHaveURL(/step=apply/);
    await expect(page.getByRole("list", { name: "Planned steps" }).getByRole("listitem")).toHaveCount(finding.fixes[0]!.steps.length);
    await wizard.dryRun.click();
    const dry = page.getByRole("region", { name: "Dry run result" });
    await expect(dry).toContainText("nothing was changed");
    await expect(wizard.apply).toBeDisabled();
    await wizard.confirm.check();
    await page.screenshot({ path: screenshotPath("wizard-apply"), fullPage: true });
    await wizard.apply.click();
    await expect(wizard.applyResult).toContainText("Applied", { timeout: 90_000 });
    await expect(wizard.applyResult.getByTestId("verification")).toContainText("Resolved");
    const states = wizard.applyResult.locator(".step-state");
    for (const s of await states.all()) await expect(s).toContainText("Done");
    const changeHref = await wizard.applyResult.getByRole("link", { name: "See the change in the audit log" }).getAttribute("href");
    const changeId = changeHref!.split("#change-")[1]!;
    await page.screenshot({ path: screenshotPath("wizard-applied"), fullPage: true });

    await wizard.applyResult.getByRole("button", { name: "Continue to verify" }).click();
    await expect(page).toHaveURL(/step=verify/);
    await expect(wizard.verdict).toContainText("Resolved");
    await expect(page.getByRole("list", { name: "Grants in the rescan" })).toContainText("Present:");
    await expect(page.getByRole("list", { name: "Grants in the rescan" })).toContainText("Gone:");
    await page.screenshot({ path: screenshotPath("wizard-verify"), fullPage: true });

    // The finding is gone from the dashboard.
    await page.goto(`/findings/${encodeURIComponent(finding.id)}`);
    await expect(page.getByRole("heading", { name: "No finding with this id" })).toBeVisible();

    await undoFromChanges(page, changeId);
    await page.screenshot({ path: screenshotPath("changes"), fullPage: true });
    // Undo recreated the broad grant: the rule reports it again.
    await page.goto("/findings?rule=acr-scope-too-broad");
    await expect(page.locator('a[href^="/findings/acr-scope-too-broad-"]').first()).toBeVisible();
  });

  test("migrates pod-identity-deprecated to workload identity: per-binding summary, YAML preview, apply, resolved, undo", async ({ page }) => {
    const finding = await findingOf("pod-identity-deprecated");
    const wizard = new WizardPage(page, finding.id);
    await wizard.goto("?step=choose");
    const bindings = page.getByRole("table", { name: "Bindings to migrate" });
    const deletes = finding.fixes[0]!.steps.filter((s) => s.kind === "kubernetes-delete" && s.objectKind === "AzureIdentityBinding");
    await expect(bindings.getByRole("row")).toHaveCount(deletes.length + 1);
    await expect(bindings).toContainText("system:serviceaccount:");
    await expect(bindings).toContainText("azure.workload.identity/use");
    await page.screenshot({ path: screenshotPath("wizard-migration-choose"), fullPage: true });

    await wizard.step("Preview").click();
    await wizard.tab("YAML").click();
    const yaml = wizard.rendering.locator("pre code");
    await expect(yaml).toContainText("kind: ServiceAccount");
    await expect(yaml).toContainText("azure.workload.identity/client-id");
    await expect(yaml).not.toContainText("<client");
    await page.screenshot({ path: screenshotPath("wizard-migration-preview"), fullPage: true });

    await expect(wizard.step("Apply"), "the demo's migration plan must be applicable (no manual step before the automated ones)").toBeVisible();
    await wizard.step("Apply").click();
    await wizard.confirm.check();
    await wizard.apply.click();
    await expect(wizard.applyResult).toContainText("Applied", { timeout: 120_000 });
    await expect(wizard.applyResult.getByTestId("verification")).toContainText("Resolved");
    const changeHref = await wizard.applyResult.getByRole("link", { name: "See the change in the audit log" }).getAttribute("href");
    await page.screenshot({ path: screenshotPath("wizard-migration-applied"), fullPage: true });
    await undoFromChanges(page, changeHref!.split("#change-")[1]!);
  });
});
