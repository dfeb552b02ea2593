import { vi } from "vitest";

/** A demo's configuration as `npm run demo` sets it (the emulator it names need not run). */
export const DEMO_ENV: Readonly<Record<string, string>> = {
  SCOPEWISE_MODE: "demo",
  SCOPEWISE_ARM_ENDPOINT: "https://localhost:8443",
  SCOPEWISE_GRAPH_ENDPOINT: "https://localhost:8443",
  SCOPEWISE_AUTHORITY_HOST: "https://localhost:8443",
  SCOPEWISE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  SCOPEWISE_CLIENT_ID: "scopewise-demo",
  SCOPEWISE_CLIENT_SECRET: "s3cret",
  SCOPEWISE_CA_FILE: "/tmp/ca.pem",
};

/** Stubs the process environment as a demo's, plus `extra`; call before importing what reads the configuration (it is read once). */
export function stubDemoEnv(extra: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries({ ...DEMO_ENV, ...extra })) vi.stubEnv(k, v);
}
