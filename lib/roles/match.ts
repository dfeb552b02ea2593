/**
 * ARM action matching.
 *
 * Azure RBAC compares operation strings case-insensitively, and `*` in an action pattern
 * matches any run of characters, `/` included: `Microsoft.Storage/*` matches
 * `Microsoft.Storage/storageAccounts/blobServices/containers/read`, `*\/read` matches every
 * read of every provider, `Microsoft.Authorization/*\/Write` matches
 * `Microsoft.Authorization/roleAssignments/write`, and `*` alone matches everything.
 * Everything else is literal (`.` is not a regex metacharacter here).
 *
 * Two primitives live here:
 * - `actionMatches(pattern, operation)`: does a pattern match one concrete operation. Patterns
 *   compile to a RegExp once and are cached, because rules test the same few hundred
 *   patterns against 100k assignments.
 * - `findOperation({ include, exclude })`: is there any operation string that every
 *   `include` pattern matches and no `exclude` pattern matches; returns the shortest such
 *   string. Both sides are glob languages, so this is decided exactly (a breadth-first
 *   search over the product of the patterns' automata), not guessed from examples. It
 *   answers questions like "does `*` minus Contributor's notActions still grant a write
 *   under a provider the role never names?".
 */

/** A pattern or operation that is not a usable ARM action string. */
export class ActionPatternError extends Error {
  constructor(
    readonly value: unknown,
    reason: string,
  ) {
    super(`Invalid ARM action ${JSON.stringify(value)}: ${reason}`);
    this.name = "ActionPatternError";
  }
}

/** The comparison form of an action or pattern: trimmed, lower-case. */
export function normalizeAction(action: string): string {
  return action.trim().toLowerCase();
}

/** True when the pattern contains an ARM wildcard. */
export function isWildcardPattern(pattern: string): boolean {
  return pattern.includes("*");
}

function assertActionString(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string") throw new ActionPatternError(value, `${what} must be a string`);
  if (value.trim() === "") throw new ActionPatternError(value, `${what} is empty`);
}

const compiled = new Map<string, RegExp>();
/** Bounded so a scan over a hostile tenant cannot grow it without limit; real tenants use far fewer patterns. */
const MAX_COMPILED = 50_000;

/** The anchored, case-insensitive RegExp for an ARM action pattern (cached). */
export function compileActionPattern(pattern: string): RegExp {
  assertActionString(pattern, "an action pattern");
  const key = normalizeAction(pattern);
  let re = compiled.get(key);
  if (!re) {
    const body = key
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")
      // Azure matches a whole-segment wildcard to zero segments too: Managed Identity
      // Operator's `userAssignedIdentities/*/assign/action` grants the real operation
      // `userAssignedIdentities/assign/action`.
      .replace(/\/\.\*\//g, "/(?:.*/)?");
    re = new RegExp(`^${body}$`, "s");
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

/**
 * True when the ARM action `pattern` matches the concrete `operation`
 * (e.g. `actionMatches("Microsoft.Network/*", "Microsoft.Network/virtualNetworks/subnets/join/action")`).
 * The operation is compared literally: a `*` inside it is just a character.
 */
export function actionMatches(pattern: string, operation: string): boolean {
  assertActionString(operation, "an operation");
  return compileActionPattern(pattern).test(normalizeAction(operation));
}

/** True when any of the patterns matches the operation. */
export function anyActionMatches(patterns: readonly string[], operation: string): boolean {
  assertActionString(operation, "an operation");
  const op = normalizeAction(operation);
  for (const p of patterns) if (compileActionPattern(p).test(op)) return true;
  return false;
}

// ---- exact search over glob languages ----------------------------------------------

/** NFA states of one glob: indexes into the pattern; `pattern.length` is the accepting state. */
type StateSet = readonly number[];

function closure(pattern: string, states: Iterable<number>): number[] {
  const out = new Set<number>();
  for (const s of states) {
    let i = s;
    out.add(i);
    // `*` may match the empty string, so the state after a star is reachable for free.
    while (i < pattern.length && pattern[i] === "*") {
      i++;
      out.add(i);
    }
  }
  return [...out].sort((a, b) => a - b);
}

function step(pattern: string, states: StateSet, ch: string): number[] {
  const next: number[] = [];
  for (const s of states) {
    if (s >= pattern.length) continue;
    const c = pattern[s];
    if (c === "*") next.push(s);
    else if (c === ch) next.push(s + 1);
  }
  return next.length === 0 ? [] : closure(pattern, next);
}

const accepts = (pattern: string, states: StateSet) => states.includes(pattern.length);

/** Characters tried, in order, to stand for "any character no pattern mentions". */
const FILLER_CANDIDATES = ["x", "z", "q", "_", "~", "#", "0"];

/** Upper bound on explored states; role patterns are short, so real searches stay in the hundreds. */
const MAX_SEARCH_STATES = 200_000;

export interface OperationQuery {
  /** Every one of these patterns must match the operation (at least one required). */
  include: readonly string[];
  /** None of these patterns may match it. */
  exclude?: readonly string[];
}

/**
 * The shortest well-formed operation string (lower-case) that all `include` patterns match
 * and no `exclude` pattern matches, or undefined when there is none. Exact for ARM glob
 * patterns over well-formed operations: ARM operation names are `Provider/…/verb` with
 * non-empty segments and the verb one of `read`, `write`, `delete`, `action`; strings like
 * `x//write` or `Microsoft.Foo/bar` that no real operation has are never answers. Characters no pattern mentions are represented by a filler letter (usually
 * `x`), so a result like `scopewise.probe/x/write` reads as "any `…/write` under that provider".
 */
export function findOperation(query: OperationQuery): string | undefined {
  if (query.include.length === 0) throw new ActionPatternError(query.include, "findOperation needs at least one include pattern");
  for (const p of query.include) assertActionString(p, "an include pattern");
  for (const p of query.exclude ?? []) assertActionString(p, "an exclude pattern");
  const include = [...new Set(query.include.map(normalizeAction))];
  const exclude = [...new Set((query.exclude ?? []).map(normalizeAction))];

  // An exclude pattern `*` (or one identical to an include) leaves nothing.
  if (exclude.some((e) => e.split("").every((c) => c === "*") || include.includes(e))) return undefined;

  // A concrete include is the only candidate: plain matching decides (most role actions are concrete).
  const literal = include.find((p) => !p.includes("*"));
  if (literal !== undefined) {
    if (!WELL_FORMED.test(literal)) return undefined;
    if (!include.every((p) => compileActionPattern(p).test(literal))) return undefined;
    return exclude.some((p) => compileActionPattern(p).test(literal)) ? undefined : literal;
  }
  // Patterns whose fixed prefixes or suffixes disagree share no string: drop such excludes, fail on such includes.
  for (let i = 1; i < include.length; i++) if (disjoint(include[0]!, include[i]!)) return undefined;
  const relevantExclude = exclude.filter((e) => !include.some((p) => disjoint(p, e))).sort();
  include.sort();
  // Roles repeat the same plumbing patterns (`Microsoft.Support/*`, `Microsoft.Resources/deployments/*`...)
  // against the same exclusions, so results are shared across roles.
  const key = include.join("\u0000") + "\u0001" + relevantExclude.join("\u0000");
  if (searchCache.has(key)) return searchCache.get(key) ?? undefined;
  // Every ARM operation ends in one of the four verbs: search each verb's language, keep the shortest answer.
  let found: string | undefined;
  for (const verb of OPERATION_VERBS) {
    const withVerb = [...include, verb];
    if (withVerb.some((p, i) => withVerb.slice(i + 1).some((q) => disjoint(p, q)))) continue;
    const hit = searchOperation(withVerb, relevantExclude.filter((e) => !disjoint(verb, e)));
    if (hit !== undefined && (found === undefined || hit.length < found.length)) found = hit;
  }
  if (searchCache.size >= MAX_COMPILED) searchCache.clear();
  searchCache.set(key, found ?? null);
  return found;
}

const searchCache = new Map<string, string | null>();

/** Provider segment, then one or more non-empty segments, the last being the verb. */
const WELL_FORMED = /^[^/]+(\/[^/]+)*\/(read|write|delete|action)$/i;
const OPERATION_VERBS = ["*/read", "*/write", "*/delete", "*/action"] as const;

function fixedEnds(pattern: string): { prefix: string; suffix: string } {
  const first = pattern.indexOf("*");
  if (first < 0) return { prefix: pattern, suffix: pattern };
  const last = pattern.lastIndexOf("*");
  return { prefix: pattern.slice(0, first), suffix: pattern.slice(last + 1) };
}

/** Cheap sufficient test that two glob patterns match no common string. */
function disjoint(a: string, b: string): boolean {
  const ea = fixedEnds(a);
  const eb = fixedEnds(b);
  const n = Math.min(ea.prefix.length, eb.prefix.length);
  if (ea.prefix.slice(0, n) !== eb.prefix.slice(0, n)) return true;
  const m = Math.min(ea.suffix.length, eb.suffix.length);
  return ea.suffix.slice(ea.suffix.length - m) !== eb.suffix.slice(eb.suffix.length - m);
}

function searchOperation(include: string[], exclude: string[]): string | undefined {

  const alphabet = new Set<string>(["/"]);
  for (const p of [...include, ...exclude]) for (const c of p) if (c !== "*") alphabet.add(c);
  // Tried first at every step, so witnesses read "x/…" rather than borrowing letters from the patterns.
  const filler = FILLER_CANDIDATES.find((c) => !alphabet.has(c)) ?? "\u0001";

  interface Node {
    /** Operation shape: 0 start, 1 in provider segment, 2 just after '/', 3 in a later segment (accepting). */
    shape: number;
    inc: StateSet[];
    exc: (StateSet | null)[];
    parent: Node | null;
    ch: string;
  }
  const keyOf = (n: Pick<Node, "shape" | "inc" | "exc">) =>
    n.shape +
    ":" +
    n.inc.map((s) => s.join(",")).join("|") + "#" + n.exc.map((s) => (s === null ? "-" : s.join(","))).join("|");
  const isGoal = (n: Node) =>
    n.shape === 3 &&
    n.inc.every((s, i) => accepts(include[i]!, s)) && n.exc.every((s, i) => s === null || !accepts(exclude[i]!, s));

  // Every answer starts with the longest fixed prefix of the includes (they agree, see `disjoint`):
  // consume it deterministically instead of searching through it.
  const prefix = include.map((p) => fixedEnds(p).prefix).reduce((a, b) => (b.length > a.length ? b : a), "");
  let start: Node = {
    shape: 0,
    inc: include.map((p) => closure(p, [0])),
    exc: exclude.map((p) => closure(p, [0])),
    parent: null,
    ch: "",
  };
  for (const ch of prefix) {
    const shape = nextShape(start.shape, ch);
    if (shape < 0) return undefined;
    const inc = start.inc.map((set, i) => step(include[i]!, set, ch));
    if (inc.some((set) => set.length === 0)) return undefined;
    const exc = start.exc.map((set, i) => {
      if (set === null) return null;
      const t = step(exclude[i]!, set, ch);
      return t.length === 0 ? null : t;
    });
    if (exc.some((set, i) => set !== null && isTrailingStar(exclude[i]!, set))) return undefined;
    start = { shape, inc, exc, parent: start, ch };
  }
  const seen = new Set<string>([keyOf(start)]);
  let frontier: Node[] = [start];
  while (frontier.length > 0) {
    const next: Node[] = [];
    for (const node of frontier) {
      if (isGoal(node)) {
        let s = "";
        for (let n: Node | null = node; n && n.parent; n = n.parent) s = n.ch + s;
        return s;
      }
      // Only characters some pattern expects next can behave differently from the filler.
      const nextChars = new Set<string>([filler, "/"]);
      const expect = (p: string, set: StateSet | null) => {
        if (set) for (const st of set) if (st < p.length && p[st] !== "*") nextChars.add(p[st]!);
      };
      node.inc.forEach((set, i) => expect(include[i]!, set));
      node.exc.forEach((set, i) => expect(exclude[i]!, set));
      for (const ch of nextChars) {
        const shape = nextShape(node.shape, ch);
        if (shape < 0) continue;
        const inc: StateSet[] = [];
        let dead = false;
        for (let i = 0; i < include.length; i++) {
          const s = step(include[i]!, node.inc[i]!, ch);
          if (s.length === 0) {
            dead = true;
            break;
          }
          inc.push(s);
        }
        if (dead) continue;
        // An exclude pattern whose automaton died can never match any extension: stop tracking it.
        const exc = node.exc.map((s, i) => {
          if (s === null) return null;
          const t = step(exclude[i]!, s, ch);
          return t.length === 0 ? null : t;
        });
        // Stuck forever inside an exclude's trailing `*`: every extension is excluded.
        if (exc.some((s, i) => s !== null && isTrailingStar(exclude[i]!, s))) continue;
        const child: Node = { shape, inc, exc, parent: node, ch };
        const key = keyOf(child);
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > MAX_SEARCH_STATES) {
          throw new ActionPatternError(
            { include, exclude },
            `too many wildcard combinations to decide (over ${MAX_SEARCH_STATES} states)`,
          );
        }
        next.push(child);
      }
    }
    frontier = next;
  }
  return undefined;
}

function nextShape(shape: number, ch: string): number {
  if (ch === "/") return shape === 1 || shape === 3 ? 2 : -1;
  return shape === 0 ? 1 : shape === 2 ? 3 : shape;
}

/** The exclude pattern has reached a trailing `*`: it now matches every continuation. */
function isTrailingStar(pattern: string, states: StateSet): boolean {
  for (const s of states) {
    let i = s;
    while (i < pattern.length && pattern[i] === "*") i++;
    if (i === pattern.length && s < pattern.length) return true;
  }
  return false;
}

/** True when some operation matches `pattern` but none of `excluded`: the pattern is not fully cancelled. */
export function patternSurvives(pattern: string, excluded: readonly string[]): boolean {
  return findOperation({ include: [pattern], exclude: excluded }) !== undefined;
}
