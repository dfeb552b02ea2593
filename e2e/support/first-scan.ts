import type { FullConfig } from "@playwright/test";

/**
 * Global setup: waits until the demo has completed its first scan (GET /api/findings answers
 * 503 while it runs and starts it on first use), so specs start from a scanned tenant as a
 * person who opened the dashboard a minute ago would.
 */
export default async function firstScan(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) return;
  const until = Date.now() + 10 * 60_000;
  for (;;) {
    const res = await fetch(`${baseURL}/api/findings`).catch(() => undefined);
    if (res?.status === 200) return;
    // With sign-in each person's first scan starts on their first page: nothing to wait for.
    if (res?.status === 401) return;
    if (Date.now() > until) throw new Error(`the demo's first scan did not complete (last answer: ${res?.status ?? "none"})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
