import { getIndex } from "@/components/inventory/lookup";
import { scopeDisplayName } from "@/lib/model/names";
import type { AzArg, Finding, FixPlan, FixStep } from "@/lib/model/findings";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { scopeNoun } from "@/lib/model/vocabulary";
import type { RoleCatalog } from "@/lib/roles/catalog";
import type { DataNeed } from "@/lib/roles/data-narrowing";
import { countGrantedOperations } from "@/lib/roles/narrowest";
import { azCommandLine } from "@/lib/remediation/render/quote";
import { isCreateAssignment, offeredRoles, offeredScopes } from "./chosen-plan";
import type { WizardState } from "./steps";

/** What kind of fix a plan is, which decides what the Choose step asks. */
export const PlanKind = {
  /** Creates narrower role assignments (and deletes the broad one): pick role and scope. */
  Role: "role",
  /** Only deletes: confirm nothing still needs what is removed. */
  Removal: "removal",
  /** aad-pod-identity → workload identity: per binding, read-only summary. */
  Migration: "migration",
  /** One new identity per app (shared identity). */
  Split: "split",
  /** Nothing Scopewise can write: preview only. */
  Manual: "manual",
  Other: "other",
} as const;
export type PlanKind = (typeof PlanKind)[keyof typeof PlanKind];

export function planKind(plan: FixPlan): PlanKind {
  const kinds = new Set(plan.steps.map((s) => s.kind));
  if (plan.steps.every((s) => s.kind === "manual" || s.kind === "az-command")) return PlanKind.Manual;
  if (kinds.has("create-managed-identity")) return PlanKind.Split;
  if (plan.steps.some((s) => s.kind === "kubernetes-delete" && s.objectKind === "AzureIdentityBinding")) return PlanKind.Migration;
  if (kinds.has("create-role-assignment")) return PlanKind.Role;
  if ([...kinds].every((k) => k.startsWith("delete-") || k === "kubernetes-delete" || k === "manual")) return PlanKind.Removal;
  return PlanKind.Other;
}

export interface PlanOption {
  id: string;
  summary: string;
  /** For data-role narrowing plans: the answer to "what does the app do with the data?". */
  need?: DataNeed;
  selected: boolean;
}

export interface RoleOption {
  id: string;
  name: string;
  /** Operations the role grants (actions and data actions): fewer is narrower. */
  grantedOperations?: number;
  selected: boolean;
}

export interface ScopeOption {
  id: string;
  label: string;
  /** "registry", "subnet", "resource group"…: what the scope is. */
  level: string;
  /** The plan proposes it (what the cluster uses): pre-selected. */
  proposed: boolean;
  selected: boolean;
}

export interface Reference {
  label: string;
  detail: string;
  href?: string;
}

/** One aad-pod-identity binding and what replaces it (a binding can select pods of several workloads). */
export interface BindingRow {
  namespace: string;
  binding: string;
  serviceAccounts: string[];
  /** `on`: where the credential lives when it is not the binding's managed identity ("app registration sp-x (appId …)"). */
  federatedCredentials: { name?: string; issuer: string; subject: string; on?: string }[];
  workloads: { name: string; podLabel?: string }[];
}

export interface NewIdentityRow {
  name: string;
  resourceGroup: string;
  /** The grants the plan creates for it; grants chosen by hand are in `manualSteps`. */
  grants: string[];
  subject?: string;
}

export interface ChooseView {
  kind: PlanKind;
  plans: PlanOption[];
  roles: RoleOption[];
  scopes: ScopeOption[];
  references: Reference[];
  bindings: BindingRow[];
  /** Steps that must come before the per-binding changes (enable the OIDC issuer…). */
  prerequisites: string[];
  newIdentities: NewIdentityRow[];
  /** Steps left to people after the automated part. */
  manualSteps: string[];
}

const NEED_WORDS: Record<DataNeed, string> = {
  read: "reads",
  write: "writes",
  send: "sends",
  receive: "receives",
  manage: "manages",
};

/** "It reads / receives the data": the question a data-narrowing plan answers. */
export function needLabel(need: DataNeed): string {
  return `The app only ${NEED_WORDS[need]} data`;
}

/** Data-role narrowing plans are named `narrow-<service>-<need>` by the rule. */
export function needOfPlan(plan: FixPlan): DataNeed | undefined {
  const m = /^narrow-.+-(read|write|send|receive|manage)$/.exec(plan.id);
  return m ? (m[1] as DataNeed) : undefined;
}

/** The literal value after `--<flag>` in an az command's arguments. */
function flagValue(args: readonly AzArg[], flag: string): string | undefined {
  const value = args[args.indexOf(`--${flag}`) + 1];
  return args.includes(`--${flag}`) && typeof value === "string" ? value : undefined;
}

/** The literal text of an az command's arguments (run-time values left out), to find a subject in a JSON body. */
function literalText(args: readonly AzArg[]): string {
  return args.flatMap((a) => (typeof a === "string" ? [a] : "join" in a ? a.join.filter((p): p is string => typeof p === "string") : [])).join(" ");
}

/** Per binding: the SA, federated credential, pod label and binding of a migration plan, grouped in plan order. */
export function buildBindingRows(plan: FixPlan, inventory: Inventory): { rows: BindingRow[]; prerequisites: string[]; manual: string[] } {
  const rows: BindingRow[] = [];
  const prerequisites: string[] = [];
  const manual: string[] = [];
  const fresh = (): Omit<BindingRow, "namespace" | "binding"> => ({ serviceAccounts: [], federatedCredentials: [], workloads: [] });
  let pending = fresh();
  const touched = () => pending.serviceAccounts.length + pending.federatedCredentials.length + pending.workloads.length > 0;
  for (const s of plan.steps) {
    switch (s.kind) {
      case "az-command": {
        if (s.args.includes("federated-credential") && s.args.includes("create")) {
          const subject = flagValue(s.args, "subject") ?? /system:serviceaccount:[^\s"',}\\]+/.exec(literalText(s.args))?.[0] ?? "";
          pending.federatedCredentials.push({ name: flagValue(s.args, "name"), issuer: "the cluster's OIDC issuer (read from the cluster when the command runs)", subject });
        } else if (!touched() && rows.length === 0) prerequisites.push(s.description);
        else manual.push(`${s.description} (${azCommandLine(s.args)})`);
        break;
      }
      case "create-federated-credential":
        pending.federatedCredentials.push({ name: s.name, issuer: s.issuer, subject: s.subject });
        break;
      case "create-app-federated-credential":
        pending.federatedCredentials.push({ name: s.name, issuer: s.issuer, subject: s.subject, on: `app registration ${s.applicationName} (appId ${s.appId})` });
        break;
      case "kubernetes-apply": {
        const m = s.manifest as { kind?: string; metadata?: { name?: string; namespace?: string }; spec?: { template?: { metadata?: { labels?: Record<string, string> } } } };
        if (m.kind === "ServiceAccount") pending.serviceAccounts.push(`${m.metadata?.namespace}/${m.metadata?.name}`);
        else {
          const labels = m.spec?.template?.metadata?.labels;
          pending.workloads.push({
            name: `${m.kind} ${m.metadata?.namespace}/${m.metadata?.name}`,
            ...(labels ? { podLabel: Object.entries(labels).map(([k, v]) => `${k}: "${v}"`).join(", ") } : {}),
          });
        }
        break;
      }
      case "kubernetes-delete":
        if (s.objectKind === "AzureIdentityBinding") {
          rows.push({ ...pending, namespace: s.namespace ?? "", binding: s.name });
          pending = fresh();
        }
        break;
      case "manual":
        manual.push(s.description);
        break;
      default:
        break;
    }
  }
  void inventory;
  return { rows, prerequisites, manual };
}

/** What in the inventory still refers to what a removal deletes: the principal's identity, its uses and linked workloads. */
export function buildReferences(inventory: Inventory, plan: FixPlan): Reference[] {
  const index = getIndex(inventory);
  const refs: Reference[] = [];
  const principals = new Set(plan.steps.filter((s): s is Extract<FixStep, { kind: "delete-role-assignment" }> => s.kind === "delete-role-assignment").map((s) => normalizeId(s.principalId)));
  for (const p of principals) {
    const identity = index.identityByPrincipalId.get(p);
    const principal = index.principalById.get(p);
    if (!identity && !principal) {
      refs.push({
        label: `Principal ${p}`,
        detail: inventory.principalsResolved ? "Not in the directory: no identity, cluster or workload in the scan uses it." : "The directory could not be read; whether it exists is unknown.",
      });
      continue;
    }
    const name = identity?.displayName ?? principal?.displayName ?? p;
    const href = identity ? `/identities/${encodeURIComponent(identity.key)}` : undefined;
    for (const use of identity?.uses ?? []) {
      const cluster = use.clusterId ? (index.clusterById.get(normalizeId(use.clusterId))?.name ?? use.clusterId) : undefined;
      refs.push({ label: name, detail: `${use.kind} identity${cluster ? ` of cluster ${cluster}` : ""}${use.addon ? ` (add-on ${use.addon})` : ""}`, href });
    }
    for (const link of inventory.links.filter((l) => identity && normalizeId(l.identityKey) === normalizeId(identity.key))) {
      refs.push({ label: name, detail: `used by ${link.workloadId.split("/namespaces/")[1] ?? link.workloadId} through ${link.mechanism}`, href });
    }
    if ((identity?.uses.length ?? 0) === 0 && !inventory.links.some((l) => identity && normalizeId(l.identityKey) === normalizeId(identity.key))) {
      refs.push({ label: name, detail: "No cluster or workload in the scan uses this identity.", href });
    }
  }
  return refs;
}

function buildNewIdentities(plan: FixPlan): NewIdentityRow[] {
  const rows: NewIdentityRow[] = [];
  for (const s of plan.steps) {
    if (s.kind === "create-managed-identity") rows.push({ name: s.name, resourceGroup: s.resourceGroupId.split("/").pop() ?? s.resourceGroupId, grants: [] });
    const last = rows[rows.length - 1];
    if (!last) continue;
    if (s.kind === "create-role-assignment") last.grants.push(`${s.roleName} on ${s.scope}`);
    if (s.kind === "create-federated-credential" && s.identityId.endsWith(`/${last.name}`)) last.subject = s.subject;
  }
  return rows;
}

/** The Choose step for a plan and the choices in the URL. */
export function buildChooseView(inventory: Inventory, finding: Finding, plan: FixPlan, state: WizardState, catalog: RoleCatalog): ChooseView {
  const kind = planKind(plan);
  const index = getIndex(inventory);
  const creates = plan.steps.filter(isCreateAssignment);
  const chosenRole = state.roleDefinitionId ? roleDefinitionGuid(state.roleDefinitionId) : creates[0] ? roleDefinitionGuid(creates[0].roleDefinitionId) : undefined;
  const roles: RoleOption[] = offeredRoles(plan)
    .map((id) => {
      const role = catalog.get(id);
      const option: RoleOption = { id, name: role?.roleName ?? creates.find((c) => roleDefinitionGuid(c.roleDefinitionId) === roleDefinitionGuid(id))?.roleName ?? id, selected: roleDefinitionGuid(id) === chosenRole };
      if (role) option.grantedOperations = countGrantedOperations(role).total;
      return option;
    })
    .sort((a, b) => (a.grantedOperations ?? Infinity) - (b.grantedOperations ?? Infinity) || a.name.localeCompare(b.name));
  const proposed = new Set(creates.map((c) => normalizeId(c.scope)));
  const chosen = state.scopes ? new Set(state.scopes.map(normalizeId)) : proposed;
  const scopes: ScopeOption[] = offeredScopes(plan).map((id) => {
    return { id, label: scopeDisplayName(id, index), level: scopeNoun(id), proposed: proposed.has(normalizeId(id)), selected: chosen.has(normalizeId(id)) };
  });
  const plans: PlanOption[] = finding.fixes.map((p) => {
    const need = needOfPlan(p);
    return { id: p.id, summary: p.summary, selected: p.id === plan.id, ...(need ? { need } : {}) };
  });
  const migration = kind === PlanKind.Migration ? buildBindingRows(plan, inventory) : undefined;
  return {
    kind,
    plans,
    roles,
    scopes,
    references: kind === PlanKind.Removal ? buildReferences(inventory, plan) : [],
    bindings: migration?.rows ?? [],
    prerequisites: migration?.prerequisites ?? [],
    newIdentities: kind === PlanKind.Split ? buildNewIdentities(plan) : [],
    manualSteps: migration?.manual ?? plan.steps.filter((s) => s.kind === "manual").map((s) => (s as { description: string }).description),
  };
}
