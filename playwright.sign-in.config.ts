import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * End-to-end tests of azure mode behind sign-in, against the emulator: `npm run demo --
 * --sign-in` serves the demo tenant with its `users`, and the specs sign in through the
 * emulator's Entra form. Same browser settings as the main config, its own server and port.
 */
const port = Number(process.env.E2E_SIGN_IN_PORT ?? 3101);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  ...base,
  testDir: "./e2e/sign-in",
  testMatch: "**/*.spec.ts",
  testIgnore: [],
  // Each person's first scan starts when they sign in and open a page; nothing to wait for here.
  globalSetup: undefined,
  outputDir: "test-results/sign-in",
  // The browser visits the emulator's Entra form, served with the emulator's own per-run CA,
  // which Chromium cannot be told to trust ahead of time. Only the test browser skips the
  // check; the dashboard's server-side calls to the emulator verify its certificate.
  use: { ...base.use, baseURL, ignoreHTTPSErrors: true },
  webServer: {
    command: `npm run demo -- --sign-in --port ${port}`,
    // An API answers 401 without a session, which Playwright counts as up; pages redirect to
    // the emulator, whose certificate Playwright's readiness probe does not trust.
    url: `${baseURL}/api/csrf`,
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
  },
});
