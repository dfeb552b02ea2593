/** Test helpers for the "cluster" rule group: tenant fragment → inventory → findings of one rule. */
import { buildInventory } from "@/lib/inventory/build";
import type { Finding, FixStep } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import type { RawCollection } from "@/lib/model/wire";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import type { TenantFile } from "@/lib/tenant/types";
import { clusterRules } from "./registry.cluster";
import { evaluateRules } from "./evaluate";

export function buildTenant(t: TenantFile, mutate?: (raw: RawCollection) => void): Inventory {
  const raw = rawFromTenant(t);
  mutate?.(raw);
  return buildInventory(raw, { scannedAt: "2026-01-01T00:00:00.000Z" });
}

export function run(ruleId: string, t: TenantFile | Inventory): Finding[] {
  const inv = "version" in t ? buildTenant(t) : t;
  return evaluateRules(inv, { only: [ruleId], rules: clusterRules });
}

export function stepsOf<K extends FixStep["kind"]>(f: Finding, kind: K): Extract<FixStep, { kind: K }>[] {
  return f.fixes.flatMap((p) => p.steps).filter((s): s is Extract<FixStep, { kind: K }> => s.kind === kind);
}

/** Every fix step names real ids: no angle-bracket placeholders, no empty ids. */
export function expectNoPlaceholders(f: Finding): void {
  const text = JSON.stringify(f.fixes);
  if (/<[a-z_-]+>|\$\{|"principalId":""|"scope":""|undefined/i.test(text)) throw new Error(`placeholder in fixes of ${f.id}: ${text}`);
}
