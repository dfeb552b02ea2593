import { generateAdversarialTenant } from "./generators/adversarial";
import { checkGenerateOptions, TenantShape, type GeneratedTenant, type GenerateOptions } from "./generators/options";
import { generateStandardTenant } from "./generators/standard";

/**
 * Generates large tenants (docs/tenant-format.md v1) for the scale benchmark and scan tests,
 * in one of two shapes:
 * - `standard`: landing zones with clusters whose apps each have one identity and one
 *   least-privilege grant; a known small share is over-broad.
 * - `adversarial`: thousands of user-assigned identities each holding many assignments at
 *   mixed scopes, most of them findings; a deep management-group tree; clusters with
 *   thousands of pods sharing a few service accounts; wildcard custom roles.
 * Deterministic: the same options give the same bytes.
 */

export * from "./generators/options";

export function generateTenant(options: GenerateOptions): GeneratedTenant {
  const problems = checkGenerateOptions(options);
  if (problems.length) throw new Error(`generateTenant: ${problems.join("; ")}`);
  return options.shape === TenantShape.Adversarial ? generateAdversarialTenant(options) : generateStandardTenant(options);
}
