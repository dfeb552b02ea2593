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
  outputDir: "test-results/sign-in",
  use: { ...base.use, baseURL },
  webServer: {
    command: `npm run demo -- --sign-in --port ${port}`,
    url: `${baseURL}/auth/sign-in`,
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
  },
});
