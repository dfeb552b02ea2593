import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu"] });
const p = await b.newPage({ viewport: { width: 1440, height: 900 } });
p.on("console", (m) => { if (m.type() === "error" || m.type()==="warning") console.log("console:", m.text().slice(0,300)); });
p.on("pageerror", (e) => console.log("pageerror:", e.message));
await p.goto("http://localhost:3200/graph" + (process.argv[2] ?? ""), { waitUntil: "load", timeout: 120000 });
await p.waitForTimeout(8000);
console.log(await p.locator(".graph-stats").innerText().catch(e=>"nostats"));
if (process.argv[3]) { await p.locator(`.react-flow__node[aria-label^="${process.argv[3]}"]`).first().click(); await p.waitForTimeout(800); }
await p.screenshot({ path: process.argv[4] ?? "/tmp/g1.png" });
await b.close();
