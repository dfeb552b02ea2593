import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import type { RolloutSettings } from "@/emulator/rollouts";
import { createAzureClients, type AzureClients } from "@/lib/azure/clients";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { scanTenant, type ScanConfig } from "@/lib/inventory/scan";
import type { Finding } from "@/lib/model/findings";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { AuditLog } from "@/lib/store/audit";
import { openStore, type Store } from "@/lib/store/db";
import { migrate } from "@/lib/store/migrations";
import { postgresTestDatabase, testDatabaseUrl } from "@/lib/store/sql.testing";
import type { TenantFile } from "@/lib/tenant/types";
import { kubeAccessFromAzure } from "@/lib/scan/kube-access";
import type { ApplyOptions, KubeAccess } from "../types";

/** An emulator, SDK clients as the emulator's app, an audit log in a temp dir, and scan helpers. */
export interface Harness {
  emu: EmulatorHandle;
  config: ScanConfig;
  azure: AzureClients;
  kube: KubeAccess;
  store: Store;
  audit: AuditLog;
  dataDir: string;
  scan(): Promise<{ inventory: Inventory; findings: Finding[] }>;
  options(inventory: Inventory, finding: Finding, extra?: Partial<ApplyOptions>): ApplyOptions;
  close(): Promise<void>;
}

export async function startHarness(tenant: { tenant?: TenantFile; tenantFile?: string; storeOnPostgres?: boolean; rollout?: RolloutSettings }): Promise<Harness> {
  const emu = await startEmulator({ tenant: tenant.tenant, tenantFile: tenant.tenantFile, pageSize: 500, ...(tenant.rollout ? { rollout: tenant.rollout } : {}) });
  const config = scanConfigForEmulator(emu);
  const azure = createAzureClients(config);
  const dataDir = mkdtempSync(path.join(tmpdir(), "scopewise-apply-"));
  // On PostgreSQL each harness gets a schema of its own (dropped on close), like the store tests.
  const pg = testDatabaseUrl && tenant.storeOnPostgres ? postgresTestDatabase(testDatabaseUrl) : undefined;
  const store = pg ? await pg.open().then(async (db) => (await migrate(db), db)) : await openStore({ dataDir });
  const audit = new AuditLog(store);
  const kube = kubeAccessFromAzure(azure, config.credential);
  return {
    emu,
    config,
    azure,
    kube,
    store,
    audit,
    dataDir,
    async scan() {
      const inventory = await scanTenant(config);
      if (inventory.errors.length) throw new Error(`scan errors: ${JSON.stringify(inventory.errors)}`);
      return { inventory, findings: evaluateRules(inventory) };
    },
    options: (inventory, finding, extra = {}) => ({ inventory, finding, azure, kube, audit, actor: "test@scopewise", dryRun: false, ...extra }),
    async close() {
      await store.close();
      await pg?.dispose();
      await emu.close();
    },
  };
}

/** Every role assignment as (role GUID, scope, principal): what "Azure exactly as before" compares. */
export function grantSet(inventory: Inventory): string[] {
  return inventory.roleAssignments.map((a) => `${roleDefinitionGuid(a.roleDefinitionId)}|${normalizeId(a.scope)}|${a.principalId.toLowerCase()}`).sort();
}

export function grantOf(a: { roleDefinitionId: string; scope: string; principalId: string }): string {
  return `${roleDefinitionGuid(a.roleDefinitionId)}|${normalizeId(a.scope)}|${a.principalId.toLowerCase()}`;
}
