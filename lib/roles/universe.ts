import providerOperations from "./data/provider-operations.json";
import { builtinCatalog } from "./builtin-catalog";
import { isWildcardPattern, normalizeAction } from "./match";

/**
 * The operations universe used to measure how much a role grants beyond a need.
 *
 * Azure publishes its operations per provider (`az provider operation show`); we do not
 * ship all of them. The universe is: every concrete (wildcard-free) action and data action
 * named in any of the 928 built-in roles, every operation of the providers whose lists are
 * vendored in ./data/provider-operations.json (Authorization, ContainerService,
 * ManagedIdentity, ResourceGraph), and one *probe* per wildcard pattern of the built-in
 * roles: the pattern with each `*` replaced by `x`. A probe is a member of its pattern's
 * language, so a role whose pattern is strictly wider than another's (`Microsoft.ServiceBus/*`
 * vs `Microsoft.ServiceBus/*\/send/action`) is counted as granting strictly more even
 * where the concrete operation lists are thin.
 *
 * All entries are lower-case.
 */
export interface OperationsUniverse {
  actions: readonly string[];
  dataActions: readonly string[];
  /** Operations by provider namespace (lower-case first segment). */
  actionsByProvider: ReadonlyMap<string, readonly string[]>;
  dataActionsByProvider: ReadonlyMap<string, readonly string[]>;
  /** The real operations only (no probes), actions and data actions together. */
  concrete: ReadonlySet<string>;
}

interface ProviderOperationsFile {
  providers: Record<string, { actions: string[]; dataActions: string[] }>;
}

/** `*` → `x` inside a pattern: a concrete member of the pattern's language. */
export function probeOperation(pattern: string): string {
  return normalizeAction(pattern).replace(/\*+/g, "x");
}

let universe: OperationsUniverse | undefined;

function byProvider(ops: readonly string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const op of ops) {
    const p = op.split("/")[0]!;
    let list = m.get(p);
    if (!list) m.set(p, (list = []));
    list.push(op);
  }
  return m;
}

/** The operations universe (built once, lazily). */
export function getOperationsUniverse(): OperationsUniverse {
  if (universe) return universe;
  const actions = new Set<string>();
  const dataActions = new Set<string>();
  const concrete = new Set<string>();
  const add = (set: Set<string>, s: string) => {
    if (isWildcardPattern(s)) set.add(probeOperation(s));
    else {
      const op = normalizeAction(s);
      set.add(op);
      concrete.add(op);
    }
  };
  for (const role of builtinCatalog) {
    for (const b of role.permissions) {
      for (const a of [...b.actions, ...b.notActions]) add(actions, a);
      for (const a of [...b.dataActions, ...b.notDataActions]) add(dataActions, a);
    }
  }
  for (const ops of Object.values((providerOperations as ProviderOperationsFile).providers)) {
    for (const a of ops.actions) add(actions, a);
    for (const a of ops.dataActions) add(dataActions, a);
  }
  // A probe of `*` alone is "x", which names no provider; it still counts as one operation.
  const a = [...actions].sort();
  const d = [...dataActions].sort();
  universe = { actions: a, dataActions: d, actionsByProvider: byProvider(a), dataActionsByProvider: byProvider(d), concrete };
  return universe;
}

let concreteByProvider: Map<string, string[]> | undefined;

/** The real (non-probe) operations of one provider namespace, actions and data actions together. */
export function listConcreteOperations(provider: string): readonly string[] {
  concreteByProvider ??= byProvider([...getOperationsUniverse().concrete]);
  return concreteByProvider.get(provider.trim().toLowerCase()) ?? [];
}
