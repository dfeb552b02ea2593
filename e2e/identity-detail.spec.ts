import { expect, test } from "@playwright/test";
import { buildIdentityDetail } from "@/components/identities/detail";
import { getIndex } from "@/components/inventory/lookup";
import { normalizeId } from "@/lib/model/scope";
import { expectedInventory, screenshotPath } from "./support/expected";
import { IdentitiesPage } from "./pages/identities-page";
import { IdentityPage } from "./pages/identity-page";

test.describe("identity detail", () => {
  test("shows role assignments with a resolved scope breadcrumb and the bound pods", async ({ page }) => {
    const inv = await expectedInventory();
    const index = getIndex(inv);
    // An application identity that pods really use and that holds a role below a subscription.
    const identity = inv.identities.find(
      (i) =>
        inv.links.some((l) => l.identityKey === i.key && l.podIds.length > 0) &&
        (index.assignmentsByPrincipal.get(normalizeId(i.principalId ?? "")) ?? []).some((a) => a.scopeLevel === "resourceGroup" || a.scopeLevel === "resource"),
    );
    test.skip(!identity, "the demo tenant has no identity with bound pods and a resource-level role");
    const detail = buildIdentityDetail(inv, identity!.key)!;

    const list = new IdentitiesPage(page);
    await list.goto(`?q=${encodeURIComponent(identity!.displayName)}`);
    await list.open(identity!.displayName);
    const view = new IdentityPage(page);
    await expect(view.heading).toHaveText(identity!.displayName);
    if (identity!.principalId) await expect(view.identifiers).toContainText(identity!.principalId);

    const assignment = detail.assignments.find((a) => a.scopeLevel === "resourceGroup" || a.scopeLevel === "resource")!;
    const ra = inv.roleAssignments.find((r) => r.id === assignment.id)!;
    const sub = inv.subscriptions.find((s) => s.subscriptionId.toLowerCase() === ra.scope.split("/")[2]!.toLowerCase())!;
    const labels = await view.breadcrumbLabels(assignment.roleName);
    // management group(s) › subscription › resource group [› resource], names not GUIDs.
    expect(labels).toContain(sub.displayName);
    expect(labels).toContain(ra.scope.split("/")[4]);
    // Management groups included: the live scan resolves the subscription's parent chain too.
    expect(labels).toEqual(assignment.crumbs.map((c) => c.label));

    const bound = detail.workloads.find((w) => w.pods.length > 0)!;
    const row = view.workloadRow(bound.workloadName);
    await expect(row).toContainText(bound.namespace);
    await expect(row).toContainText(bound.mechanismLabel);
    for (const step of bound.steps) await expect(row).toContainText(step.name);
    await row.getByText(/\d+ pods?/).click();
    for (const pod of bound.pods) await expect(row.getByRole("listitem").filter({ hasText: pod.name })).toBeVisible();
    await page.screenshot({ path: screenshotPath("identity-detail"), fullPage: true });
  });

  test("answers an unknown identity key with the not-found page", async ({ page }) => {
    // The route streams (loading.tsx), so Next.js keeps the 200 it already sent and marks the
    // page noindex instead of sending 404 (documented in not-found.md / loading.md "Status codes").
    await page.goto("/identities/00000000-dead-beef-0000-000000000000");
    await expect(page.getByRole("heading", { name: "No identity with this key" })).toBeVisible();
    await expect(page.locator('meta[name="robots"][content="noindex"]').first()).toBeAttached();
    await page.screenshot({ path: screenshotPath("identity-not-found") });
  });
});
