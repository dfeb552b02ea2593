import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * End-to-end tests of Terraform awareness: the demo served with the demo tenant's Terraform
 * state and HCL (fixtures/terraform/demo), so the built dashboard must read state JSON and
 * parse HCL with web-tree-sitter's WebAssembly at run time. Its own server and port; the
 * main suite's demo has no states configured.
 */
const port = Number(process.env.E2E_TERRAFORM_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 5);
const baseURL = `http://localhost:${port}`;
process.env.E2E_EMULATOR_PORT = String(port + 1);

export default defineConfig({
  ...base,
  testDir: "./e2e/terraform",
  testMatch: "**/*.spec.ts",
  testIgnore: [],
  outputDir: "test-results/terraform",
  use: { ...base.use, baseURL },
  webServer: {
    command: `npm run demo -- --port ${port} --emulator-port ${port + 1} --terraform-states fixtures/terraform/demo/state --terraform-dir fixtures/terraform/demo`,
    url: baseURL,
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    env: { SCOPEWISE_DATA_DIR: `.data/e2e-terraform-${port}-${Date.now()}` },
  },
});
