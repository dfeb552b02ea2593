import { expect, test } from "@playwright/test";
import { IDENTITY_KIND_ORDER, IdentityKindLabel } from "@/lib/model/vocabulary";
import { expectedInventory, screenshotPath } from "./support/expected";
import { OverviewPage } from "./pages/overview-page";

test.describe("overview", () => {
  test("counts identities by kind as the scan of the demo tenant finds them", async ({ page }) => {
    const inv = await expectedInventory();
    const overview = new OverviewPage(page);
    await overview.goto();
    for (const kind of IDENTITY_KIND_ORDER) {
      const expected = inv.identities.filter((i) => i.kind === kind).length;
      expect(await overview.kindCount(IdentityKindLabel[kind]), `${kind} identities`).toBe(expected);
    }
    await page.screenshot({ path: screenshotPath("overview"), fullPage: true });
  });

  test("lists every cluster with its subscription, version and identity mode", async ({ page }) => {
    const inv = await expectedInventory();
    const overview = new OverviewPage(page);
    await overview.goto();
    expect((await overview.clusterNames()).sort()).toEqual(inv.clusters.map((c) => c.name).sort());
    for (const cluster of inv.clusters) {
      const row = overview.clusterRow(cluster.name);
      const sub = inv.subscriptions.find((s) => s.subscriptionId.toLowerCase() === cluster.subscriptionId.toLowerCase());
      if (sub) await expect(row).toContainText(sub.displayName);
      await expect(row).toContainText(cluster.resourceGroup);
      if (cluster.kubernetesVersion) await expect(row).toContainText(cluster.kubernetesVersion);
      const mode = { UserAssigned: "user-assigned", SystemAssigned: "system-assigned", ServicePrincipal: "service principal" }[cluster.controlPlane?.type ?? "UserAssigned"];
      if (cluster.controlPlane) await expect(row).toContainText(mode!);
      if (cluster.workloadIdentityEnabled) await expect(row).toContainText("Workload identity");
    }
    await expect(overview.subscriptions.locator("tbody tr")).toHaveCount(inv.subscriptions.length);
  });

  test("states coverage explicitly: failures are listed, never shown as nothing found", async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    const complete = page.getByText("Complete coverage: every source the scan needed was read.");
    await expect(overview.partialCoverage.or(complete)).toBeVisible();
    if (await overview.partialCoverage.isVisible()) {
      expect(await overview.partialCoverage.getByRole("listitem").count()).toBeGreaterThan(0);
    }
  });

  test("rescans on demand and shows the new scan", async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    await overview.shell.rescanNow();
    await expect(overview.heading).toBeVisible();
  });
});
