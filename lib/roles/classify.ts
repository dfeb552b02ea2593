import type { RoleDefinition } from "@/lib/model/types";
import { compileActionPattern, findOperation, isWildcardPattern, normalizeAction } from "./match";
import { effectivePermissions, findGrantedOperation, grants } from "./permissions";
import { listConcreteOperations } from "./universe";

/**
 * Role classification by permissions, never by name, so custom roles are judged like
 * built-in ones (RULES.md "Terms"). Every answer is derived from the role's permission
 * blocks with exact wildcard reasoning (./match `findOperation`), and memoised per role
 * object: a scan evaluates the same few dozen role objects against 100k assignments.
 */

/** The operation whose grant makes a role privileged: it can create role assignments, i.e. grant itself anything. */
export const ROLE_ASSIGNMENT_WRITE = "Microsoft.Authorization/roleAssignments/write";

/**
 * Operations that only read, per RULES.md "Reader-class role". `generateUserDelegationKey`
 * is an action but only lets the holder sign a user-delegation SAS for blobs it can already
 * read, so Storage Blob Data Reader carries it.
 */
export const READ_ONLY_PATTERNS = [
  "*/read",
  "*/readMetadata/action",
  "*/blobServices/generateUserDelegationKey/action",
] as const;

/**
 * Operations built-in reader roles carry that do not widen what can be read or changed in
 * the workload's resources: support tickets and classic alert rules.
 */
export const IGNORED_FOR_READER_PATTERNS = ["Microsoft.Support/*", "Microsoft.Insights/alertRules/*"] as const;

/**
 * Data actions that return data without changing it, beyond `READ_ONLY_PATTERNS`:
 * Key Vault's `getSecret/action` reads a secret's value. Used by `isDataWrite` only; it is
 * deliberately not reader-class (a secret value is a credential).
 */
export const DATA_READ_PATTERNS = [...READ_ONLY_PATTERNS, "Microsoft.KeyVault/vaults/secrets/getSecret/action"] as const;

/**
 * A provider namespace no role names. A role that grants a write under it grants writes
 * under every provider, including ones Azure adds later: the definition of a broad role.
 */
export const UNNAMED_PROVIDER = "Scopewise.UnnamedProvider";

/** Verbs that change state. ARM operations end in `/write`, `/delete` or `/action` unless they read. */
const NON_READ_SUFFIXES = ["/*/write", "/*/delete", "/*/action"] as const;

export const WildcardKind = {
  /** `*`: every operation of every provider. */
  All: "all",
  /** `*` in the provider segment, e.g. `*\/read`, `*\/write`. */
  AnyProvider: "any-provider",
  /** `Provider/*`: every operation of one provider. */
  Provider: "provider",
  /** Any other wildcard, e.g. `Microsoft.Compute/virtualMachines/*`, `Microsoft.ServiceBus/*\/send/action`. */
  Narrow: "narrow",
} as const;
export type WildcardKind = (typeof WildcardKind)[keyof typeof WildcardKind];

export interface WildcardAction {
  pattern: string;
  data: boolean;
  kind: WildcardKind;
  /** True when the pattern only reaches read-only operations (`*\/read`). */
  readOnly: boolean;
}

export interface RoleClassification {
  /** Grants `Microsoft.Authorization/roleAssignments/write`. */
  privileged: boolean;
  /** Not privileged, but grants a write, delete or action under a provider it never names (Contributor). */
  broad: boolean;
  /** Every effective action and data action only reads (ignoring Microsoft.Support and classic alert rules). */
  readerClass: boolean;
  /** Has at least one effective data action. */
  dataRole: boolean;
  /** Some effective data action changes data (anything beyond `DATA_READ_PATTERNS`). */
  dataWrite: boolean;
  /** Effective action and data-action patterns that contain `*`. */
  wildcards: WildcardAction[];
  /** Some block granting something carries an ABAC condition (not evaluated; treated as granting). */
  conditional: boolean;
  /** See `governedResourceTypes`. */
  governedResourceTypes: string[];
  /** For broad roles: an example of a write it grants under an unnamed provider. */
  broadEvidence?: string;
  /** For non-reader roles: an example of a non-read operation it grants. */
  nonReadEvidence?: { operation: string; data: boolean };
}

const classificationCache = new WeakMap<RoleDefinition, RoleClassification>();

/** Every classification of the role at once (memoised per role object). */
export function classifyRole(role: RoleDefinition): RoleClassification {
  const cached = classificationCache.get(role);
  if (cached) return cached;
  const eff = effectivePermissions(role);
  const privileged = grants(role, ROLE_ASSIGNMENT_WRITE);

  let broadEvidence: string | undefined;
  if (!privileged) {
    for (const suffix of NON_READ_SUFFIXES) {
      broadEvidence = findGrantedOperation(role, UNNAMED_PROVIDER + suffix, { except: READ_ONLY_PATTERNS });
      if (broadEvidence) break;
    }
  }

  const readerExcept = [...READ_ONLY_PATTERNS, ...IGNORED_FOR_READER_PATTERNS];
  let nonReadEvidence: RoleClassification["nonReadEvidence"];
  const nonReadAction = findGrantedOperation(role, "*", { except: readerExcept });
  if (nonReadAction) nonReadEvidence = { operation: nonReadAction, data: false };
  else {
    const nonReadData = findGrantedOperation(role, "*", { data: true, except: readerExcept });
    if (nonReadData) nonReadEvidence = { operation: nonReadData, data: true };
  }

  const dataRole = eff.dataActions.length > 0;
  const dataWrite = dataRole && findGrantedOperation(role, "*", { data: true, except: DATA_READ_PATTERNS }) !== undefined;

  const wildcards: WildcardAction[] = [
    ...eff.actions.filter(isWildcardPattern).map((p) => wildcardAction(p, false)),
    ...eff.dataActions.filter(isWildcardPattern).map((p) => wildcardAction(p, true)),
  ];

  const result: RoleClassification = {
    privileged,
    broad: !privileged && broadEvidence !== undefined,
    readerClass: nonReadEvidence === undefined,
    dataRole,
    dataWrite,
    wildcards,
    conditional: eff.conditional,
    governedResourceTypes: computeGovernedResourceTypes(role),
    ...(broadEvidence && !privileged ? { broadEvidence } : {}),
    ...(nonReadEvidence ? { nonReadEvidence } : {}),
  };
  classificationCache.set(role, result);
  return result;
}

function wildcardAction(pattern: string, data: boolean): WildcardAction {
  const p = normalizeAction(pattern);
  const [provider = "", ...rest] = p.split("/");
  let kind: WildcardKind;
  if (/^\*+$/.test(p)) kind = WildcardKind.All;
  else if (provider.includes("*")) kind = WildcardKind.AnyProvider;
  else if (rest.length === 1 && /^\*+$/.test(rest[0]!)) kind = WildcardKind.Provider;
  else kind = WildcardKind.Narrow;
  const readOnly = findOperation({ include: [p], exclude: [...READ_ONLY_PATTERNS] }) === undefined;
  return { pattern, data, kind, readOnly };
}

/** Grants `Microsoft.Authorization/roleAssignments/write` after notActions (Owner, User Access Administrator, RBAC Administrator). */
export function isPrivileged(role: RoleDefinition): boolean {
  return classifyRole(role).privileged;
}

/**
 * Not privileged, yet grants a write, delete or (non-read) action under a provider the role
 * never names, i.e. across every provider including future ones. Contributor (`*` minus
 * Microsoft.Authorization writes) is broad; `Microsoft.Storage/*` or `*\/read` are not.
 */
export function isBroad(role: RoleDefinition): boolean {
  return classifyRole(role).broad;
}

/**
 * Every effective action and data action only reads: ends in `/read`, `/readMetadata/action`
 * or is `blobServices/generateUserDelegationKey/action`, ignoring `Microsoft.Support/*` and
 * `Microsoft.Insights/alertRules/*`. A role that grants nothing is reader-class.
 */
export function isReaderClass(role: RoleDefinition): boolean {
  return classifyRole(role).readerClass;
}

/** Has effective data actions (data-plane access: blobs, queues, secrets, messages...). */
export function isDataRole(role: RoleDefinition): boolean {
  return classifyRole(role).dataRole;
}

/** Some effective data action writes, deletes or acts beyond reading (`DATA_READ_PATTERNS`). */
export function isDataWrite(role: RoleDefinition): boolean {
  return classifyRole(role).dataWrite;
}

/**
 * Has a wildcard action or data action in the sense of rule custom-role-wildcard: `*`,
 * `Provider/*`, or a provider-wildcard that reaches more than reads (`*\/write`). `*\/read`
 * and narrow wildcards such as `Microsoft.Compute/virtualMachines/*` do not count; all
 * wildcards are listed in `classifyRole(role).wildcards`.
 */
export function hasWildcardAction(role: RoleDefinition): boolean {
  return wildcardActions(role).length > 0;
}

/** The wildcard patterns that make `hasWildcardAction` true. */
export function wildcardActions(role: RoleDefinition): WildcardAction[] {
  return classifyRole(role).wildcards.filter(
    (w) => w.kind === WildcardKind.All || w.kind === WildcardKind.Provider || (w.kind === WildcardKind.AnyProvider && !w.readOnly),
  );
}

const writesProviderCache = new WeakMap<RoleDefinition, Map<string, string | null>>();

/**
 * An example operation the role grants that writes, deletes or acts (not read-only) under
 * `provider` (e.g. "Microsoft.Network"), or undefined. Control plane by default;
 * `{ data: true }` for data actions.
 */
export function findProviderWrite(role: RoleDefinition, provider: string, options: { data?: boolean } = {}): string | undefined {
  const ns = provider.trim();
  if (ns === "" || ns.includes("/") || ns.includes("*")) {
    throw new TypeError(`writesProvider: expected a provider namespace like "Microsoft.Network", got ${JSON.stringify(provider)}`);
  }
  const key = `${options.data ? "d" : "a"}|${ns.toLowerCase()}`;
  let memo = writesProviderCache.get(role);
  if (!memo) {
    memo = new Map();
    writesProviderCache.set(role, memo);
  }
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let found: string | undefined;
  for (const suffix of NON_READ_SUFFIXES) {
    found = findGrantedOperation(role, ns + suffix, { data: options.data, except: READ_ONLY_PATTERNS });
    if (found) break;
  }
  memo.set(key, found ?? null);
  return found;
}

/** True when the role grants some write, delete or non-read action under the provider namespace. */
export function writesProvider(role: RoleDefinition, provider: string, options: { data?: boolean } = {}): boolean {
  return findProviderWrite(role, provider, options) !== undefined;
}

// ---- governed resource types -------------------------------------------------------

/**
 * Actions almost every built-in service role carries for portal plumbing (deployments,
 * alert rules, support, reading role assignments and resource groups). They say nothing
 * about which kind of resource the role is for.
 */
const PLUMBING_PATTERNS = [
  "Microsoft.Authorization/*",
  "Microsoft.Insights/alertRules/*",
  "Microsoft.Resources/deployments/*",
  "Microsoft.Resources/subscriptions/*",
  "Microsoft.ResourceHealth/*",
  "Microsoft.Support/*",
] as const;

/** Second segments of ARM operations that are provider-level endpoints, not resource types. */
const NON_RESOURCE_SEGMENTS = new Set([
  "register",
  "unregister",
  "operations",
  "operationresults",
  "operationstatuses",
  "locations",
  "checknameavailability",
  "skus",
  "usages",
  "deletedvaults",
  "providers",
]);

/**
 * The top-level resource type of providers whose built-in data roles use `Provider/*`
 * wildcards (Service Bus and Event Hubs data roles name no resource type).
 */
export const PROVIDER_PRIMARY_RESOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  "microsoft.servicebus": ["Microsoft.ServiceBus/namespaces"],
  "microsoft.eventhub": ["Microsoft.EventHub/namespaces"],
  "microsoft.relay": ["Microsoft.Relay/namespaces"],
  "microsoft.keyvault": ["Microsoft.KeyVault/vaults"],
  "microsoft.storage": ["Microsoft.Storage/storageAccounts"],
  "microsoft.containerregistry": ["Microsoft.ContainerRegistry/registries"],
  "microsoft.eventgrid": ["Microsoft.EventGrid/topics", "Microsoft.EventGrid/domains", "Microsoft.EventGrid/namespaces"],
  "microsoft.appconfiguration": ["Microsoft.AppConfiguration/configurationStores"],
  "microsoft.documentdb": ["Microsoft.DocumentDB/databaseAccounts"],
  "microsoft.signalrservice": ["Microsoft.SignalRService/SignalR", "Microsoft.SignalRService/WebPubSub"],
};

function isNonResourceSegment(segment: string): boolean {
  const s = segment.toLowerCase();
  // Long-running-operation endpoints (privateDnsOperationResults, operationStatuses...) are not resources.
  return NON_RESOURCE_SEGMENTS.has(s) || /operation(s|results|statuses)$/.test(s);
}

function typesOfPattern(pattern: string): string[] {
  const parts = pattern.trim().split("/");
  const provider = parts[0] ?? "";
  if (provider === "" || provider.includes("*")) return [];
  const segment = parts[1];
  if (segment === undefined || segment.includes("*")) {
    const known = PROVIDER_PRIMARY_RESOURCE_TYPES[provider.toLowerCase()];
    if (known) return [...known];
    // Unknown provider: the resource types of catalogued operations the wildcard reaches.
    const out = new Set<string>();
    const re = compileActionPattern(pattern);
    for (const op of listConcreteOperations(provider)) {
      const t = op.split("/")[1];
      if (!t || isNonResourceSegment(t)) continue;
      if (re.test(op)) out.add(`${provider}/${t}`);
    }
    return [...out];
  }
  if (isNonResourceSegment(segment) || parts.length < 3) return [];
  return [`${provider}/${segment}`];
}

/**
 * The resource types the role is about: for a data role, the top-level types its data
 * actions reach (Storage Blob Data Reader → `Microsoft.Storage/storageAccounts`, Azure
 * Service Bus Data Sender → `Microsoft.ServiceBus/namespaces`); otherwise the types its
 * actions reach once portal plumbing is set aside (AcrPull →
 * `Microsoft.ContainerRegistry/registries`). Roles whose actions cross every provider
 * (`*`, Contributor, Reader) govern no particular type: empty list.
 */
export function governedResourceTypes(role: RoleDefinition): string[] {
  return classifyRole(role).governedResourceTypes;
}

function computeGovernedResourceTypes(role: RoleDefinition): string[] {
  const eff = effectivePermissions(role);
  let patterns = eff.dataActions;
  if (patterns.length === 0) {
    // `*` or `*/write`-style patterns reach everything: no particular type.
    if (eff.actions.some((p) => p.trim().split("/")[0]!.includes("*") && findOperation({ include: [p], exclude: [...READ_ONLY_PATTERNS] }))) {
      return [];
    }
    patterns = eff.actions.filter((p) => findOperation({ include: [p], exclude: [...PLUMBING_PATTERNS] }) !== undefined);
  }
  const seen = new Map<string, string>();
  for (const p of patterns) for (const t of typesOfPattern(p)) if (!seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  return [...seen.values()];
}
