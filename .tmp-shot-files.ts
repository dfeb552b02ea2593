import { chromium } from "@playwright/test";
(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  for (const n of process.argv.slice(2)) {
    await page.goto(`file:///tmp/scopewise-ui/${n}.html`);
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => ((d as HTMLDetailsElement).open = true)));
    await page.screenshot({ path: `/tmp/scopewise-ui/${n}.png`, fullPage: true });
  }
  await browser.close();
})();
