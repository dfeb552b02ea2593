/**
 * Role assignment conditions (Azure ABAC), read far enough to judge what a conditioned grant
 * allows. Azure evaluates a condition only for the storage blob and queue data actions and the
 * role assignment writes and deletes its clauses name; every other action of the role is granted
 * as if there were no condition. A condition in the form the Azure portal and docs write,
 *
 *   ((!(ActionMatches{'<action>'}) AND !(ActionMatches{'<action>'})) OR (<expression>)) AND (...)
 *
 * guards the named actions with the expression. Pure.
 */
import type { RoleAssignment, RoleDefinition } from "@/lib/model/types";
import { DATA_READ_PATTERNS, ROLE_ASSIGNMENT_WRITE } from "@/lib/roles/classify";
import { findGrantedOperation } from "@/lib/roles/permissions";

/** One `(actions) OR (expression)` clause: the actions it names may run only where the expression holds. */
export interface ConditionClause {
  actions: string[];
  /** Actions named only for a sub-operation (`SubOperationMatches`): the rest of the action is not guarded. */
  partial: string[];
  expression: string;
  /** Set when the expression only compares the names of containers or queues. */
  names?: { noun: "container" | "queue"; values: string[] };
}

/** The clauses of a condition, or undefined when it is not in the portal's form (it is then judged as a whole, not clause by clause). */
export function parseCondition(condition: string): ConditionClause[] | undefined {
  const clauses: ConditionClause[] = [];
  for (const part of splitTop(condition, "AND")) {
    const inner = unwrap(part);
    if (inner === undefined) return undefined;
    const sides = splitTop(inner, "OR");
    if (sides.length !== 2) return undefined;
    const actionsText = unwrap(sides[0]!);
    const expression = unwrap(sides[1]!);
    if (actionsText === undefined || expression === undefined) return undefined;
    const actions: string[] = [];
    const partial: string[] = [];
    for (const guard of splitTop(actionsText, "AND")) {
      const m = /^!\s*\(\s*ActionMatches\{'([^']+)'\}(\s+AND\s+.*)?\)$/is.exec(guard.trim());
      if (!m) return undefined;
      (m[2] ? partial : actions).push(m[1]!);
    }
    const names = namesCompared(expression);
    clauses.push({ actions, partial, expression: expression.trim(), ...(names ? { names } : {}) });
  }
  return clauses.length > 0 ? clauses : undefined;
}

const NAME_ATTRIBUTE = /^@Resource\[Microsoft\.Storage\/storageAccounts\/(blobServices\/containers|queueServices\/queues):name\]\s+(StringEquals|StringEqualsIgnoreCase|StringLike|ForAnyOfAnyValues:StringEquals)\s+(.+)$/i;

/** The names an expression allows when it is only `name` comparisons of one kind, joined by OR. */
function namesCompared(expression: string): ConditionClause["names"] {
  let noun: "container" | "queue" | undefined;
  const values: string[] = [];
  for (const term of splitTop(expression, "OR")) {
    const text = unwrap(term) ?? term.trim();
    const m = NAME_ATTRIBUTE.exec(text);
    if (!m) return undefined;
    const kind = m[1]!.toLowerCase().startsWith("blob") ? "container" : "queue";
    if (noun && noun !== kind) return undefined;
    noun = kind;
    const literals = [...m[3]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!);
    if (literals.length === 0) return undefined;
    values.push(...literals);
  }
  return noun ? { noun, values } : undefined;
}

/** Splits at top-level (outside parentheses, braces and quotes) occurrences of ` AND ` / ` OR `. */
function splitTop(text: string, word: "AND" | "OR"): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const re = new RegExp(`^\\s+${word}\\s+`, "i");
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === "(" || c === "{") depth++;
    else if (c === ")" || c === "}") depth--;
    else if (depth === 0 && /\s/.test(c)) {
      const m = re.exec(text.slice(i));
      if (m) {
        parts.push(text.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** The text inside one pair of parentheses that spans all of `text`, else undefined. */
function unwrap(text: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith("(") || !t.endsWith(")")) return undefined;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === "(") depth++;
    else if (c === ")") depth--;
    if (depth === 0 && i < t.length - 1) return undefined;
  }
  return t.slice(1, -1).trim();
}

/** What a condition does to one assignment's grant, as the rules judge it. */
export interface ConditionEffect {
  condition: string;
  /** Every data action the role grants runs only in the named containers or queues. */
  dataLimitedTo?: { noun: "container" | "queue"; values: string[] };
  /** The role grants write data actions, and every one of them is guarded by some clause. */
  writesGuarded: boolean;
  /** It constrains the role assignments the holder may write (delegation with conditions). */
  guardsRoleAssignmentWrite: boolean;
  /** Plain words for messages and evidence. */
  summary: string;
}

/** What the assignment's condition does, or undefined when it has none. */
export function conditionEffect(assignment: RoleAssignment, role: RoleDefinition): ConditionEffect | undefined {
  const condition = assignment.condition?.trim();
  if (!condition) return undefined;
  const clauses = parseCondition(condition);
  if (!clauses) {
    return { condition, writesGuarded: false, guardsRoleAssignmentWrite: /ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/write'\}/i.test(condition), summary: `a condition Scopewise cannot read clause by clause (${condition})` };
  }
  const guarded = clauses.flatMap((c) => c.actions);
  const unguardedData = findGrantedOperation(role, "*", { data: true, except: guarded });
  const anyWrite = findGrantedOperation(role, "*", { data: true, except: [...DATA_READ_PATTERNS] });
  const unguardedWrite = findGrantedOperation(role, "*", { data: true, except: [...DATA_READ_PATTERNS, ...guarded] });
  const named = clauses.filter((c) => c.names && c.actions.length > 0);
  const noun = named[0]?.names?.noun;
  // Limited to names only when every clause guarding a granted data action compares names of one kind.
  const limited =
    !unguardedData && named.length === clauses.length && noun && named.every((c) => c.names!.noun === noun)
      ? { noun, values: [...new Set(named.flatMap((c) => c.names!.values))] }
      : undefined;
  const guardsWrite = guarded.some((a) => a.toLowerCase() === ROLE_ASSIGNMENT_WRITE.toLowerCase());
  const summary = limited
    ? `a condition limiting every data action to the ${limited.noun}${limited.values.length === 1 ? "" : "s"} named ${limited.values.map((v) => `'${v}'`).join(", ")}`
    : `a condition on ${guarded.length + clauses.flatMap((c) => c.partial).length} action${guarded.length === 1 ? "" : "s"} (${[...guarded, ...clauses.flatMap((c) => c.partial)].join(", ")})`;
  return { condition, ...(limited ? { dataLimitedTo: limited } : {}), writesGuarded: !!anyWrite && !unguardedWrite, guardsRoleAssignmentWrite: guardsWrite, summary };
}

/**
 * How each rule reads conditions, for its metadata (docs/rules.md). Azure evaluates a condition
 * only for storage blob and queue data actions and role assignment writes and deletes.
 */
export const ConditionReading = {
  /** Rules about control-plane actions, which no condition narrows. */
  controlPlane:
    "Azure evaluates role assignment conditions only for storage blob and queue data actions and for role assignment writes and deletes, so a condition does not narrow the control-plane actions this rule judges: a conditioned assignment is judged like an unconditioned one, and every assignment its fixes re-create keeps the condition.",
  /** Rules about a principal or identity rather than what a grant allows. */
  notAboutAccess: "A condition does not change this rule's judgement: it is about the principal, not about what the grant allows.",
} as const;
