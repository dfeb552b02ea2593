import { parseArgs } from "node:util";
import { checkGenerateOptions, generateTenant } from "@/lib/tenant/generate";

/**
 * npm run --silent gen-tenant -- --subscriptions N --assignments N --clusters N --pods N --seed S > tenant.json
 * Writes a generated tenant file (TENANT-FORMAT.md v1) to stdout and a summary to stderr.
 */
function main(): number {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        subscriptions: { type: "string", default: "20" },
        assignments: { type: "string", default: "2000" },
        clusters: { type: "string", default: "5" },
        pods: { type: "string", default: "1000" },
        seed: { type: "string", default: "1" },
        "over-broad-share": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`gen-tenant: ${(error as Error).message}\n`);
    return 2;
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN);
  const options = {
    subscriptions: num(values.subscriptions),
    assignments: num(values.assignments),
    clusters: num(values.clusters),
    pods: num(values.pods),
    seed: num(values.seed),
    overBroadShare: num(values["over-broad-share"]),
  };
  const problems = checkGenerateOptions(options);
  if (problems.length) {
    process.stderr.write(`gen-tenant: ${problems.join("\n")}\n`);
    return 2;
  }
  const { tenant, summary } = generateTenant(options as Parameters<typeof generateTenant>[0]);
  process.stdout.write(JSON.stringify(tenant));
  process.stdout.write("\n");
  process.stderr.write(`gen-tenant: ${JSON.stringify(summary)}\n`);
  return 0;
}

process.exitCode = main();
