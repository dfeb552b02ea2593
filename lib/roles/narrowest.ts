import type { RoleDefinition } from "@/lib/model/types";
import type { RoleCatalog } from "./catalog";
import { isPrivileged, READ_ONLY_PATTERNS } from "./classify";
import { ActionPatternError, anyActionMatches, compileActionPattern, isWildcardPattern, normalizeAction } from "./match";
import { grantsAll, permissionBlocks } from "./permissions";
import { getOperationsUniverse } from "./universe";

/** What a workload needs to do, as concrete ARM operations. */
export interface OperationNeed {
  actions?: readonly string[];
  dataActions?: readonly string[];
}

export interface CoveringRole {
  role: RoleDefinition;
  /** Operations of the universe (./universe) the role grants, actions and data actions together. */
  grantedOperations: number;
  /** Granted operations beyond the need: the measure of "narrowest". */
  extraOperations: number;
  /** Of those, the ones that are not read-only (`READ_ONLY_PATTERNS`): the tie-breaker. */
  extraNonReadOperations: number;
  privileged: boolean;
}

export interface NarrowestOptions {
  /** Roles to choose from; default: the catalog's built-in roles, minus deprecated and ABAC-conditioned ones. */
  candidates?: readonly RoleDefinition[];
  /**
   * Privileged roles (those granting roleAssignments/write) are excluded by default unless
   * no non-privileged candidate covers the need; `true` always includes them (ordered last),
   * `false` never does.
   */
  includePrivileged?: boolean;
  /** Keep at most this many results. */
  limit?: number;
}

interface GrantCount {
  total: number;
  nonRead: number;
  granted: Set<string>;
}

const countCache = new WeakMap<RoleDefinition, GrantCount>();

function isReadOnly(op: string): boolean {
  return anyActionMatches(READ_ONLY_PATTERNS, op);
}

/** How many universe operations the role grants (memoised per role object). */
export function countGrantedOperations(role: RoleDefinition): { total: number; nonRead: number } {
  const c = grantCount(role);
  return { total: c.total, nonRead: c.nonRead };
}

function grantCount(role: RoleDefinition): GrantCount {
  const cached = countCache.get(role);
  if (cached) return cached;
  const u = getOperationsUniverse();
  const granted = new Set<string>();
  for (const b of permissionBlocks(role)) {
    const planes = [
      { allow: b.actions, deny: b.notActions, all: u.actions, byProvider: u.actionsByProvider, tag: "a:" },
      { allow: b.dataActions, deny: b.notDataActions, all: u.dataActions, byProvider: u.dataActionsByProvider, tag: "d:" },
    ];
    for (const plane of planes) {
      const deny = plane.deny.map(compileActionPattern);
      for (const pattern of plane.allow) {
        const re = compileActionPattern(pattern);
        const provider = normalizeAction(pattern).split("/")[0]!;
        const pool = provider.includes("*") ? plane.all : (plane.byProvider.get(provider) ?? []);
        for (const op of pool) {
          if (granted.has(plane.tag + op)) continue;
          if (re.test(op) && !deny.some((d) => d.test(op))) granted.add(plane.tag + op);
        }
      }
    }
  }
  let nonRead = 0;
  for (const k of granted) if (!isReadOnly(k.slice(2))) nonRead++;
  const result = { total: granted.size, nonRead, granted };
  countCache.set(role, result);
  return result;
}

function isDeprecated(role: RoleDefinition): boolean {
  return /\bdeprecated\b/i.test(role.roleName) || /^\s*\(?deprecated\b/i.test(role.description ?? "");
}

/** Default candidates: built-in roles Azure still recommends and that need no ABAC condition to be safe. */
export function defaultCandidates(catalog: RoleCatalog): RoleDefinition[] {
  return catalog.listBuiltin().filter((r) => !isDeprecated(r) && !permissionBlocks(r).some((b) => b.condition));
}

function checkOps(list: readonly string[] | undefined, field: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ActionPatternError(list, `need.${field} must be an array of operations`);
  return list.map((op, i) => {
    if (typeof op !== "string" || op.trim() === "") throw new ActionPatternError(op, `need.${field}[${i}] must be a non-empty operation`);
    if (isWildcardPattern(op)) throw new ActionPatternError(op, `need.${field}[${i}] must be a concrete operation, not a wildcard`);
    return normalizeAction(op);
  });
}

/**
 * Roles that grant every operation of the need, narrowest first: fewest granted operations
 * beyond the need (counted over the operations universe, ./universe), then fewest
 * non-read extras, then role name. Privileged roles are left out unless nothing else covers
 * the need (see `NarrowestOptions.includePrivileged`) and always sort last.
 *
 * E.g. `{ actions: ["Microsoft.ContainerRegistry/registries/pull/read"] }` → AcrPull first;
 * `{ dataActions: ["Microsoft.ServiceBus/namespaces/messages/send/action"] }` → Azure Service
 * Bus Data Sender first.
 */
export function narrowestCovering(catalog: RoleCatalog, need: OperationNeed, options: NarrowestOptions = {}): CoveringRole[] {
  const actions = [...new Set(checkOps(need.actions, "actions"))];
  const dataActions = [...new Set(checkOps(need.dataActions, "dataActions"))];
  if (actions.length === 0 && dataActions.length === 0) {
    throw new ActionPatternError(need, "a need names at least one action or data action");
  }
  const candidates = options.candidates ?? defaultCandidates(catalog);
  const covering = candidates.filter((r) => grantsAll(r, actions) && grantsAll(r, dataActions, { data: true }));

  const needKeys = [...actions.map((a) => "a:" + a), ...dataActions.map((d) => "d:" + d)];
  const scored: CoveringRole[] = covering.map((role) => {
    const c = grantCount(role);
    // Need operations outside the universe are granted too (we just checked): count them.
    let total = c.total;
    let nonRead = c.nonRead;
    let needNonRead = 0;
    for (const k of needKeys) {
      const ro = isReadOnly(k.slice(2));
      if (!ro) needNonRead++;
      if (!c.granted.has(k)) {
        total++;
        if (!ro) nonRead++;
      }
    }
    return {
      role,
      grantedOperations: total,
      extraOperations: total - needKeys.length,
      extraNonReadOperations: nonRead - needNonRead,
      privileged: isPrivileged(role),
    };
  });

  let result = scored;
  const include = options.includePrivileged;
  if (include === false || (include === undefined && scored.some((s) => !s.privileged))) {
    result = scored.filter((s) => !s.privileged);
  }
  result.sort(
    (a, b) =>
      Number(a.privileged) - Number(b.privileged) ||
      a.extraOperations - b.extraOperations ||
      a.extraNonReadOperations - b.extraNonReadOperations ||
      a.role.roleName.localeCompare(b.role.roleName),
  );
  return options.limit !== undefined ? result.slice(0, Math.max(0, options.limit)) : result;
}
