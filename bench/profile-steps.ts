/**
 * Time and memory of the in-memory steps on one generated tenant, without the emulator:
 * `npx tsx bench/profile-steps.ts [--size large] [--shape adversarial]`. Run it under
 * `node --cpu-prof --import tsx` to profile the rules, graph and view-model builders.
 */
import { parseArgs } from "node:util";
import { buildIdentityRows } from "@/components/identities/rows";
import { buildFindingRows } from "@/components/findings/rows";
import { listFindingPage, parseFindingQuery } from "@/components/findings/query";
import { buildGraph } from "@/lib/graph/build";
import { buildInventory } from "@/lib/inventory/build";
import { evaluateRules } from "@/lib/rules/evaluate";
import { generateTenant, tenantSizes, type TenantShape, type TenantSize } from "@/lib/tenant/generate";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";

const { values } = parseArgs({ options: { size: { type: "string", default: "large" }, shape: { type: "string", default: "adversarial" }, seed: { type: "string", default: "7" } } });
const shape = values.shape as TenantShape;
const size = values.size as TenantSize;

const mb = (n: number) => Math.round(n / 1048576);
function step<T>(name: string, fn: () => T): T {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const m = process.memoryUsage();
  // CPU time (all threads, the garbage collector's helpers too) is steadier than wall time on a shared machine.
  process.stdout.write(`${name.padEnd(16)} ${String(Math.round(ms)).padStart(6)} ms  cpu ${String(Math.round((used.user + used.system) / 1000)).padStart(6)} ms  heap ${mb(m.heapUsed)} MB  rss ${mb(m.rss)} MB\n`);
  return value;
}

const { tenant } = step("generate", () => generateTenant({ shape, ...tenantSizes[shape][size], seed: Number(values.seed) }));
const raw = step("raw", () => rawFromTenant(tenant));
const inventory = step("inventory", () => buildInventory(raw));
const findings = step("rules", () => evaluateRules(inventory));
step("graph", () => buildGraph(inventory, findings));
step("identity rows", () => buildIdentityRows(inventory));
const rows = step("finding rows", () => buildFindingRows(inventory, findings));
step("finding page", () => listFindingPage(rows, parseFindingQuery({}).data));
process.stdout.write(`findings ${findings.length} · peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB\n`);
