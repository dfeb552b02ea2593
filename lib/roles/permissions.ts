import type { Permission, RoleDefinition } from "@/lib/model/types";
import { compileActionPattern, findOperation, normalizeAction, isWildcardPattern, ActionPatternError } from "./match";

/**
 * Effective permissions of a role definition, with ARM semantics:
 * - a role has one or more permission blocks; what the role grants is the union of what
 *   each block grants;
 * - within one block, `notActions` subtract from that block's `actions` only (and
 *   `notDataActions` from its `dataActions`); a notAction in one block never removes an
 *   action granted by another block;
 * - control-plane `actions` and data-plane `dataActions` are separate namespaces: an action
 *   never grants a data action and vice versa;
 * - matching is case-insensitive with `*` wildcards (see ./match).
 *
 * Block `condition`s (ABAC, on a few built-in roles such as Key Vault Data Access
 * Administrator) are not evaluated: a conditioned block is treated as granting, which
 * over-reports rather than hides a right; `effectivePermissions(role).conditional` says
 * when that happened.
 */

export interface GrantOptions {
  /** Check `dataActions`/`notDataActions` instead of `actions`/`notActions`. */
  data?: boolean;
}

/** A role definition whose permissions cannot be evaluated. */
export class RoleDefinitionError extends Error {
  constructor(
    readonly roleId: string,
    reason: string,
  ) {
    super(`Role definition "${roleId}": ${reason}`);
    this.name = "RoleDefinitionError";
  }
}

/** One permission block after subtraction: only patterns that still grant something. */
export interface EffectiveBlock {
  /** Index of the block in `role.permissions`. */
  index: number;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  condition?: string | null;
}

export interface EffectivePermissions {
  blocks: EffectiveBlock[];
  /** Every action pattern that still grants at least one operation after its block's notActions (deduplicated case-insensitively). */
  actions: string[];
  /** Likewise for data actions. */
  dataActions: string[];
  /** True when a block that grants something carries an ABAC condition (treated as granting). */
  conditional: boolean;
}

function roleLabel(role: RoleDefinition): string {
  return role?.roleName ? `${role.roleName} (${role.id ?? role.name})` : String(role?.id ?? role?.name ?? "<unnamed>");
}

function stringList(role: RoleDefinition, index: number, block: Permission, field: keyof Permission): string[] {
  const v = (block as unknown as Record<string, unknown>)[field];
  // ARM omits empty notDataActions/dataActions on older definitions; absent means none.
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new RoleDefinitionError(roleLabel(role), `permissions[${index}].${field} must be an array of strings`);
  v.forEach((s, i) => {
    if (typeof s !== "string" || s.trim() === "") {
      throw new RoleDefinitionError(roleLabel(role), `permissions[${index}].${field}[${i}] must be a non-empty string, got ${JSON.stringify(s)}`);
    }
  });
  return v as string[];
}

/** A validated permission block: every list present (ARM may omit empty ones). */
export interface PermissionBlock {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  condition: string | null;
}

/** The role's permission blocks, validated, with absent lists as empty. Throws RoleDefinitionError on malformed input. */
export function permissionBlocks(role: RoleDefinition): PermissionBlock[] {
  const cached = blockCache.get(role);
  if (cached) return cached;
  if (!role || typeof role !== "object") throw new RoleDefinitionError(String(role), "not an object");
  if (!Array.isArray(role.permissions)) throw new RoleDefinitionError(roleLabel(role), "permissions must be an array");
  const blocks = role.permissions.map((b, i): PermissionBlock => {
    if (!b || typeof b !== "object") throw new RoleDefinitionError(roleLabel(role), `permissions[${i}] must be an object`);
    return {
      actions: stringList(role, i, b, "actions"),
      notActions: stringList(role, i, b, "notActions"),
      dataActions: stringList(role, i, b, "dataActions"),
      notDataActions: stringList(role, i, b, "notDataActions"),
      condition: b.condition ?? null,
    };
  });
  blockCache.set(role, blocks);
  return blocks;
}
const blockCache = new WeakMap<RoleDefinition, PermissionBlock[]>();

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = normalizeAction(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const effectiveCache = new WeakMap<RoleDefinition, EffectivePermissions>();

/**
 * The role's effective permissions: each block's action patterns minus those its own
 * notActions cancel completely (e.g. a custom role listing `Microsoft.Authorization/roleAssignments/write`
 * in both), and likewise for data actions. Patterns only partly cut (Contributor's `*`)
 * stay, together with the notActions that cut them. Memoised per role object.
 */
export function effectivePermissions(role: RoleDefinition): EffectivePermissions {
  const cached = effectiveCache.get(role);
  if (cached) return cached;
  const blocks: EffectiveBlock[] = permissionBlocks(role).map((b, index) => {
    const keep = (patterns: string[], not: string[]) =>
      dedupe(patterns).filter((p) => (not.length === 0 ? true : findOperation({ include: [p], exclude: not }) !== undefined));
    return {
      index,
      actions: keep(b.actions, b.notActions),
      notActions: b.notActions,
      dataActions: keep(b.dataActions, b.notDataActions),
      notDataActions: b.notDataActions,
      condition: b.condition,
    };
  });
  const result: EffectivePermissions = {
    blocks,
    actions: dedupe(blocks.flatMap((b) => b.actions)),
    dataActions: dedupe(blocks.flatMap((b) => b.dataActions)),
    conditional: blocks.some((b) => !!b.condition && (b.actions.length > 0 || b.dataActions.length > 0)),
  };
  effectiveCache.set(role, result);
  return result;
}

function assertConcrete(operation: string): string {
  if (typeof operation !== "string" || operation.trim() === "") throw new ActionPatternError(operation, "an operation must be a non-empty string");
  if (isWildcardPattern(operation)) {
    throw new ActionPatternError(operation, "grants() takes a concrete operation; use findGrantedOperation() to ask about a wildcard pattern");
  }
  return normalizeAction(operation);
}

const grantCache = new WeakMap<RoleDefinition, Map<string, boolean>>();

/**
 * True when the role grants the concrete operation: some permission block has an action
 * (data action with `{ data: true }`) that matches it and no notAction (notDataAction) of
 * that same block matches it. Memoised per role object and operation.
 */
export function grants(role: RoleDefinition, operation: string, options: GrantOptions = {}): boolean {
  const op = assertConcrete(operation);
  const key = (options.data ? "d:" : "a:") + op;
  let memo = grantCache.get(role);
  if (!memo) {
    memo = new Map();
    grantCache.set(role, memo);
  }
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const result = explainGrantNormalized(role, op, !!options.data) !== undefined;
  memo.set(key, result);
  return result;
}

/** Why a role grants an operation: the block and pattern that match. */
export interface GrantExplanation {
  blockIndex: number;
  /** The action (or data action) pattern that matched, as written in the role. */
  matchedBy: string;
  condition?: string | null;
}

function explainGrantNormalized(role: RoleDefinition, op: string, data: boolean): GrantExplanation | undefined {
  const blocks = permissionBlocks(role);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const allow = data ? b.dataActions : b.actions;
    const deny = data ? b.notDataActions : b.notActions;
    const matched = allow.find((p) => compileActionPattern(p).test(op));
    if (matched === undefined) continue;
    if (deny.some((p) => compileActionPattern(p).test(op))) continue;
    return { blockIndex: i, matchedBy: matched, condition: b.condition };
  }
  return undefined;
}

/** The block and pattern through which the role grants `operation`, or undefined when it does not. */
export function explainGrant(role: RoleDefinition, operation: string, options: GrantOptions = {}): GrantExplanation | undefined {
  return explainGrantNormalized(role, assertConcrete(operation), !!options.data);
}

/** True when the role grants at least one of the operations. */
export function grantsAny(role: RoleDefinition, operations: readonly string[], options: GrantOptions = {}): boolean {
  return operations.some((op) => grants(role, op, options));
}

/** True when the role grants every one of the operations (vacuously true for an empty list). */
export function grantsAll(role: RoleDefinition, operations: readonly string[], options: GrantOptions = {}): boolean {
  return operations.every((op) => grants(role, op, options));
}

/** The operations of the list the role does not grant. */
export function missingOperations(role: RoleDefinition, operations: readonly string[], options: GrantOptions = {}): string[] {
  return operations.filter((op) => !grants(role, op, options));
}

export interface FindGrantedOptions extends GrantOptions {
  /** Operations matching any of these patterns do not count (e.g. read-only operations). */
  except?: readonly string[];
}

const findCache = new WeakMap<RoleDefinition, Map<string, string | null>>();

/**
 * Some operation matching `pattern` that the role grants (lower-case; unnamed parts shown
 * as a filler letter), or undefined when the role grants none. Exact for wildcards on both
 * sides: `findGrantedOperation(contributor, "Microsoft.Authorization/*")` finds
 * `microsoft.authorization/elevateaccess/x`-like reads and actions that survive the
 * notActions, and `findGrantedOperation(contributor, "Microsoft.Authorization/roleAssignments/write")`
 * is undefined. Memoised per role object.
 */
export function findGrantedOperation(role: RoleDefinition, pattern: string, options: FindGrantedOptions = {}): string | undefined {
  const except = options.except ?? [];
  const key = `${options.data ? "d" : "a"}|${normalizeAction(pattern)}|${except.map(normalizeAction).join("\u0000")}`;
  let memo = findCache.get(role);
  if (!memo) {
    memo = new Map();
    findCache.set(role, memo);
  }
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let found: string | undefined;
  const target = compileActionPattern(pattern);
  const exceptRe = except.map(compileActionPattern);
  for (const b of permissionBlocks(role)) {
    const allow = options.data ? b.dataActions : b.actions;
    const deny = options.data ? b.notDataActions : b.notActions;
    for (const p of allow) {
      if (!isWildcardPattern(p)) {
        // Concrete action: plain matching decides, no search needed.
        const op = normalizeAction(p);
        if (target.test(op) && !exceptRe.some((r) => r.test(op)) && !deny.some((d) => compileActionPattern(d).test(op))) found = op;
      } else {
        found = findOperation({ include: [p, pattern], exclude: [...deny, ...except] });
      }
      if (found !== undefined) break;
    }
    if (found !== undefined) break;
  }
  memo.set(key, found ?? null);
  return found;
}
