/**
 * `npm run --silent fix -- --tenant FILE --finding ID [--plan PLAN_ID] --format az|terraform|bicep|yaml`
 *
 * Scans FILE the way `scan` does (an in-process emulator behind the real SDK readers), then
 * prints one fix plan of one finding in the chosen format, with real ids. Exit status: 0 on
 * success, 2 for bad usage, an unreadable tenant, an unknown finding or plan, or a format
 * that has nothing to show for the plan.
 */
import { parseArgs } from "node:util";
import type { Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { applicableFormats, isApplicable, notApplicableMessage, RENDER_FORMATS, renderContextFor, renderPlan, type RenderFormat } from "@/lib/remediation/render";
import { runScanCommand } from "./scan-command";

const USAGE = `usage:
  npm run --silent fix -- --tenant FILE --finding ID [--plan PLAN_ID] --format az|terraform|bicep|yaml
Finding ids are listed by: npm run --silent scan -- --tenant FILE --format json`;

export class FixUsageError extends Error {}

export interface FixOptions {
  tenantFile: string;
  findingId: string;
  planId?: string;
  format: RenderFormat;
}

export function parseFixArgs(argv: string[]): FixOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tenant: { type: "string" },
        finding: { type: "string" },
        plan: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new FixUsageError((err as Error).message);
  }
  if (values.help) throw new FixUsageError("");
  if (!values.tenant) throw new FixUsageError("--tenant FILE is required");
  if (!values.finding) throw new FixUsageError("--finding ID is required");
  if (!values.format) throw new FixUsageError(`--format is required: ${RENDER_FORMATS.join(", ")}`);
  if (!RENDER_FORMATS.includes(values.format as RenderFormat)) {
    throw new FixUsageError(`--format must be one of ${RENDER_FORMATS.join(", ")}, got "${values.format}"`);
  }
  return { tenantFile: values.tenant, findingId: values.finding, planId: values.plan, format: values.format as RenderFormat };
}

export type FixSelection = { ok: true; finding: Finding; plan: FixPlan } | { ok: false; message: string };

/** Picks the finding and plan the options name, or says what exists instead. */
export function selectFix(findings: Finding[], options: Pick<FixOptions, "findingId" | "planId" | "tenantFile">): FixSelection {
  const finding = findings.find((f) => f.id === options.findingId);
  if (!finding) {
    return {
      ok: false,
      message:
        `no finding "${options.findingId}" in ${options.tenantFile} (${findings.length} finding(s) found). ` +
        `List finding ids with: npm run --silent scan -- --tenant ${options.tenantFile} --format json`,
    };
  }
  if (finding.fixes.length === 0) return { ok: false, message: `finding "${finding.id}" (${finding.ruleId}) has no fix plan` };
  if (options.planId === undefined) return { ok: true, finding, plan: finding.fixes[0]! };
  const plan = finding.fixes.find((p) => p.id === options.planId);
  if (!plan) {
    return {
      ok: false,
      message: `finding "${finding.id}" has no plan "${options.planId}"; its plans: ${finding.fixes.map((p) => `${p.id} (${p.summary})`).join("; ")}`,
    };
  }
  return { ok: true, finding, plan };
}

export type FixRenderResult = { ok: true; text: string } | { ok: false; message: string };

export function renderFix(inventory: Inventory, findings: Finding[], options: FixOptions): FixRenderResult {
  const selected = selectFix(findings, options);
  if (!selected.ok) return selected;
  const { plan } = selected;
  if (!isApplicable(plan, options.format)) {
    const formats = applicableFormats(plan);
    return { ok: false, message: notApplicableMessage(plan, options.format) + (formats.length > 0 ? ` Try --format ${formats[0]}.` : "") };
  }
  return { ok: true, text: renderPlan(plan, options.format, renderContextFor(inventory, plan)) };
}

async function main(): Promise<void> {
  let options: FixOptions;
  try {
    options = parseFixArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof FixUsageError) {
      if (err.message) console.error(`fix: ${err.message}`);
      console.error(USAGE);
      process.exit(2);
    }
    throw err;
  }
  const scan = await runScanCommand({ tenantFile: options.tenantFile, azure: false, format: "json" });
  if (!scan.ok) {
    console.error(`fix: ${scan.message}`);
    process.exit(2);
  }
  const result = renderFix(scan.inventory, scan.findings, options);
  if (!result.ok) {
    console.error(`fix: ${result.message}`);
    process.exit(2);
  }
  process.stdout.write(result.text);
}

if (require.main === module) {
  void main().catch((err: unknown) => {
    console.error(`fix: ${(err as Error).stack ?? String(err)}`);
    process.exit(2);
  });
}
