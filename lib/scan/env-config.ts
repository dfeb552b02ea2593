import "server-only";
import fs from "node:fs/promises";
import { DefaultAzureCredential } from "@azure/identity";
import { sessionCredential } from "@/lib/auth/session";
import { sessionStore } from "@/lib/auth/session-store";
import type { Viewer } from "@/lib/auth/viewer";
import { ConfigurationError, type ServerEnv } from "@/lib/env";
import { scanConfigForEmulator } from "./emulator-config";
import type { ScanConfig } from "@/lib/inventory/scan";
import { subscriptionsUnderManagementGroup } from "@/lib/azure/management-group-scope";

async function readCa(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    throw new ConfigurationError(`SCOPEWISE_CA_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * Scan configuration for the server's mode and the viewer: the demo emulator with its app
 * registration; Azure as the signed-in person (delegated token from their session); or Azure
 * with DefaultAzureCredential when no app registration is configured (one local user).
 */
export async function scanConfigFromEnv(env: ServerEnv, viewer: Viewer = { kind: "server" }): Promise<{ config: ScanConfig; source: string }> {
  if (env.SCOPEWISE_MODE === "demo") {
    const caPem = await readCa(env.SCOPEWISE_CA_FILE);
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
  const caPem = env.SCOPEWISE_CA_FILE ? await readCa(env.SCOPEWISE_CA_FILE) : undefined;
  let credential;
  let source: string;
  if (viewer.kind === "user") {
    credential = sessionCredential(viewer.settings, sessionStore(), viewer.session);
    source = `Azure as ${viewer.session.user.username}`;
  } else if (env.SCOPEWISE_CLIENT_ID) {
    // With an app registration every read is a person's; the server has no credential of its own.
    throw new ConfigurationError("sign-in is configured (SCOPEWISE_CLIENT_ID): the tenant is read only as a signed-in person");
  } else {
    credential = new DefaultAzureCredential({
      authorityHost: env.SCOPEWISE_AUTHORITY_HOST,
      ...(env.SCOPEWISE_TENANT_ID ? { tenantId: env.SCOPEWISE_TENANT_ID } : {}),
    });
    source = "Azure";
  }
  const connection = {
    credential,
    tenantId: env.SCOPEWISE_TENANT_ID,
    armEndpoint: env.SCOPEWISE_ARM_ENDPOINT,
    graphEndpoint: env.SCOPEWISE_GRAPH_ENDPOINT,
    ...(caPem ? { caPem } : {}),
  };
  let subscriptions = env.SCOPEWISE_SUBSCRIPTIONS;
  if (env.SCOPEWISE_MANAGEMENT_GROUP) {
    const under = await subscriptionsUnderManagementGroup(connection, env.SCOPEWISE_MANAGEMENT_GROUP);
    // Both set: the listed subscriptions that sit under the group.
    subscriptions = subscriptions ? subscriptions.filter((s) => under.some((u) => u.toLowerCase() === s.toLowerCase())) : under;
    source += ` (management group ${env.SCOPEWISE_MANAGEMENT_GROUP})`;
  }
  return { config: { ...connection, ...(subscriptions ? { subscriptions } : {}) }, source };
}
