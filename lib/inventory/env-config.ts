import "server-only";
import fs from "node:fs/promises";
import { DefaultAzureCredential } from "@azure/identity";
import { ConfigurationError, type ServerEnv } from "@/lib/env";
import { scanConfigForEmulator } from "./emulator-config";
import type { ScanConfig } from "./scan";

/** Scan configuration for the server's mode: the demo emulator, or Azure with DefaultAzureCredential. */
export async function scanConfigFromEnv(env: ServerEnv): Promise<{ config: ScanConfig; source: string }> {
  if (env.SCOPEWISE_MODE === "demo") {
    let caPem: string;
    try {
      caPem = await fs.readFile(env.SCOPEWISE_CA_FILE, "utf8");
    } catch (err) {
      throw new ConfigurationError(`SCOPEWISE_CA_FILE: cannot read ${env.SCOPEWISE_CA_FILE} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const config = scanConfigForEmulator({
      url: env.SCOPEWISE_ARM_ENDPOINT,
      armEndpoint: env.SCOPEWISE_ARM_ENDPOINT,
      graphEndpoint: env.SCOPEWISE_GRAPH_ENDPOINT,
      authorityHost: env.SCOPEWISE_AUTHORITY_HOST,
      caPem,
      tenantId: env.SCOPEWISE_TENANT_ID,
      clients: [{ clientId: env.SCOPEWISE_CLIENT_ID, clientSecret: env.SCOPEWISE_CLIENT_SECRET }],
    });
    return { config, source: `the demo emulator at ${env.SCOPEWISE_ARM_ENDPOINT}` };
  }
  const credential = new DefaultAzureCredential({
    authorityHost: env.SCOPEWISE_AUTHORITY_HOST,
    ...(env.SCOPEWISE_TENANT_ID ? { tenantId: env.SCOPEWISE_TENANT_ID } : {}),
  });
  return {
    config: {
      credential,
      tenantId: env.SCOPEWISE_TENANT_ID,
      armEndpoint: env.SCOPEWISE_ARM_ENDPOINT,
      graphEndpoint: env.SCOPEWISE_GRAPH_ENDPOINT,
      subscriptions: env.SCOPEWISE_SUBSCRIPTIONS,
    },
    source: "Azure",
  };
}
