/**
 * Applies a plan and kills its own process (SIGKILL: no finally, no rollback) right after
 * step `killAfter` is recorded done: a crash between two writes, for the reconcile test.
 * Usage: node --conditions=react-server --import tsx crash-child.ts <input.json>
 */
import { readFileSync } from "node:fs";
import { createAzureClients } from "@/lib/azure/clients";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { AuditLog } from "@/lib/store/audit";
import { openStore } from "@/lib/store/db";
import { applyPlan } from "../apply";
import { kubeAccessFromAzure } from "@/lib/scan/kube-access";

interface CrashInput {
  emulator: { url: string; caPem: string; tenantId: string; clients: { clientId: string; clientSecret: string }[] };
  dataDir: string;
  /** Run against this PostgreSQL store instead of SQLite in dataDir. */
  databaseUrl?: string;
  inventory: Inventory;
  finding: Finding;
  planId: string;
  killAfter: number;
}

async function main(): Promise<void> {
const input = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as CrashInput;
const config = scanConfigForEmulator(input.emulator);
const azure = createAzureClients(config);
const audit = new AuditLog(await openStore({ dataDir: input.dataDir, ...(input.databaseUrl ? { databaseUrl: input.databaseUrl } : {}) }));
const plan = input.finding.fixes.find((p) => p.id === input.planId)!;
await applyPlan(plan, {
  inventory: input.inventory,
  finding: input.finding,
  azure,
  kube: kubeAccessFromAzure(azure, config.credential),
  audit,
  actor: "crashing@scopewise",
  dryRun: false,
  hooks: {
    afterStep: (seq) => {
      if (seq === input.killAfter) process.kill(process.pid, "SIGKILL");
    },
  },
});
process.stdout.write("finished without crashing\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
