import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

export type Impact = "critical" | "serious" | "moderate" | "minor";

export interface AxeSummary {
  /** Violations by impact. */
  counts: Record<Impact, number>;
  /** "rule-id (impact): first target" per violation, for a failure message. */
  details: string[];
}

/** axe-core over the whole page, WCAG 2.x A and AA plus best practices. */
export async function runAxe(page: Page): Promise<AxeSummary> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const counts: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  const details: string[] = [];
  for (const v of result.violations) {
    const impact = (v.impact ?? "minor") as Impact;
    counts[impact] += 1;
    details.push(`${v.id} (${impact}, ${v.nodes.length}×): ${v.nodes[0]?.target.join(" ") ?? ""} — ${v.help}`);
  }
  return { counts, details };
}

/** How far the page is wider than the window (0: no horizontal scrolling of the whole page). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
}

/** A short description of the focused element, to find it again and to print it. */
export async function focused(page: Page): Promise<{ tag: string; text: string; id: string; name: string; dataId: string; href: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? "",
      text: (el?.textContent ?? "").trim().slice(0, 80),
      id: el?.id ?? "",
      name: el?.getAttribute("aria-label") ?? el?.getAttribute("name") ?? "",
      dataId: el?.getAttribute("data-id") ?? "",
      href: el?.getAttribute("href") ?? "",
    };
  });
}

/**
 * Presses Tab from where focus is until `matches` holds for the focused element; returns the
 * number of presses, or -1 after `max` presses without a match.
 */
export async function tabsUntil(page: Page, matches: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 200): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    if (matches(await focused(page))) return i;
  }
  return -1;
}
