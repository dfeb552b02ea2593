import { startEmulator } from "@/emulator/server";
import { ConfigurationError, parseEnv } from "@/lib/env";
import { connectionFromEnv, scanConfigForEmulator } from "@/lib/scan/connection";
import { scanTenant } from "@/lib/inventory/scan";
import { severityRank, type Finding, type Severity } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { loadTenantFile } from "@/lib/tenant/schema";

export interface ScanCommandOptions {
  tenantFile?: string;
  azure: boolean;
  subscriptions?: string[];
  format: "json" | "table" | "sarif";
  failOn?: Severity;
  only?: string[];
  skip?: string[];
}

export type ScanCommandResult =
  | { ok: true; inventory: Inventory; findings: Finding[]; exitCode: 0 | 1 }
  | { ok: false; message: string };

export function exitCodeFor(findings: Finding[], failOn: Severity | undefined): 0 | 1 {
  if (!failOn) return 0;
  return findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}

export async function runScanCommand(options: ScanCommandOptions): Promise<ScanCommandResult> {
  let inventory: Inventory;
  if (options.tenantFile) {
    let tenant;
    try {
      tenant = await loadTenantFile(options.tenantFile);
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
    const emulator = await startEmulator({ tenant });
    try {
      inventory = await scanTenant(scanConfigForEmulator(emulator));
    } finally {
      await emulator.close();
    }
  } else {
    let target;
    try {
      target = await connectionFromEnv(azureCliEnv(process.env), {});
    } catch (err) {
      if (err instanceof ConfigurationError) return { ok: false, message: err.message };
      throw err;
    }
    const subscriptions = options.subscriptions ?? target.config.subscriptions;
    inventory = await scanTenant({ ...target.config, ...(subscriptions ? { subscriptions } : {}) });
  }
  const findings = evaluateRules(inventory, { only: options.only, skip: options.skip });
  return { ok: true, inventory, findings, exitCode: exitCodeFor(findings, options.failOn) };
}

/** Variables that configure people's sign-in to the dashboard; the CLI reads as its own credential. */
const SIGN_IN_VARIABLES = ["SCOPEWISE_CLIENT_ID", "SCOPEWISE_CLIENT_SECRET", "SCOPEWISE_CLIENT_CERTIFICATE_PATH", "SCOPEWISE_REDIRECT_URI", "SCOPEWISE_SESSION_SECRET"];

/**
 * `scan --azure` reads the same configuration as the dashboard's azure mode (endpoints,
 * SCOPEWISE_CA_FILE, SCOPEWISE_TENANT_ID, SCOPEWISE_SUBSCRIPTIONS, SCOPEWISE_MANAGEMENT_GROUP)
 * with DefaultAzureCredential; sign-in settings do not apply to it.
 */
export function azureCliEnv(raw: Record<string, string | undefined>) {
  const env: Record<string, string | undefined> = { ...raw, SCOPEWISE_MODE: "azure" };
  for (const name of SIGN_IN_VARIABLES) delete env[name];
  return parseEnv(env);
}
