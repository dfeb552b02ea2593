import { chromium } from "@playwright/test";
const base = process.argv[2] ?? "http://localhost:3100";
const paths = (process.argv[3] ?? "/,/identities").split(",");
(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text().slice(0, 300)); });
  for (const [i, p] of paths.entries()) {
    const res = await page.goto(base + p, { waitUntil: "networkidle", timeout: 120000 });
    console.log(p, res?.status());
    await page.screenshot({ path: `/tmp/scopewise-ui/shot-${i}.png`, fullPage: true });
  }
  await browser.close();
})();
