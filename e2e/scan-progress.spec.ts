import { expect, test } from "@playwright/test";
import { clearFaults, injectFault } from "./support/emulator";
import { FindingsPage } from "./pages/findings";
import { ScanHistoryPage, ScanNotice } from "./pages/scans";
import { OverviewPage } from "./pages/overview-page";
import { screenshotPath } from "./support/expected";

/**
 * Scans as background jobs against the demo's emulator, with failures injected over HTTP
 * (`POST /_emulator/faults`): live progress with Cancel, the last complete scan kept when a
 * rescan fails part-way, the partial result opened on request, and the history.
 */
const dashboardPort = (baseURL: string | undefined) => Number(new URL(baseURL!).port);

test.describe("scan progress and stale views", () => {
  test.afterEach(async ({ baseURL }) => {
    await clearFaults(dashboardPort(baseURL));
  });

  test("shows a running rescan's progress in the top bar, and Cancel stops it", async ({ page, baseURL }) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    // One cluster's API server never answers: the rescan stays on the clusters until cancelled.
    await injectFault(dashboardPort(baseURL), { family: "k8s:", hang: true, times: 100000, cluster: "aks-payments-prod" });
    await overview.shell.rescan.click();
    await expect(overview.shell.status).toContainText(/cluster \d of 3/, { timeout: 60_000 });
    await expect(overview.shell.status).toContainText("elapsed");
    await expect(overview.shell.status.getByRole("progressbar", { name: "Scan progress" })).toBeVisible();
    await page.screenshot({ path: screenshotPath("scan-progress") });
    await overview.shell.cancel.click();
    await expect(overview.shell.status).toHaveText("Rescan cancelled", { timeout: 30_000 });
    // A cancelled rescan does not make the view stale.
    await expect(new ScanNotice(page).region).toHaveCount(0);
  });

  test("keeps the last complete scan when a rescan is partial, names each failed source, and opens the partial result on request", async ({ page, baseURL }) => {
    const findings = new FindingsPage(page);
    await findings.goto();
    const before = await page.request.get("/api/findings");
    const complete = (await before.json()) as { scanId: number; findings: { id: string }[] };
    await injectFault(dashboardPort(baseURL), { family: "k8s:", status: 503, times: 100000, cluster: "aks-orders-prod" });
    await findings.shell.rescan.click();
    await expect(findings.shell.status).toContainText("Rescan partial", { timeout: 90_000 });

    const notice = new ScanNotice(page);
    await expect(notice.region).toContainText(/Stale since .*: the rescan at .* was partial/);
    await expect(notice.region.getByRole("listitem")).toHaveText([/^cluster aks-orders-prod \(HTTP 503/]);
    const stale = (await (await page.request.get("/api/findings")).json()) as { scanId: number; stale: boolean; findings: unknown[] };
    expect(stale).toMatchObject({ scanId: complete.scanId, stale: true });
    expect(stale.findings).toHaveLength(complete.findings.length);
    await page.screenshot({ path: screenshotPath("stale-view"), fullPage: true });

    await notice.openPartial.click();
    await expect(notice.region).toContainText(/Showing scan #\d+ of .* \(partial\), opened from the history/);
    await findings.goto();
    // What rests on the failed cluster is unknown, listed apart from the resolved (none).
    await expect(page.getByRole("region", { name: "Unknown: not checked by this scan" })).toContainText("aks-orders-prod");
    await expect(findings.resolved).toContainText("Nothing resolved since the previous scan");
    await findings.goto("?status=new");
    await expect(page.getByRole("heading", { name: "No findings match these filters" })).toBeVisible();

    await notice.backToComplete.click();
    await expect(notice.region).toContainText(/Stale since/);
    await clearFaults(dashboardPort(baseURL));
    await findings.shell.rescanNow();
    await expect(notice.region).toHaveCount(0);
  });

  test("lists every scan with its coverage and compares two", async ({ page }) => {
    const history = new ScanHistoryPage(page);
    await history.goto();
    await expect(history.rows.first()).toBeVisible();
    const states = await history.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state")));
    expect(states).toContain("succeeded");
    await expect(history.rows.filter({ hasText: "Partial" }).first()).toContainText("2 of 3 clusters");
    await history.compare.getByRole("button", { name: "Compare" }).click();
    await expect(page.getByRole("heading", { level: 1, name: /^Scan #\d+ compared with #\d+$/ })).toBeVisible();
    await expect(page.getByRole("region", { name: "Resolved" })).toContainText("Nothing resolved");
    await expect(page.getByRole("region", { name: "New" })).toContainText("Nothing new");
  });

  test("health and readiness answer without a session and say nothing about the tenant", async ({ page }) => {
    const health = await page.request.get("/api/health");
    expect(health.status()).toBe(200);
    const ready = await page.request.get("/api/ready");
    expect(ready.status()).toBe(200);
    const body = (await ready.json()) as { status: string; store: string; lastCompletedScanAgeSeconds: number | null };
    expect(body.status).toBe("ready");
    expect(body.store).toBe(process.env.E2E_EXPECT_STORE ?? "sqlite");
    expect(body.lastCompletedScanAgeSeconds).toBeGreaterThanOrEqual(0);
  });
});
