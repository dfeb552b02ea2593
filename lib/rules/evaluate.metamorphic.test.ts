import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { generateTenant, tenantSizes, TenantShape, type TenantSize } from "@/lib/tenant/generate";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { evaluateRules } from "./evaluate";

/** JSON with object keys sorted at every depth, so the hash is about values, not key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function findingsDigest(shape: TenantShape, size: TenantSize) {
  const { tenant } = generateTenant({ shape, ...tenantSizes[shape][size], seed: 7 });
  const findings = evaluateRules(buildInventory(rawFromTenant(tenant)));
  return { count: findings.length, sha256: createHash("sha256").update(canonical(findings)).digest("hex") };
}

/**
 * The rule engine's data structures and algorithms may change for speed; what it finds may not.
 * These digests were taken from the evaluation before it was optimised (ids, severities and their
 * reasons, messages, evidence and fix plans of every finding, in evaluation order). A rule whose
 * meaning changes on purpose updates them: `npx vitest run lib/rules/evaluate.metamorphic.test.ts`
 * prints the new digest in the failure. The adversarial digest was taken again when conditions
 * entered the evidence (condition-aware rules), from the unoptimised evaluation of that version:
 * the optimised one gives the same.
 */
describe("evaluation is unchanged by optimisation (generated tenants)", () => {
  it("gives the same findings on the small adversarial tenant", () => {
    expect(findingsDigest(TenantShape.Adversarial, "small")).toEqual({ count: 1784, sha256: "2a8726401d7c3d555c3628d089f7a0e36784911b63925bd10683295ce4c32c28" });
  });

  it("gives the same findings on the medium standard tenant", () => {
    expect(findingsDigest(TenantShape.Standard, "medium")).toEqual({ count: 16, sha256: "f7388c3870b5390cd3201f53e8696266b651be9bc7b72ece3b6f96e44db6833b" });
  }, 60_000);
});
