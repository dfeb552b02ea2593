import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { createAzureClients } from "@/lib/azure/clients";
import { serverEnv } from "@/lib/env";
import { scanConfigFromEnv } from "@/lib/scan/env-config";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { getInventory, refreshInventory, type Viewer } from "@/lib/scan/load";
import type { Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { readableScopes } from "@/lib/inventory/readable";
import { AuditLog, type ChangeRecord } from "@/lib/store/audit";
import { StorePart } from "@/lib/store/db";
import { StagedMigrationLog } from "@/lib/store/staged-migrations";
import { ApplyRequestError, planApply, reconcile, type EngineContext, type UnfinishedChange } from "@/lib/remediation/apply/apply";
import { PlanChoiceError } from "@/lib/remediation/apply/resolve";
import type { ApplyResult, PlanChoices } from "@/lib/remediation/apply/types";
import { kubeAccessFromAzure } from "./kube-access";
import { serverStore } from "./store";
import { verifyFinding, type Verification } from "@/lib/remediation/verify";

interface ReconcileState {
  /** Stores whose unfinished changes were reconciled by this process. */
  done: Set<string>;
}
const state: ReconcileState = ((globalThis as { __scopewiseReconciled?: ReconcileState }).__scopewiseReconciled ??= { done: new Set() });

/**
 * The audit log of this server's store. The first use in a process reconciles: changes a
 * process that stopped left pending (it died mid-apply) become needs-reconcile, for people to
 * finish or undo.
 */
export async function serverAuditLog(): Promise<AuditLog> {
  const store = await serverStore(StorePart.AuditLog);
  const audit = new AuditLog(store);
  if (!state.done.has(store.location)) {
    await reconcile(audit, { held: await new StagedMigrationLog(store).pausedChangeIds() });
    state.done.add(store.location);
  }
  return audit;
}

/** Where the server's staged migrations stand (same store as the audit log). */
export async function serverStagedLog(): Promise<StagedMigrationLog> {
  return new StagedMigrationLog(await serverStore(StorePart.AuditLog));
}

/**
 * The changes `viewer` may see and act on: every change for the server's own credential; for a
 * signed-in person, those whose every touched scope their own scan could read (as ARM told it).
 */
export async function changeVisibility(viewer: Viewer): Promise<((change: ChangeRecord) => boolean) | undefined> {
  if (viewer.kind !== "user") return undefined;
  const readable = readableScopes((await getInventory(viewer)).inventory);
  return (change) => change.scopes.length > 0 && change.scopes.every(readable);
}

/** The audit log as `viewer` may see it, newest first, with the changes a crash left unfinished. */
export async function listChanges(viewer: Viewer, query: { limit?: number; findingId?: string } = {}): Promise<{ changes: ChangeRecord[]; unfinished: UnfinishedChange[] }> {
  const audit = await serverAuditLog();
  const visible = await changeVisibility(viewer);
  const held = await (await serverStagedLog()).pausedChangeIds();
  return { changes: await audit.list({ ...query, visible }), unfinished: await reconcile(audit, { visible, held }) };
}

/** The audit log's latest changes of a finding that `viewer` may see; an unreadable log is said, not hidden. */
export async function changesOfFinding(findingId: string, viewer: Viewer, limit = 20): Promise<{ changes: ChangeRecord[]; error?: string }> {
  try {
    return { changes: await (await serverAuditLog()).list({ findingId, limit, visible: await changeVisibility(viewer) }) };
  } catch (err) {
    return { changes: [], error: (err as Error).message };
  }
}

/**
 * The engine's dry run of one of a finding's plans with these choices: what POST
 * /api/changes answers without `confirm`, for the wizard's Apply step. Choices the plan does
 * not offer make it not applicable, with the reason.
 */
export function dryRunOf(inventory: Inventory): (finding: Finding, plan: FixPlan, choices: PlanChoices) => ApplyResult {
  return (finding, plan, choices) => {
    try {
      return planApply(plan, { inventory, finding, choices, kubernetes: true }).result;
    } catch (err) {
      if (!(err instanceof PlanChoiceError)) throw err;
      return { dryRun: true, findingId: finding.id, planId: plan.id, status: "not-applicable", steps: [], followUps: [], blocked: err.message, message: `This plan cannot be applied automatically: ${err.message}.` };
    }
  };
}

/** Whom an apply acts as, for people: the signed-in person, or the server's own credential. */
export function actingAs(viewer: Viewer): string {
  return viewer.kind === "user" ? `${viewer.session.user.name} (${viewer.session.user.username})` : "the Scopewise server's own credential";
}

/**
 * What applying needs, acting as `actor`: the SDK clients on the actor's credential (the
 * signed-in person's own token, or the server's in demo mode), Kubernetes access through the
 * same credential, and the audit log. `findFinding` takes the finding from the current scan,
 * whose rules ran once when it was made (the pages showed the same findings).
 */
export async function engineFor(actor: Actor): Promise<EngineContext & { findFinding(findingId: string): Promise<{ finding: Finding; inventory: Inventory }> }> {
  const env = serverEnv();
  const { config } = await scanConfigFromEnv(env, actor.viewer);
  const azure = createAzureClients(config);
  const { inventory } = await getInventory(actor.viewer);
  const subscriptionId = inventory.subscriptions[0]?.subscriptionId;
  if (!subscriptionId) throw new ApplyRequestError("the current scan saw no subscription; nothing can be changed", 409);
  return {
    azure,
    kube: kubeAccessFromAzure(azure, config.credential),
    audit: await serverAuditLog(),
    actor: actor.kind === "user" ? `${actor.displayName} [${actor.id}]` : actor.displayName,
    subscriptionId,
    visible: await changeVisibility(actor.viewer),
    async findFinding(findingId) {
      const scan = await getCurrentScan(actor.viewer);
      const finding = scan.findings.find((f) => f.id === findingId);
      if (!finding) throw new ApplyRequestError(`no finding ${findingId} in the current scan; it may be resolved already, rescan to check`, 404);
      return { finding, inventory: scan.inventory };
    },
  };
}

/** Rescans as the actor (a scan already running when asked does not count: it may have read Azure before the change) and says whether the finding is gone. */
export async function rescanAndVerify(actor: Actor, finding: Finding): Promise<Verification> {
  const { inventory } = await refreshInventory(actor.viewer);
  return verifyFinding(finding, inventory);
}
