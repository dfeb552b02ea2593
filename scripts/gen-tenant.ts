import { parseArgs } from "node:util";
import { checkGenerateOptions, generateTenant, tenantShapes, tenantSizeNames, tenantSizes, type GenerateOptions, type TenantShape, type TenantSize } from "@/lib/tenant/generate";

/**
 * npm run --silent gen-tenant -- [--shape standard|adversarial] [--size small|medium|large]
 *   [--subscriptions N] [--assignments N] [--clusters N] [--pods N] [--identities N] [--seed S] > tenant.json
 * Writes a generated tenant file (docs/tenant-format.md v1) to stdout and a summary to stderr.
 * `--size` picks the benchmark's counts for the shape (small by default); the count flags override them.
 */
function main(): number {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        shape: { type: "string", default: "standard" },
        size: { type: "string", default: "small" },
        subscriptions: { type: "string" },
        assignments: { type: "string" },
        clusters: { type: "string" },
        pods: { type: "string" },
        identities: { type: "string" },
        seed: { type: "string", default: "1" },
        "over-broad-share": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`gen-tenant: ${(error as Error).message}\n`);
    return 2;
  }
  const shape = values.shape as TenantShape;
  if (!tenantShapes.includes(shape)) return usage(`--shape must be one of ${tenantShapes.join(", ")}, got ${values.shape}`);
  const size = values.size as TenantSize;
  if (!tenantSizeNames.includes(size)) return usage(`--size must be one of ${tenantSizeNames.join(", ")}, got ${values.size}`);
  const num = (v: string | undefined) => (v === undefined ? undefined : /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN);
  const preset = tenantSizes[shape][size];
  const options = {
    shape,
    subscriptions: num(values.subscriptions) ?? preset.subscriptions,
    assignments: num(values.assignments) ?? preset.assignments,
    clusters: num(values.clusters) ?? preset.clusters,
    pods: num(values.pods) ?? preset.pods,
    identities: num(values.identities) ?? preset.identities,
    seed: num(values.seed),
    overBroadShare: num(values["over-broad-share"]),
  };
  const problems = checkGenerateOptions(options);
  if (problems.length) return usage(problems.join("\n"));
  const { tenant, summary } = generateTenant(options as GenerateOptions);
  process.stdout.write(JSON.stringify(tenant));
  process.stdout.write("\n");
  process.stderr.write(`gen-tenant: ${JSON.stringify({ shape, ...summary })}\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`gen-tenant: ${message}\n`);
  return 2;
}

process.exitCode = main();
