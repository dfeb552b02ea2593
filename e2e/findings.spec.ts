import { expect, test } from "@playwright/test";
import { buildNameLookups } from "@/lib/inventory/names";
import { describePlans } from "@/lib/remediation/describe";
import { defaultFindingQuery, listFindingPage, type FindingQuery } from "@/components/findings/query";
import { buildFindingRows } from "@/components/findings/rows";
import { severityLabels } from "@/components/findings/severity";
import { SEVERITY_ORDER, type Finding } from "@/lib/model/findings";
import { evaluateRules } from "@/lib/rules/evaluate";
import { expectedInventory, screenshotPath } from "./support/expected";
import { FindingPage, FindingsPage } from "./pages/findings";

let cached: Promise<Finding[]> | undefined;
/** The findings the server must show: the same rules over the same tenant, through the pure path. */
const expectedFindings = () => (cached ??= expectedInventory().then((inv) => evaluateRules(inv)));

/** Ids on the first page for a query, from the same view model the page uses (unit-tested on its own). */
async function expectedIds(changes: Partial<FindingQuery>): Promise<string[]> {
  const rows = buildFindingRows(await expectedInventory(), await expectedFindings());
  return listFindingPage(rows, { ...defaultFindingQuery, ...changes }).rows.map((r) => r.id);
}

test.describe("findings", () => {
  test("lists every finding, most severe first, with counts by severity", async ({ page }) => {
    const findings = await expectedFindings();
    const list = new FindingsPage(page);
    await list.goto();
    await expect(list.table).toContainText(`${findings.length.toLocaleString("en-US")} in total`);
    for (const s of SEVERITY_ORDER) expect(await list.severityCount(severityLabels[s])).toBe(findings.filter((f) => f.severity === s).length);
    expect(await list.ids()).toEqual(await expectedIds({}));
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Findings" })).toHaveAttribute("aria-current", "page");
    await page.screenshot({ path: screenshotPath("findings"), fullPage: true });
  });

  test("filters by severity from a count and from the select, through the URL", async ({ page }) => {
    const findings = await expectedFindings();
    const severity = SEVERITY_ORDER.find((s) => s !== "critical" && findings.some((f) => f.severity === s)) ?? "high";
    const label = severityLabels[severity];
    const list = new FindingsPage(page);
    await list.goto();
    await list.severityLink(label).click();
    await list.waitForUrlParam("severity", severity);
    const count = findings.filter((f) => f.severity === severity).length;
    await expect(list.table).toContainText(`${count} of ${findings.length} match`);
    await expect.poll(() => list.severities()).toEqual(Array(Math.min(count, 100)).fill(label));
    expect(await list.ids()).toEqual(await expectedIds({ severity }));
    // Counts stay per severity, so the other levels remain one click away.
    expect(await list.severityCount(label)).toBe(count);

    await list.severity.selectOption({ label: severityLabels.low });
    await list.waitForUrlParam("severity", "low");
    await expect.poll(() => list.ids()).toEqual(await expectedIds({ severity: "low" }));

    // The URL is shareable: loading it fresh shows the same filtered list.
    await page.reload();
    await expect(list.severity).toHaveValue("low");
    expect(await list.ids()).toEqual(await expectedIds({ severity: "low" }));
  });

  test("searches and shows the empty state with a way back", async ({ page }) => {
    const list = new FindingsPage(page);
    await list.goto();
    await list.search.fill("no-finding-mentions-this");
    await list.search.press("Enter");
    await expect(page.getByRole("heading", { name: "No findings match these filters" })).toBeVisible();
    await page.getByRole("link", { name: "Clear filters" }).first().click();
    await list.waitForUrlParam("q", null);
    await expect.poll(() => list.ids()).toEqual(await expectedIds({}));
  });

  test("says which query parameters it ignored", async ({ page }) => {
    const list = new FindingsPage(page);
    await list.goto("?severity=urgent&rule=not-a-rule");
    await expect(page.getByText('Ignored severity="urgent"')).toBeVisible();
    await expect(page.getByText('Ignored rule="not-a-rule": is not a known rule id')).toBeVisible();
    expect(await list.ids()).toEqual(await expectedIds({}));
  });

  test("opens a finding: message, evidence, identity and scope, fix plan in words", async ({ page }) => {
    const inv = await expectedInventory();
    const findings = await expectedFindings();
    // The most telling page: a finding about a role assignment, with the most evidence.
    const target = [...findings].sort((a, b) => Number(!!b.roleAssignmentId) - Number(!!a.roleAssignmentId) || b.evidence.length - a.evidence.length)[0]!;
    const list = new FindingsPage(page);
    await list.goto(`?rule=${target.ruleId}`);
    await list.open(target.id);
    const detail = new FindingPage(page);
    await expect(detail.heading).toHaveText(target.title);
    await expect(detail.message).toContainText(target.message);
    await expect(detail.evidence.getByRole("listitem")).toHaveCount(target.evidence.length);
    await expect(detail.evidence).toContainText(target.evidence[0]!.fact);
    if (target.identityName) await expect(detail.where).toContainText(target.identityName);
    if (target.scope) await expect(detail.where.getByRole("navigation", { name: "Scope of the finding" })).toBeVisible();
    await expect(detail.why).toBeVisible();

    const plans = describePlans(target.fixes, buildNameLookups(inv));
    expect(plans.length).toBeGreaterThan(0);
    await expect(detail.fixPlan(1)).toContainText(plans[0]!.summary);
    await expect(detail.fixPlan(1).getByRole("listitem")).toHaveCount(plans[0]!.steps.length);
    // Steps read in names; the ids are one click away (Copy id).
    await expect(detail.fixPlan(1)).toContainText(plans[0]!.steps[0]!.plain);
    await page.screenshot({ path: screenshotPath("finding"), fullPage: true });
  });

  test("after a rescan, marks each finding new or unchanged and lists what was resolved", async ({ page }) => {
    const findings = await expectedFindings();
    const list = new FindingsPage(page);
    await list.goto();
    await list.shell.rescanNow();
    // The same tenant rescanned: every finding is still there, so all are unchanged, none resolved.
    const column = list.table.getByRole("columnheader", { name: "Since last scan" });
    await expect(column).toBeVisible();
    await expect(list.table.locator("tbody tr .status-marker")).toHaveText(Array(Math.min(findings.length, 100)).fill("Unchanged"));
    await expect(list.resolved).toContainText("Nothing resolved since the previous scan");
    await list.goto("?status=new");
    await expect(page.getByRole("heading", { name: "No findings match these filters" })).toBeVisible();
  });

  test("answers an unknown finding id with the not-found page and a way back", async ({ page }) => {
    // The route streams (loading.tsx), so Next.js keeps the 200 it already sent and marks the
    // page noindex instead of sending 404 (not-found.md / loading.md "Status codes").
    await page.goto("/findings/no-such-finding-000000000000");
    await expect(page.getByRole("heading", { name: "No finding with this id" })).toBeVisible();
    await expect(page.locator('meta[name="robots"][content="noindex"]').first()).toBeAttached();
    await page.getByRole("link", { name: "Back to all findings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
  });
});
