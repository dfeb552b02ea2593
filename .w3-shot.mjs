import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
for (const spec of process.argv.slice(2)) {
  const [id, query, name] = spec.split("|");
  await p.goto(`http://localhost:3300/findings/${id}/fix${query}`, { timeout: 120000 });
  await p.screenshot({ path: `/tmp/w3/${name}.png`, fullPage: true });
  console.log(name, p.url());
}
await b.close();
