import fs from "node:fs/promises";
import type { TokenCredential } from "@azure/core-auth";
import { ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";
import { subscriptionsUnderManagementGroup } from "@/lib/azure/management-group-scope";
import type { ScanConfig } from "@/lib/inventory/scan";
import { ConfigurationError, type ServerEnv } from "@/lib/env";

/**
 * The one place that turns configuration into a connection to a tenant: the dashboard (per
 * person or as the server), the apply engine and the CLI all read and write through it, so
 * endpoints, the trusted CA, the tenant and the management-group scope mean the same thing
 * everywhere.
 */

/** A configured tenant, ready to scan, and how it reads to people. */
export interface ScanTarget {
  config: ScanConfig;
  /** "the demo emulator at https://localhost:PORT", "Azure as alice@contoso.com (management group mg-prod)". */
  source: string;
}

async function readCa(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    throw new ConfigurationError(`SCOPEWISE_CA_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * The tenant the configuration names. Demo mode reads the emulator with its app registration.
 * Azure mode reads with `as.credential` (a signed-in person's delegated token) or, without
 * one, DefaultAzureCredential (`az login`, managed identity, environment credentials); it
 * trusts SCOPEWISE_CA_FILE when set and narrows to SCOPEWISE_SUBSCRIPTIONS and
 * SCOPEWISE_MANAGEMENT_GROUP.
 */
export async function connectionFromEnv(env: ServerEnv, as: { credential?: TokenCredential; who?: string } = {}): Promise<ScanTarget> {
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
    return { config, source: describeConnection(env) };
  }
  const caPem = env.SCOPEWISE_CA_FILE ? await readCa(env.SCOPEWISE_CA_FILE) : undefined;
  const credential =
    as.credential ??
    new DefaultAzureCredential({
      authorityHost: env.SCOPEWISE_AUTHORITY_HOST,
      ...(env.SCOPEWISE_TENANT_ID ? { tenantId: env.SCOPEWISE_TENANT_ID } : {}),
      // A private CA means a private authority (a test emulator): token requests trust it, and
      // no instance discovery is asked of the public cloud for it.
      ...(caPem ? { tlsOptions: { ca: caPem }, disableInstanceDiscovery: true } : {}),
    });
  const source = describeConnection(env, as.who);
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
  }
  return { config: { ...connection, ...(subscriptions ? { subscriptions } : {}) }, source };
}

/**
 * How a connection reads to people, without connecting: "the demo emulator at https://localhost:8443",
 * "Azure as alice@contoso.com (management group mg-prod)".
 */
export function describeConnection(env: ServerEnv, who?: string): string {
  if (env.SCOPEWISE_MODE === "demo") return `the demo emulator at ${env.SCOPEWISE_ARM_ENDPOINT}`;
  return `${who ? `Azure as ${who}` : "Azure"}${env.SCOPEWISE_MANAGEMENT_GROUP ? ` (management group ${env.SCOPEWISE_MANAGEMENT_GROUP})` : ""}`;
}

/** What scanConfigForEmulator needs from a running emulator (emulator/server.ts handle). */
export interface EmulatorEndpoints {
  /** Base URL; Entra, ARM, Graph and the clusters' Kubernetes APIs are served under it. */
  url: string;
  caPem: string;
  tenantId: string;
  clients: readonly { clientId: string; clientSecret: string }[];
  /** Per-service endpoints when the emulator names them; `url` otherwise. */
  authorityHost?: string;
  armEndpoint?: string;
  graphEndpoint?: string;
}

/**
 * Scan configuration for the local emulator: the app-registration flow (client
 * credentials) against the emulator's Entra endpoints, trusting only its CA. The scan
 * then runs exactly the code it runs against Azure.
 */
export function scanConfigForEmulator(handle: EmulatorEndpoints, overrides: Partial<ScanConfig> = {}): ScanConfig {
  const client = handle.clients[0];
  if (!client) throw new Error("the emulator has no client registration to sign in with");
  const url = handle.url.replace(/\/+$/, "");
  const credential = new ClientSecretCredential(handle.tenantId, client.clientId, client.clientSecret, {
    authorityHost: handle.authorityHost ?? url,
    // Instance discovery asks login.microsoftonline.com which authorities exist; the
    // emulator is not on that list and the scan must not leave the machine.
    disableInstanceDiscovery: true,
    tlsOptions: { ca: handle.caPem },
  });
  return {
    credential,
    tenantId: handle.tenantId,
    armEndpoint: handle.armEndpoint ?? url,
    graphEndpoint: handle.graphEndpoint ?? url,
    caPem: handle.caPem,
    ...overrides,
  };
}
