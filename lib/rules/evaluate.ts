import type { InventoryIndex } from "@/lib/inventory/indexes";
import { getIndex } from "@/lib/inventory/names";
import { severityRank, type Finding, type FixPlan } from "@/lib/model/findings";
import { roleDefinitionGuid } from "@/lib/model/scope";
import { ScopeLevel, type Inventory } from "@/lib/model/types";
import { createRuleContext, type RuleContext } from "@/lib/rules/rule-context";
import type { FindingDraft, Rule } from "./define";
import { findingId } from "@/lib/model/finding-id";
import { rules as allRules } from "./registry";
import { adjustSeverity } from "./severity";

/** `String#localeCompare`'s order, with one collator instead of one per comparison. */
const byLocale = new Intl.Collator();

export interface EvaluateOptions {
  /** Only these rule ids. */
  only?: readonly string[];
  /** Not these rule ids. */
  skip?: readonly string[];
  rules?: readonly Rule[];
  index?: InventoryIndex;
}

export class UnknownRuleError extends Error {
  constructor(readonly ids: string[]) {
    super(`unknown rule id(s): ${ids.join(", ")}`);
    this.name = "UnknownRuleError";
  }
}

export function selectRules(options: EvaluateOptions = {}): Rule[] {
  const rules = [...(options.rules ?? allRules)];
  const known = new Set(rules.map((r) => r.meta.id));
  const unknown = [...(options.only ?? []), ...(options.skip ?? [])].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UnknownRuleError(unknown);
  return rules.filter((r) => (!options.only || options.only.includes(r.meta.id)) && !options.skip?.includes(r.meta.id));
}

export function toFinding(rule: Rule, draft: FindingDraft, ctx: RuleContext): Finding {
  const { meta } = rule;
  const identity = draft.identity;
  const assignment = draft.assignment;
  const scope = draft.scope ?? assignment?.scope;
  const base = draft.baseSeverity ?? meta.severity;
  const decision =
    draft.adjustSeverity === false
      ? { severity: base }
      : adjustSeverity(base, {
          identity,
          reach: identity ? ctx.reachOf(identity) : undefined,
          scopeIsSingleResource: !!assignment && assignment.scopeLevel === ScopeLevel.Resource,
        });
  const role = assignment ? ctx.roleOf(assignment) : undefined;
  const id = findingId(meta.id, draft.key);
  const finding: Finding = {
    id,
    ruleId: meta.id,
    severity: decision.severity,
    baseSeverity: base,
    title: meta.title,
    message: draft.message,
    evidence: draft.evidence,
    fixes: typeof draft.fixes === "function" ? [] : draft.fixes,
  };
  if (typeof draft.fixes === "function") plansOnRead(finding, draft.fixes);
  if ("reason" in decision && decision.reason) finding.severityReason = decision.reason;
  if (identity) {
    finding.principalId = identity.principalId;
    finding.identityKey = identity.key;
    finding.identityKind = identity.kind;
    finding.identityName = identity.displayName;
  }
  const clusterId = draft.clusterId ?? identity?.clusterIds[0];
  if (clusterId) finding.clusterId = clusterId;
  if (assignment) {
    finding.roleAssignmentId = assignment.id;
    finding.roleDefinitionId = role?.id ?? `/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionGuid(assignment.roleDefinitionId)}`;
    finding.roleName = role?.roleName ?? assignment.roleName;
    if (!finding.principalId) finding.principalId = assignment.principalId;
  }
  if (scope) finding.scope = scope;
  if (draft.targetIds?.length) finding.targetIds = draft.targetIds;
  flattenText(finding);
  return finding;
}

/**
 * `finding.fixes` built by `build` on every read, in the property's place (JSON keeps its key
 * order). Assigning a value keeps that value instead.
 */
function plansOnRead(finding: Finding, build: () => FixPlan[]): void {
  Object.defineProperty(finding, "fixes", {
    enumerable: true,
    configurable: true,
    get: build,
    set(value: FixPlan[]) {
      Object.defineProperty(this, "fixes", { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/**
 * Messages, facts and summaries are built from template pieces, which V8 keeps as a tree of
 * concatenations (a "cons string") until something reads the characters; reading one
 * character flattens it into one sequential string and the garbage collector drops the tree.
 * A scan keeps tens of thousands of findings alive, and the trees were about half their memory.
 */
function flattenText(finding: Finding): void {
  finding.message.charCodeAt(0);
  for (const e of finding.evidence) e.fact.charCodeAt(0);
  // Plans built on read are garbage once read: nothing to flatten.
  if (Object.getOwnPropertyDescriptor(finding, "fixes")?.get) return;
  for (const plan of finding.fixes) {
    plan.summary.charCodeAt(0);
    for (const step of plan.steps) if ("description" in step) step.description.charCodeAt(0);
  }
}

/** Runs the rules over an inventory. Pure: the same inventory gives the same findings, in the same order. */
export function evaluateRules(inventory: Inventory, options: EvaluateOptions = {}): Finding[] {
  const rules = selectRules(options);
  const ctx = createRuleContext(inventory, options.index ?? getIndex(inventory));
  const byId = new Map<string, Finding>();
  for (const rule of rules) {
    for (const draft of rule.evaluate(ctx)) {
      // RULES.md: an assignment that matches its identity's role profile at the profile's
      // scope is never a finding of any rule. Enforced here so no rule can forget it.
      if (draft.assignment && draft.identity && ctx.profileMatch(draft.identity, draft.assignment)) continue;
      const f = toFinding(rule, draft, ctx);
      if (!byId.has(f.id)) byId.set(f.id, f);
    }
  }
  // Rule ids ranked once: comparing them with the collator was most of sorting 100k+ findings.
  const found = [...byId.values()];
  const ruleRank = new Map([...new Set(found.map((f) => f.ruleId))].sort(byLocale.compare).map((id, i) => [id, i]));
  return found.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || ruleRank.get(a.ruleId)! - ruleRank.get(b.ruleId)! || byLocale.compare(a.id, b.id),
  );
}
