/**
 * `npm run --silent scan -- --tenant FILE [--format json|table] [--fail-on SEVERITY]`
 * `npm run --silent scan -- --azure [--subscription ID ...] [--format ...]`
 * `npm run --silent scan -- --terraform-plan PLAN.json [--terraform-dir DIR] [--tenant FILE | --azure]`
 *
 * With --tenant, an in-process emulator serves FILE over HTTPS and the scan goes through
 * the same SDK readers the dashboard uses against Azure. Exit status: 0 when no finding
 * reaches --fail-on, 1 when one does, 2 for bad usage or an unreadable tenant.
 */
import { parseArgs } from "node:util";
import { buildScanOutput, renderTableReport, type ScanOutput } from "./output";
import { renderSarif } from "./sarif";
import { selectRules } from "@/lib/rules/evaluate";
import { rules } from "@/lib/rules/registry";
import { version as packageVersion } from "@/package.json";
import { progressBar, shouldShowProgress } from "./progress-bar";
import { runScanCommand, type ScanCommandOptions } from "./scan-command";
import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";

const USAGE = `usage:
  npm run --silent scan -- --tenant FILE [options]
  npm run --silent scan -- --azure [--subscription ID]... [options]   (reads SCOPEWISE_* azure settings and DefaultAzureCredential)
  npm run --silent scan -- --terraform-plan PLAN.json [--terraform-dir DIR] [--tenant FILE | --azure] [options]
options:
  --terraform-plan FILE         judge a plan (terraform show -json PLANFILE), alone or over the live scan
  --terraform-dir DIR           the plan's root module: findings get the file and line of their block
  --format json|table|sarif     output format (default json)
  --fail-on critical|high|medium|low
                                exit 1 when an open finding reaches this severity
  --fail-on-accepted            --fail-on counts findings the exceptions file accepts too
  --exceptions FILE             decisions file (default: scopewise.exceptions.yaml here, when present)
  --rules ID,ID                 only these rules
  --skip-rules ID,ID            not these rules`;

export class UsageError extends Error {}

export function parseScanArgs(argv: string[]): ScanCommandOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tenant: { type: "string" },
        azure: { type: "boolean", default: false },
        subscription: { type: "string", multiple: true },
        "terraform-plan": { type: "string" },
        "terraform-dir": { type: "string" },
        format: { type: "string", default: "json" },
        "fail-on": { type: "string" },
        rules: { type: "string" },
        "skip-rules": { type: "string" },
        exceptions: { type: "string" },
        "fail-on-accepted": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError("");
  if (!values.tenant && !values.azure && !values["terraform-plan"]) throw new UsageError("one of --tenant FILE, --azure or --terraform-plan FILE is required");
  if (values["terraform-dir"] && !values["terraform-plan"]) throw new UsageError("--terraform-dir only applies with --terraform-plan");
  if (values.tenant && values.azure) throw new UsageError("--tenant and --azure cannot be used together");
  if (values.subscription && !values.azure) throw new UsageError("--subscription only applies with --azure");
  const format = values.format;
  if (format !== "json" && format !== "table" && format !== "sarif") {
    throw new UsageError(`--format must be json, table or sarif, got "${format}"`);
  }
  const failOn = values["fail-on"];
  if (failOn !== undefined && !SEVERITY_ORDER.includes(failOn as Severity)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITY_ORDER.join(", ")}, got "${failOn}"`);
  }
  if (values["fail-on-accepted"] && failOn === undefined) throw new UsageError("--fail-on-accepted only applies with --fail-on");
  if (values.exceptions !== undefined && !values.exceptions.trim()) throw new UsageError("--exceptions needs a file");
  return {
    tenantFile: values.tenant,
    azure: values.azure,
    subscriptions: values.subscription,
    terraformPlan: values["terraform-plan"],
    terraformDir: values["terraform-dir"],
    format,
    failOn: failOn as Severity | undefined,
    only: splitIds(values.rules, "--rules"),
    skip: splitIds(values["skip-rules"], "--skip-rules"),
    exceptionsFile: values.exceptions,
    failOnAccepted: values["fail-on-accepted"],
  };
}

function splitIds(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError(`${flag} needs at least one rule id`);
  const known = new Set(rules.map((r) => r.meta.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`${flag}: unknown rule id(s) ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  return ids;
}

export function renderOutput(output: ScanOutput, options: Pick<ScanCommandOptions, "format" | "only" | "skip"> & { iacRoot?: string }): string {
  if (options.format === "table") return renderTableReport(output);
  if (options.format === "sarif") {
    const ran = selectRules({ only: options.only, skip: options.skip }).map((r) => r.meta);
    return JSON.stringify(renderSarif(output, ran, packageVersion, { iacRoot: options.iacRoot }), null, 2) + "\n";
  }
  return JSON.stringify(output, null, 2) + "\n";
}

async function main(): Promise<void> {
  let options: ScanCommandOptions;
  try {
    options = parseScanArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(`scan: ${err.message}`);
      console.error(USAGE);
      process.exit(2);
    }
    throw err;
  }
  const bar = shouldShowProgress({ stderrIsTTY: Boolean(process.stderr.isTTY), stdoutIsTTY: Boolean(process.stdout.isTTY), format: options.format }) ? progressBar(process.stderr) : undefined;
  let result;
  try {
    result = await runScanCommand(options, { onProgress: bar?.onProgress });
  } finally {
    bar?.done();
  }
  if (!result.ok) {
    console.error(`scan: ${result.message}`);
    process.exit(2);
  }
  if (result.exceptionsFile) console.error(`scan: ${result.triage.size} finding(s) covered by ${result.exceptionsFile}`);
  const output = buildScanOutput(result.inventory, result.findings, result.triage);
  process.stdout.write(renderOutput(output, { ...options, iacRoot: result.iacRoot }));
  process.exitCode = result.exitCode;
}

if (require.main === module) {
  void main().catch((err: unknown) => {
    console.error(`scan: ${(err as Error).stack ?? String(err)}`);
    process.exit(2);
  });
}
