import { DefaultAzureCredential } from "@azure/identity";
import { startEmulator } from "@/emulator/server";
import { scanConfigForEmulator } from "@/lib/scan/emulator-config";
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
    inventory = await scanTenant({
      credential: new DefaultAzureCredential(),
      armEndpoint: process.env.SCOPEWISE_ARM_ENDPOINT ?? "https://management.azure.com",
      graphEndpoint: process.env.SCOPEWISE_GRAPH_ENDPOINT ?? "https://graph.microsoft.com",
      subscriptions: options.subscriptions,
    });
  }
  const findings = evaluateRules(inventory, { only: options.only, skip: options.skip });
  return { ok: true, inventory, findings, exitCode: exitCodeFor(findings, options.failOn) };
}
