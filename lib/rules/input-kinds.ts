import { Severity } from "@/lib/model/findings";
import type { RuleMeta } from "./define";
import { rules } from "./registry";

/**
 * Finding kinds whose input is not the Inventory, so they have no rule folder and are not run
 * by evaluateRules: their producers live where their input is read (lib/iac for Terraform
 * state) and emit findings with these ids. Listed here so that everything that names rule ids
 * — SARIF's rule list, docs/rules.md, the findings filter — knows them; `input` says what a
 * scan needs for them to appear.
 */
export interface InputFindingKind extends RuleMeta {
  input: string;
}

export const inputFindingKinds: readonly InputFindingKind[] = [
  {
    id: "terraform-drift",
    title: "Live grant differs from Terraform state",
    severity: Severity.Medium,
    input: "Terraform state JSON, configured for the dashboard with `SCOPEWISE_TERRAFORM_STATES`",
    description:
      "Compares the role assignments, user-assigned identities and federated credentials a Terraform state holds with the live ones: changed in Azure (role, scope, principal, condition, issuer, subject), gone from Azure, or granted outside Terraform to an identity the code manages.",
    rationale:
      "A grant changed by hand is set back by the next `terraform apply`; one removed by hand is re-created; one added by hand to a code-managed identity is invisible to code review. Each means the code no longer describes what an identity may do.",
    remediation:
      "Bring the code and Azure together: change the Terraform block (or apply it again to restore the grant), import a hand-made grant with an `import` block, or forget one that should stay gone with a `removed` block.",
    references: [
      { title: "Terraform: detecting and managing drift", url: "https://developer.hashicorp.com/terraform/tutorials/state/resource-drift" },
      { title: "Terraform: import block", url: "https://developer.hashicorp.com/terraform/language/import" },
      { title: "azurerm_role_assignment", url: "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/role_assignment" },
    ],
  },
];

/** The metadata of every finding kind: the rules, then the kinds from other inputs. */
export const findingKinds: readonly RuleMeta[] = [...rules.map((r) => r.meta), ...inputFindingKinds];
