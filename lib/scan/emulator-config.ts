import { ClientSecretCredential } from "@azure/identity";
import type { ScanConfig } from "@/lib/inventory/scan";

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
