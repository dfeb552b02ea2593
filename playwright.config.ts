import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against the demo: `npm run demo` starts the emulator with the demo tenant
 * and the dashboard on PORT, and the specs drive Chromium against it. The machine has two
 * cores, so one worker; the demo server is shared by every spec.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// The demo's emulator on a known port, so specs can inject failures over HTTP (e2e/support/emulator.ts).
// Clear of the ports the specs' own demos take (E2E_PORT + 2, + 3) and the PostgreSQL run's (+ 3, + 4).
process.env.E2E_EMULATOR_PORT ??= String(port + 8);
const tenant = process.env.E2E_TENANT;
// Scan history and the audit log of an e2e run start empty and stay apart from a developer's
// own demo (set once in the runner; workers inherit it).
process.env.E2E_DATA_DIR ??= `.data/e2e-${port}-${Date.now()}`;

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  // These run against demos of their own (playwright.sign-in.config.ts, playwright.terraform.config.ts).
  testIgnore: ["sign-in/**", "terraform/**"],
  globalSetup: "./e2e/support/first-scan.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium", headless: true } }],
  webServer: {
    command: `npm run demo -- --port ${port} --emulator-port ${process.env.E2E_EMULATOR_PORT}${tenant ? ` --tenant ${JSON.stringify(tenant)}` : ""}`,
    url: baseURL,
    // The first run builds the dashboard (a few minutes on two cores).
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    env: { SCOPEWISE_DATA_DIR: process.env.E2E_DATA_DIR },
  },
});
