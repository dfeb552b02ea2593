import { CodeFixError, planCodeFix } from "@/lib/iac/code-fix";
import type { TerraformSources } from "@/lib/iac/hcl-sources";
import { IacInputError } from "@/lib/iac/input-error";
import type { Finding, FixPlan, IacOrigin } from "@/lib/model/findings";

/**
 * The fix of a finding on a Terraform-managed grant, as the wizard shows it: the patch to the
 * block when one can be written, else why not. Either way an apply through the API would be
 * undone by the next `terraform apply`, so the wizard says to apply the change in the pipeline.
 */
export type CodeFixView = { origin: IacOrigin } & ({ file: string; diff: string; summary: string } | { error: string });

/** Undefined when no Terraform state holds what the finding is about (`finding.iac` unset). */
export function buildCodeFixView(finding: Finding, plan: FixPlan, sources: TerraformSources | undefined): CodeFixView | undefined {
  if (!finding.iac) return undefined;
  const origin = finding.iac;
  if (!sources) return { origin, error: "the Terraform sources are not configured (SCOPEWISE_TERRAFORM_DIR), so the block cannot be patched; change it by hand" };
  try {
    const fix = planCodeFix(finding, plan, sources);
    return { origin, file: fix.file, diff: fix.diff, summary: fix.summary };
  } catch (err) {
    if (err instanceof CodeFixError || err instanceof IacInputError) return { origin, error: err.message };
    throw err;
  }
}

/** The patch's download name: `scopewise-<rule>-<plan>.patch`. */
export function patchFileName(finding: Pick<Finding, "ruleId">, plan: Pick<FixPlan, "id">): string {
  return `scopewise-${finding.ruleId}-${plan.id}.patch`.replace(/[^A-Za-z0-9._-]/g, "_");
}
