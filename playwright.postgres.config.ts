import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * The scan-progress spec again, with the demo's store on PostgreSQL: SCOPEWISE_DATABASE_URL
 * names a schema of its own in the database SCOPEWISE_TEST_DATABASE_URL points at (CI's
 * `.ci/run` starts one), created before the demo starts and dropped after the run. Without
 * that variable there is nothing to run (`--pass-with-no-tests`).
 */
const databaseUrl = process.env.SCOPEWISE_TEST_DATABASE_URL;
const port = Number(process.env.E2E_POSTGRES_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 3);
const baseURL = `http://localhost:${port}`;
process.env.E2E_EMULATOR_PORT = String(port + 1);
process.env.E2E_PG_SCHEMA ??= `e2e_${port}_${Date.now()}`;
// The readiness probe must report the store this run is about.
process.env.E2E_EXPECT_STORE = "postgres";

function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

export default defineConfig({
  ...base,
  testMatch: "scan-progress.spec.ts",
  testIgnore: databaseUrl ? ["sign-in/**", "terraform/**"] : "**/*",
  outputDir: "test-results/postgres",
  globalSetup: databaseUrl ? "./e2e/support/first-scan.ts" : undefined,
  globalTeardown: databaseUrl ? "./e2e/support/postgres-schema.ts" : undefined,
  use: { ...base.use, baseURL },
  webServer: databaseUrl
    ? {
        command: `npx tsx e2e/support/postgres-schema.ts create && npm run demo -- --port ${port} --emulator-port ${port + 1}`,
        url: baseURL,
        timeout: 600_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        env: { SCOPEWISE_DATABASE_URL: withSchema(databaseUrl, process.env.E2E_PG_SCHEMA), SCOPEWISE_DATA_DIR: `.data/e2e-postgres-${port}` },
      }
    : undefined,
});
