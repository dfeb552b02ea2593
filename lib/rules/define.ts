import type { SourceKey } from "@/lib/model/coverage";
import type { Evidence, FixPlan, Severity } from "@/lib/model/findings";
import type { Identity, RoleAssignment } from "@/lib/model/types";
import type { RuleContext } from "@/lib/rules/rule-context";
import type { BenchmarkControl } from "./benchmarks";

/** User-facing text of a rule, kept as data beside its logic (CONVENTIONS.md). */
export interface RuleMeta {
  /** Public contract (JSON, SARIF, URLs): exactly as in the rule catalog (docs/rules.md). */
  id: string;
  title: string;
  severity: Severity;
  /** One sentence: what the rule checks. */
  description: string;
  /** Why it matters (RULES.md "why"). */
  rationale: string;
  /** The fix offered, in words (RULES.md "fix offered"). */
  remediation: string;
  references: { title: string; url: string }[];
  /**
   * Benchmark controls a finding of the rule shows a gap in (lib/rules/benchmarks.ts), only where
   * the control's text covers what the rule checks.
   */
  benchmarks?: readonly BenchmarkControl[];
  /**
   * How the rule judges an assignment with an ABAC condition (Azure evaluates conditions for
   * storage blob and queue data actions and role assignment writes only). Every rule that
   * reports role assignments says it; docs/rules.md shows it.
   */
  conditions?: string;
  /**
   * Sources every finding of the rule rests on besides the objects it names (lib/rules/sources.ts):
   * a rule that fires because something was *not* seen depends on every place it could have been
   * seen, so a scan that could not read one of them cannot call its finding new or resolved.
   */
  reads?: readonly SourceKey[];
}

/** What a rule reports; the framework turns it into a Finding (ids, names, severity adjustment). */
export interface FindingDraft {
  /** Parts that make the finding unique within its rule; hashed into the stable finding id. */
  key: string[];
  message: string;
  identity?: Identity;
  assignment?: RoleAssignment;
  clusterId?: string;
  /** Defaults to the assignment's scope. */
  scope?: string;
  targetIds?: string[];
  evidence: Evidence[];
  /**
   * Plans whose ids are local to the finding ("remove", "rescope", ...). A function builds them
   * each time the finding's `fixes` is read: a rule with plans for every one of 100k assignments
   * held them all for the scan's life (a third of the findings' memory), while only a finding's
   * page, the wizard, exports, the CLI and the store's write read them.
   */
  fixes: FixPlan[] | (() => FixPlan[]);
  /** A rule whose catalog entry varies the severity by case (e.g. by scope level) sets it here. */
  baseSeverity?: Severity;
  /** Skip the generic reachability / single-resource adjustment (the rule already accounted for scope). */
  adjustSeverity?: boolean;
}

/** A draft's plans, built now when the rule builds them on read. */
export function plansOf(draft: Pick<FindingDraft, "fixes">): FixPlan[] {
  return typeof draft.fixes === "function" ? draft.fixes() : draft.fixes;
}

export interface Rule {
  meta: RuleMeta;
  evaluate(ctx: RuleContext): FindingDraft[];
}

export function defineRule(meta: RuleMeta, evaluate: (ctx: RuleContext) => FindingDraft[]): Rule {
  return { meta, evaluate };
}
