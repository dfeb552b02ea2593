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

/**
 * The finding's id as the server reports it now. An undo recreates a deleted assignment under a
 * new name, and assignment findings are keyed by the assignment, so after an earlier run's undo
 * the id differs from the tenant file's.
 */
async function liveFindingId(page: Page, ruleId: string): Promise<string> {
  await page.goto(`/findings?rule=${ruleId}`);
  const link = page.locator(`main a[href^="/findings/${ruleId}-"]`).first();
  await expect(link).toBeVisible();
  return decodeURIComponent((await link.getAttribute("href"))!.split("/findings/")[1]!);
}

/** Clicks Apply and returns the change id from the route's answer (whatever the page does next). */
async function applyAndGetChangeId(page: Page, wizard: WizardPage): Promise<string> {
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/changes" && r.request().method() === "POST", { timeout: 150_000 });
  await wizard.apply.click();
  const body = (await (await answer).json()) as { result: { changeId?: string; status: string; message: string } };
  expect(body.result.changeId, body.result.message).toBeTruthy();
  return body.result.changeId!;
}

/** Undoes a change from the audit page (confirmation included) and waits for the undo and rescan. */
async function undoFromChanges(page: Page, changeId: string): Promise<void> {
  const changes = new ChangesPage(page);
  await changes.goto();
  const item = changes.change(changeId);
  await expect(item).toHaveAttribute("data-status", "applied");
  const yes = item.getByRole("button", { name: "Yes, undo it" });
  // Retried: a click before hydration does nothing.
  await expect(async () => {
    if (!(await yes.isVisible())) await item.getByRole("button", { name: "Undo" }).click();
    await expect(yes).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await yes.click();
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
    const wizard = new WizardPage(page, await liveFindingId(page, "acr-scope-too-broad"));

    // In from the finding page's "Fix with wizard" link.
    await page.goto(`/findings/${encodeURIComponent(wizard.findingId)}`);
    await page.getByRole("link", { name: "Fix with wizard" }).click();
    await expect(wizard.steps).toBeVisible();
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
      await wizard.selectTab(label);
      const code = wizard.rendering.locator("pre code");
      await expect(code).toContainText(create.kind === "create-role-assignment" ? create.principalId : "");
      await expect(code).toContainText(create.kind === "create-role-assignment" ? create.scope.split("/").pop()! : "");
      await expect(code).not.toContainText("<principal");
    }
    await expect(wizard.rendering.locator("pre code")).toContainText("targetScope");
    await wizard.selectTab("Terraform");
    await expect(wizard.rendering.locator("pre code")).toContainText("azurerm_role_assignment");
    await expect(wizard.rendering.locator("pre code")).toContainText(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}/);
    // Keyboard: arrow keys move between tabs.
    await wizard.tab("Terraform").focus();
    await page.keyboard.press("ArrowRight");
    await expect(wizard.tab("Bicep")).toHaveAttribute("aria-selected", "true");
    await wizard.selectTab("YAML");
    await expect(wizard.rendering).toContainText("Nothing to render as YAML");
    await wizard.selectTab("az CLI");
    const download = wizard.rendering.getByRole("link", { name: /^Download / });
    const res = await request.get((await download.getAttribute("href"))!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toContain(`scopewise-${finding.fixes[0]!.id}.sh`);
    expect(await res.text()).toContain("az role assignment create");
    await page.screenshot({ path: screenshotPath("wizard-preview"), fullPage: true });

    await wizard.next.click();
    await expect(page).toHaveURL(/step=apply/);
    await expect(page.getByRole("list", { name: "Planned steps" }).getByRole("listitem")).toHaveCount(finding.fixes[0]!.steps.length);
    const dry = page.getByRole("region", { name: "Dry run result" });
    await expect(async () => {
      await wizard.dryRun.click();
      await expect(dry).toContainText("nothing was changed", { timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await expect(wizard.apply).toBeDisabled();
    await wizard.confirmApply();
    await page.screenshot({ path: screenshotPath("wizard-apply"), fullPage: true });
    const changeId = await applyAndGetChangeId(page, wizard);
    let undone = false;
    try {
      await expect(wizard.applyResult).toContainText("Applied");
      await expect(wizard.applyResult.getByTestId("verification")).toContainText("Resolved");
      for (const s of await wizard.applyResult.locator(".step-state").all()) await expect(s).toContainText("Done");
      await expect(wizard.applyResult.getByRole("link", { name: "See the change in the audit log" })).toHaveAttribute("href", `/changes#change-${changeId}`);
      await page.screenshot({ path: screenshotPath("wizard-applied"), fullPage: true });

      await wizard.applyResult.getByRole("button", { name: "Continue to verify" }).click();
      await expect(page).toHaveURL(/step=verify/);
      await expect(wizard.verdict).toContainText("Resolved");
      await expect(page.getByRole("list", { name: "Grants in the rescan" })).toContainText("Present:");
      await expect(page.getByRole("list", { name: "Grants in the rescan" })).toContainText("Gone:");
      await page.screenshot({ path: screenshotPath("wizard-verify"), fullPage: true });

      // The finding is gone from the scan; its page says which change fixed it, and links it.
      await page.goto(`/findings/${encodeURIComponent(wizard.findingId)}`);
      const fixedBy = page.getByTestId("fixed-by");
      await expect(fixedBy).toContainText("It was fixed by change");
      await expect(fixedBy.getByRole("link").first()).toHaveAttribute("href", `/changes#change-${changeId}`);

      await undoFromChanges(page, changeId);
      undone = true;
    } finally {
      if (!undone) await undoFromChanges(page, changeId).catch(() => undefined);
    }
    await page.screenshot({ path: screenshotPath("changes"), fullPage: true });
    // Undo recreated the broad grant: the rule reports it again.
    await page.goto("/findings?rule=acr-scope-too-broad");
    await expect(page.locator('a[href^="/findings/acr-scope-too-broad-"]').first()).toBeVisible();
  });

  test("migrates pod-identity-deprecated to workload identity: per-binding summary, YAML preview, apply, verify (what is left), undo", async ({ page }) => {
    const finding = await findingOf("pod-identity-deprecated");
    const wizard = new WizardPage(page, await liveFindingId(page, "pod-identity-deprecated"));
    await wizard.goto("?step=choose");
    const bindings = page.getByRole("table", { name: "Bindings to migrate" });
    const deletes = finding.fixes[0]!.steps.filter((s) => s.kind === "kubernetes-delete" && s.objectKind === "AzureIdentityBinding");
    await expect(bindings.getByRole("row")).toHaveCount(deletes.length + 1);
    await expect(bindings).toContainText("system:serviceaccount:");
    await expect(bindings).toContainText("azure.workload.identity/use");
    // The managed-identity plan, pre-selected; every binding it deletes has a row.
    await page.screenshot({ path: screenshotPath("wizard-migration-choose"), fullPage: true });

    await wizard.step("Preview").click();
    await wizard.selectTab("YAML");
    const yaml = wizard.rendering.locator("pre code");
    await expect(yaml).toContainText("kind: ServiceAccount");
    await expect(yaml).toContainText("azure.workload.identity/client-id");
    await expect(yaml).not.toContainText("<client");
    await page.screenshot({ path: screenshotPath("wizard-migration-preview"), fullPage: true });

    await expect(wizard.step("Apply"), "the demo's migration plan must be applicable (no manual step before the automated ones)").toBeVisible();
    await wizard.step("Apply").click();
    await wizard.confirmApply();
    const changeIds = [await applyAndGetChangeId(page, wizard)];
    try {
      await expect(wizard.applyResult).toContainText("Applied");
      await page.screenshot({ path: screenshotPath("wizard-migration-applied"), fullPage: true });
      await wizard.applyResult.getByRole("button", { name: "Continue to verify" }).click();
      await expect(page).toHaveURL(/step=verify/);
      // Bindings whose identity is an app registration have their own plan (a Graph write on the
      // app, then the same Kubernetes changes). While the finding has such a plan, this plan
      // resolves only its share: the verdict names what is left.
      const others = finding.fixes.filter((p) => p.id !== finding.fixes[0]!.id);
      if (others.length === 0) {
        await expect(wizard.verdict).toContainText("Resolved");
      } else {
        await expect(wizard.verdict).toContainText("Not resolved, because");
        const left = page.getByRole("list", { name: "Fix options still open" });
        for (const p of others) await expect(left).toContainText(p.summary);
        const leftBindings = others.flatMap((p) => p.steps).filter((s) => s.kind === "kubernetes-delete" && s.objectKind === "AzureIdentityBinding").length;
        await expect(wizard.verdict).toContainText(`${leftBindings} binding(s) should move`);
        await page.screenshot({ path: screenshotPath("wizard-migration-verify"), fullPage: true });

        // The app-registration plan is automatable too: applying it resolves the finding.
        const rest = new WizardPage(page, await liveFindingId(page, "pod-identity-deprecated"));
        await rest.goto("?step=choose");
        await expect(page.getByRole("table", { name: "Bindings to migrate" })).toContainText("app registration");
        await expect(rest.step("Apply"), "the app-registration plan must be applicable").toBeVisible();
        await rest.step("Apply").click();
        await rest.confirmApply();
        changeIds.push(await applyAndGetChangeId(page, rest));
        await expect(rest.applyResult).toContainText("Applied");
        await rest.applyResult.getByRole("button", { name: "Continue to verify" }).click();
        await expect(page).toHaveURL(/step=verify/);
      }
      await expect(wizard.verdict).toContainText("Resolved");
      await expect(wizard.verdict).not.toContainText("Not resolved");
      await page.screenshot({ path: screenshotPath(others.length === 0 ? "wizard-migration-verify" : "wizard-migration-resolved"), fullPage: true });
    } finally {
      // Restore the shared demo tenant whatever the verdict, last change first, so later specs see it as scanned.
      for (const id of changeIds.reverse()) await undoFromChanges(page, id);
    }
    await page.goto("/findings?rule=pod-identity-deprecated");
    await expect(page.locator('a[href^="/findings/pod-identity-deprecated-"]').first()).toBeVisible();
  });
});
