import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { buildTestTenant, T } from "@/emulator/testdata/tenant";
import { azureCliEnv, runScanCommand } from "./scan-command";

describe("scan --azure reads the dashboard's azure configuration", () => {
  let emulator: EmulatorHandle;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startEmulator({ tenant: buildTestTenant() });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-cli-"));
    fs.writeFileSync(path.join(dir, "ca.pem"), emulator.caPem);
    const client = emulator.clients[0]!;
    Object.assign(process.env, {
      SCOPEWISE_ARM_ENDPOINT: emulator.url,
      SCOPEWISE_GRAPH_ENDPOINT: emulator.url,
      SCOPEWISE_AUTHORITY_HOST: emulator.url,
      SCOPEWISE_TENANT_ID: T.tenantId,
      SCOPEWISE_CA_FILE: path.join(dir, "ca.pem"),
      // DefaultAzureCredential's environment credential: the emulator's app registration.
      AZURE_TENANT_ID: T.tenantId,
      AZURE_CLIENT_ID: client.clientId,
      AZURE_CLIENT_SECRET: client.clientSecret,
    });
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await emulator?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("trusts SCOPEWISE_CA_FILE and scans only the subscriptions under SCOPEWISE_MANAGEMENT_GROUP", async () => {
    process.env.SCOPEWISE_MANAGEMENT_GROUP = "platform";
    try {
      const result = await runScanCommand({ azure: true, format: "json" });
      if (!result.ok) throw new Error(result.message);
      expect(result.inventory.subscriptions.map((s) => s.subscriptionId)).toEqual([T.sub1]);
      expect(result.inventory.tenantId).toBe(T.tenantId);
    } finally {
      delete process.env.SCOPEWISE_MANAGEMENT_GROUP;
    }
  });

  it("lets --subscription narrow further and reads every visible subscription without it", async () => {
    const all = await runScanCommand({ azure: true, format: "json" });
    if (!all.ok) throw new Error(all.message);
    expect(all.inventory.subscriptions.map((s) => s.subscriptionId).sort()).toEqual([T.sub1, T.sub2]);
    const one = await runScanCommand({ azure: true, format: "json", subscriptions: [T.sub2] });
    if (!one.ok) throw new Error(one.message);
    expect(one.inventory.subscriptions.map((s) => s.subscriptionId)).toEqual([T.sub2]);
  });

  it("reports a bad configuration value by its variable name instead of scanning", async () => {
    expect(() => azureCliEnv({ SCOPEWISE_ARM_ENDPOINT: "http://management.example" })).toThrow(/SCOPEWISE_ARM_ENDPOINT/);
    process.env.SCOPEWISE_CA_FILE = path.join(dir, "missing.pem");
    try {
      const bad = await runScanCommand({ azure: true, format: "json" });
      expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/SCOPEWISE_CA_FILE: cannot read/) });
    } finally {
      process.env.SCOPEWISE_CA_FILE = path.join(dir, "ca.pem");
    }
  });

  it("ignores the dashboard's sign-in variables", () => {
    const env = azureCliEnv({ SCOPEWISE_CLIENT_ID: "not-a-guid", SCOPEWISE_SESSION_SECRET: "short" });
    expect(env.SCOPEWISE_MODE).toBe("azure");
  });
});
