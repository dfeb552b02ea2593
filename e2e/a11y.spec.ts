import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { horizontalOverflow, runAxe, type AxeSummary } from "./support/a11y";
import { expectedInventory, screenshotPath } from "./support/expected";

/** The first finding of a rule as the server lists it now (an undo in another spec can change assignment ids). */
async function liveFinding(page: Page, ruleId: string): Promise<string> {
  await page.goto(`/findings?rule=${ruleId}`);
  const link = page.locator(`main a[href^="/findings/${ruleId}-"]`).first();
  await expect(link).toBeVisible();
  return (await link.getAttribute("href"))!;
}

type Target = { name: string; url: (page: Page) => Promise<string> };

const targets: Target[] = [
  { name: "overview", url: async () => "/" },
  { name: "identities", url: async () => "/identities" },
  {
    name: "identity",
    url: async () => {
      const inv = await expectedInventory();
      const identity = [...inv.identities].sort((a, b) => Number(!!b.principalId) - Number(!!a.principalId) || b.uses.length - a.uses.length)[0]!;
      return `/identities/${encodeURIComponent(identity.key)}`;
    },
  },
  { name: "findings", url: async () => "/findings" },
  { name: "finding", url: (page) => liveFinding(page, "acr-scope-too-broad") },
  { name: "wizard-understand", url: async (page) => `${await liveFinding(page, "acr-scope-too-broad")}/fix` },
  { name: "wizard-choose", url: async (page) => `${await liveFinding(page, "acr-scope-too-broad")}/fix?step=choose` },
  { name: "wizard-preview", url: async (page) => `${await liveFinding(page, "acr-scope-too-broad")}/fix?step=preview` },
  { name: "wizard-apply", url: async (page) => `${await liveFinding(page, "acr-scope-too-broad")}/fix?step=apply` },
  { name: "wizard-migration-choose", url: async (page) => `${await liveFinding(page, "pod-identity-deprecated")}/fix?step=choose` },
  { name: "changes", url: async () => "/changes" },
  { name: "alerts", url: async () => "/alerts" },
  { name: "graph", url: async () => "/graph" },
  {
    name: "graph-reach",
    url: async () => {
      const inv = await expectedInventory();
      const vault = inv.resources.find((r) => r.type.toLowerCase() === "microsoft.keyvault/vaults") ?? inv.resources[0]!;
      return `/graph?to=${encodeURIComponent(vault.id)}`;
    },
  },
  { name: "not-found", url: async () => "/no-such-page" },
  { name: "finding-not-found", url: async () => "/findings/no-such-finding-000000000000" },
];

async function ready(page: Page): Promise<void> {
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  if (new URL(page.url()).pathname === "/graph") await expect(page.locator(".graph-stats")).toHaveText(/\d+ nodes · \d+ edges/, { timeout: 30_000 });
  // Streamed parts (the top bar's scan status) have landed.
  await page.waitForLoadState("networkidle");
}

const report = path.join(__dirname, "..", "artifacts", "a11y.jsonl");

function record(name: string, width: number, theme: string, axe: AxeSummary, overflow: number) {
  mkdirSync(path.dirname(report), { recursive: true });
  appendFileSync(report, `${JSON.stringify({ page: name, width, theme, ...axe.counts, overflow, details: axe.details })}\n`);
}

test.describe("accessibility and reflow on every page", () => {
  // Five loads, four axe runs and (outside CI) four full-page screenshots per page; long lists make tall pages.
  test.describe.configure({ timeout: 300_000 });
  for (const target of targets) {
    test(`${target.name}: no critical or serious axe violation at 1440 and 390 px in light and dark; no sideways scrolling at 390 and 360 px`, async ({ page }) => {
      const url = await target.url(page);
      const failures: string[] = [];
      // Both widths and both themes, crossed: contrast depends on the theme, reflow on the width.
      // Outside CI every combination is checked (and photographed).
      const views = process.env.CI
        ? ([
            { width: 1440, theme: "light" },
            { width: 390, theme: "dark" },
            { width: 360, theme: "light" },
          ] as const)
        : ([
            { width: 1440, theme: "light" },
            { width: 1440, theme: "dark" },
            { width: 390, theme: "light" },
            { width: 390, theme: "dark" },
            { width: 360, theme: "light" },
          ] as const);
      for (const { width, theme } of views) {
        await page.setViewportSize({ width, height: width > 1000 ? 900 : 844 });
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(url);
        await ready(page);
        const overflow = await horizontalOverflow(page);
        if (width < 1000) expect.soft(overflow, `${target.name} at ${width} px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
        if (width === 360) continue;
        const axe = await runAxe(page);
        record(target.name, width, theme, axe, overflow);
        if (axe.counts.critical + axe.counts.serious > 0) failures.push(`${width} px ${theme}:\n  ${axe.details.join("\n  ")}`);
        // Screenshots are for people looking at the pages; CI only judges them.
        if (!process.env.CI) await page.screenshot({ path: screenshotPath(`${target.name}-${width}-${theme}`), fullPage: true });
      }
      expect(failures, failures.join("\n")).toEqual([]);
    });
  }
});
