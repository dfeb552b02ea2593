import { relative, resolve, sep } from "node:path";
import { startEmulator } from "@/emulator/server";
import { ConfigurationError, parseEnv } from "@/lib/env";
import { connectionFromEnv, scanConfigForEmulator } from "@/lib/scan/connection";
import { collectTenant, type ScanConfig } from "@/lib/inventory/scan";
import { buildInventory } from "@/lib/inventory/build";
import { locateIn } from "@/lib/iac/hcl-sources";
import { IacInputError } from "@/lib/iac/input-error";
import type { RawCollection } from "@/lib/model/wire";
import { readTerraformDir, readTerraformPlanFile } from "@/lib/scan/terraform-files";
import { evaluateTerraformPlan } from "@/lib/scan/terraform-plan";
import { severityRank, type Finding, type Severity } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { loadTenantFile } from "@/lib/tenant/schema";
import { applyExceptions, triageOf, type FindingTriage } from "@/lib/model/triage";
import { rules as allRules } from "@/lib/rules/registry";
import { DEFAULT_EXCEPTIONS_FILE, ExceptionsFileError, readExceptionsFile } from "@/lib/scan/exceptions-file";
import { existsSync } from "node:fs";

export interface ScanCommandOptions {
  tenantFile?: string;
  azure: boolean;
  subscriptions?: string[];
  /** `terraform show -json PLANFILE` output to judge, alone or over the live scan. */
  terraformPlan?: string;
  /** The plan's root module directory, for file and line. */
  terraformDir?: string;
  format: "json" | "table" | "sarif";
  failOn?: Severity;
  only?: string[];
  skip?: string[];
  /** Decisions file; without it, `scopewise.exceptions.yaml` in the working directory when present. */
  exceptionsFile?: string;
  /** `--fail-on` counts accepted and false-positive findings too. */
  failOnAccepted?: boolean;
  /** The day expiries are judged against (tests); today otherwise. */
  now?: Date;
}

export type ScanCommandResult =
  | { ok: true; inventory: Inventory; findings: Finding[]; triage: Map<string, FindingTriage>; exitCode: 0 | 1; iacRoot?: string; exceptionsFile?: string }
  | { ok: false; message: string };

/** Exit 1 when a finding reaches `failOn`; findings with a decision (`triaged`) do not count unless `countTriaged`. */
export function exitCodeFor(findings: Finding[], failOn: Severity | undefined, triaged: { has(id: string): boolean } = new Set(), countTriaged = false): 0 | 1 {
  if (!failOn) return 0;
  return findings.some((f) => (countTriaged || !triaged.has(f.id)) && severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}

/** The exceptions file to read: the one named, else the default one when the working directory has it. */
export function exceptionsFileFor(options: Pick<ScanCommandOptions, "exceptionsFile">, cwd = process.cwd()): string | undefined {
  if (options.exceptionsFile) return options.exceptionsFile;
  const fallback = resolve(cwd, DEFAULT_EXCEPTIONS_FILE);
  return existsSync(fallback) ? relative(cwd, fallback) : undefined;
}

export async function runScanCommand(options: ScanCommandOptions, hooks: { onProgress?: ScanConfig["onProgress"] } = {}): Promise<ScanCommandResult> {
  const now = options.now ?? new Date();
  // Exceptions are read before anything is scanned: a file CI cannot use stops the run at once.
  const exceptionsFile = exceptionsFileFor(options);
  let exceptions;
  try {
    exceptions = exceptionsFile ? await readExceptionsFile(exceptionsFile, { ruleIds: allRules.map((r) => r.meta.id), now }) : [];
  } catch (err) {
    if (err instanceof ExceptionsFileError) return { ok: false, message: `bad exceptions file\n${err.message}` };
    throw err;
  }
  const decide = (findings: Finding[]) => {
    const triage = new Map([...applyExceptions(findings, exceptions, now)].map(([id, e]) => [id, triageOf(e)]));
    return { triage, exitCode: exitCodeFor(findings, options.failOn, triage, options.failOnAccepted), ...(exceptionsFile ? { exceptionsFile } : {}) };
  };
  // Terraform input is read first: a bad plan or HCL is reported before any tenant is read.
  let terraform;
  try {
    terraform = options.terraformPlan
      ? { plan: await readTerraformPlanFile(options.terraformPlan), sources: options.terraformDir ? await readTerraformDir(options.terraformDir) : undefined }
      : undefined;
  } catch (err) {
    if (err instanceof IacInputError) return { ok: false, message: err.message };
    throw err;
  }
  let raw: RawCollection | undefined;
  if (options.tenantFile) {
    let tenant;
    try {
      tenant = await loadTenantFile(options.tenantFile);
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
    const emulator = await startEmulator({ tenant });
    try {
      raw = await collectTenant({ ...scanConfigForEmulator(emulator), onProgress: hooks.onProgress });
    } finally {
      await emulator.close();
    }
  } else if (options.azure) {
    let target;
    try {
      target = await connectionFromEnv(azureCliEnv(process.env), {});
    } catch (err) {
      if (err instanceof ConfigurationError) return { ok: false, message: err.message };
      throw err;
    }
    const subscriptions = options.subscriptions ?? target.config.subscriptions;
    raw = await collectTenant({ ...target.config, ...(subscriptions ? { subscriptions } : {}), onProgress: hooks.onProgress });
  }
  const rules = { only: options.only, skip: options.skip };
  if (terraform) {
    const { inventory, findings } = evaluateTerraformPlan({ plan: terraform.plan, live: raw, locate: terraform.sources && locateIn(terraform.sources), rules });
    // SARIF locations are relative to where the scan runs (the repository root in CI).
    const iacRoot = options.terraformDir ? relative(process.cwd(), resolve(options.terraformDir)).split(sep).join("/") : undefined;
    return { ok: true, inventory, findings, ...decide(findings), iacRoot };
  }
  const inventory = buildInventory(raw!);
  const findings = evaluateRules(inventory, rules);
  return { ok: true, inventory, findings, ...decide(findings) };
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
