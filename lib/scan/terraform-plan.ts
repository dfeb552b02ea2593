import { annotateFindings, type Locate } from "@/lib/iac/finding-origin";
import { collectPlan } from "@/lib/iac/plan-collection";
import type { TerraformPlan } from "@/lib/iac/terraform-json";
import { TerraformModel } from "@/lib/iac/terraform-model";
import { buildInventory } from "@/lib/inventory/build";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import type { RawCollection } from "@/lib/model/wire";
import { evaluateRules, type EvaluateOptions } from "@/lib/rules/evaluate";

export interface PlanCheckInput {
  plan: TerraformPlan;
  /** A live scan's collection to judge the plan against; without it the plan is judged alone. */
  live?: RawCollection;
  /** Block locations from the HCL (`locateIn(readTerraformDir(...))`), for file and line. */
  locate?: Locate;
  rules?: Pick<EvaluateOptions, "only" | "skip">;
  scannedAt?: string;
}

/**
 * The plan check: the planned azurerm objects (alone, or laid over a live scan) built into an
 * Inventory and judged by the same rules and role profiles as a live scan. Findings about
 * planned objects carry `iac` (address, and file/line when the HCL was read).
 */
export function evaluateTerraformPlan(input: PlanCheckInput): { inventory: Inventory; findings: Finding[] } {
  const { raw, origins } = collectPlan(new TerraformModel(input.plan), input.live);
  const inventory = buildInventory(raw, { scannedAt: input.scannedAt });
  const findings = annotateFindings(evaluateRules(inventory, input.rules), origins, input.locate);
  return { inventory, findings };
}
