import type { Finding, FixPlan, FixStep } from "@/lib/model/findings";
import { roleDefinitionGuid } from "@/lib/model/scope";
import { parseResourceAddress } from "./address";
import type { HclAttribute, HclFile } from "./hcl";
import { hclComment, hclString } from "./hcl-quote";
import type { SourceBlock, TerraformSources } from "./hcl-sources";
import { IacInputError } from "./input-error";
import { unifiedDiff } from "./unified-diff";

/** A fix written as a change to the Terraform source: a unified diff for `git apply` / `patch -p1`. */
export interface CodeFix {
  file: string;
  diff: string;
  /** What the change does, for people. */
  summary: string;
}

/** The finding's fix cannot be written as a change to this block; the reason says why. */
export class CodeFixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodeFixError";
  }
}

type Create = Extract<FixStep, { kind: "create-role-assignment" }>;

/**
 * The fix plan of a finding on a Terraform-managed grant as a patch to its block: a narrower
 * `scope` and/or role in place; for per-resource grants, the block repeated with `for_each`
 * over the new scopes (the old instance address no longer exists, so the next apply destroys
 * the wide grant after creating the narrow ones in the same run); for a plain removal, the
 * block deleted. Every value written is an HCL string literal (hclString).
 */
export function planCodeFix(finding: Finding, plan: FixPlan, sources: TerraformSources): CodeFix {
  const { block, file } = blockOf(finding, sources);
  const creates = plan.steps.filter((s): s is Create => s.kind === "create-role-assignment");
  const other = plan.steps.filter((s) => s.kind !== "create-role-assignment" && s.kind !== "delete-role-assignment");
  if (other.length > 0) throw new CodeFixError(`fix "${plan.summary}" has ${other.map((s) => s.kind).join(", ")} steps, which are not changes to a role assignment block`);
  const attr = (name: string) => block.block.attributes.find((a) => a.name === name);
  const repeats = attr("for_each") ?? attr("count");
  const key = parseResourceAddress(finding.iac!.address)?.key;
  if (repeats && creates.length !== 1) throw new CodeFixError(`${block.address} repeats with ${repeats.name}; change the instance ${key ?? ""} in its ${repeats.name} collection instead`);
  const text = file.text;
  const comment = hclComment(`Scopewise ${finding.ruleId}: ${plan.summary}`);

  if (creates.length === 0) {
    const lineStart = text.lastIndexOf("\n", block.block.start - 1) + 1;
    const end = text.startsWith("\n", block.block.end) ? block.block.end + 1 : block.block.end;
    return done(file, text.slice(0, lineStart) + text.slice(end), `remove ${block.address}`);
  }
  if (creates.some((c) => c.principalId.toLowerCase() !== (finding.principalId ?? c.principalId).toLowerCase())) {
    throw new CodeFixError(`fix "${plan.summary}" grants another principal; write it as a new block`);
  }
  const edits: Edit[] = [];
  const scope = attr("scope");
  if (!scope) throw new CodeFixError(`${block.address} has no scope argument`);
  const first = creates[0]!;
  const roleChanged = roleDefinitionGuid(first.roleDefinitionId) !== roleDefinitionGuid(finding.roleDefinitionId ?? first.roleDefinitionId);
  if (creates.some((c) => roleDefinitionGuid(c.roleDefinitionId) !== roleDefinitionGuid(first.roleDefinitionId))) {
    throw new CodeFixError(`fix "${plan.summary}" creates grants of different roles; one block holds one role`);
  }
  if (roleChanged) {
    const byName = attr("role_definition_name");
    const byId = attr("role_definition_id");
    if (byName) edits.push(replaceValue(byName, hclString(first.roleName)));
    else if (byId) edits.push(replaceValue(byId, hclString(first.roleDefinitionId)));
    else throw new CodeFixError(`${block.address} sets neither role_definition_name nor role_definition_id`);
  }
  if (creates.length === 1) {
    edits.push(replaceValue(scope, hclString(first.scope)));
  } else {
    edits.push(replaceValue(scope, "each.value"));
    const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf("\n", scope.start - 1) + 1))![0];
    const list = creates.map((c) => `${indent}  ${hclString(c.scope)},\n`).join("");
    const at = text.indexOf("\n", text.indexOf("{", block.block.start)) + 1;
    edits.push({ start: at, end: at, text: `${indent}# One grant per resource; the wide grant this block made is destroyed by the same apply.\n${indent}for_each = toset([\n${list}${indent}])\n\n` });
  }
  const lineStart = text.lastIndexOf("\n", block.block.start - 1) + 1;
  edits.push({ start: lineStart, end: lineStart, text: `# ${comment}\n` });
  return done(file, applyEdits(text, edits), creates.length === 1 ? `narrow ${block.address} in place` : `repeat ${block.address} per resource (${creates.length} scopes)`);
}

/**
 * Brings a live grant that no state holds under the configuration: an `import` block (Terraform
 * ≥ 1.5) and the resource block it imports into, appended to `targetFile`. `principal` is an
 * HCL expression when the identity is managed (`azurerm_user_assigned_identity.api.principal_id`),
 * else undefined to write the principal id as a literal.
 */
export function planImportGrant(
  grant: { id: string; scope: string; roleDefinitionId: string; principalId: string },
  name: string,
  targetFile: string,
  sources: TerraformSources,
  principal?: string,
): CodeFix {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new CodeFixError(`"${name}" is not a Terraform resource name`);
  if (principal !== undefined && !/^[A-Za-z0-9_.[\]"-]+$/.test(principal)) throw new CodeFixError(`"${principal}" is not a reference expression`);
  const file = sources.files.find((f) => f.file === targetFile);
  const text = file?.text ?? "";
  const sep = text === "" || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  const added =
    `${sep}import {\n  to = azurerm_role_assignment.${name}\n  id = ${hclString(grant.id)}\n}\n\n` +
    `resource "azurerm_role_assignment" "${name}" {\n  scope              = ${hclString(grant.scope)}\n  role_definition_id = ${hclString(grant.roleDefinitionId)}\n  principal_id       = ${principal ?? hclString(grant.principalId)}\n}\n`;
  return { file: targetFile, diff: unifiedDiff(targetFile, text, text + added), summary: `import ${grant.id} as azurerm_role_assignment.${name}` };
}

/**
 * For a grant the state holds but Azure no longer has, when it should stay gone: the block is
 * removed and a `removed` block (Terraform ≥ 1.7) makes Terraform forget it rather than try to
 * destroy an object that does not exist.
 */
export function planForgetGrant(finding: Finding, sources: TerraformSources): CodeFix {
  const { block, file } = blockOf(finding, sources);
  const text = file.text;
  const lineStart = text.lastIndexOf("\n", block.block.start - 1) + 1;
  const end = text.startsWith("\n", block.block.end) ? block.block.end + 1 : block.block.end;
  const local = block.address.replace(/^(module\.[^.]+\.)+/, "");
  const removed = `removed {\n  from = ${local}\n\n  lifecycle {\n    destroy = false\n  }\n}\n`;
  return done(file, text.slice(0, lineStart) + removed + text.slice(end), `forget ${block.address} (gone in Azure)`);
}

function blockOf(finding: Finding, sources: TerraformSources): { block: SourceBlock; file: HclFile } {
  if (!finding.iac) throw new CodeFixError(`finding ${finding.id} is not about a Terraform-managed object`);
  const parsed = parseResourceAddress(finding.iac.address);
  const key = parsed ? [parsed.module.replace(/\[[^\]]*\]/g, ""), parsed.resource].filter(Boolean).join(".") : finding.iac.address;
  const block = sources.blocks.get(key);
  if (!block) throw new CodeFixError(`no block for ${finding.iac.address} in the Terraform sources read`);
  const file = sources.files.find((f) => f.file === block.file);
  if (!file) throw new IacInputError(block.file, "was located but not read");
  return { block, file };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function replaceValue(a: HclAttribute, value: string): Edit {
  return { start: a.valueStart, end: a.valueEnd, text: value };
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function done(file: HclFile, after: string, summary: string): CodeFix {
  return { file: file.file, diff: unifiedDiff(file.file, file.text, after), summary };
}
