import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { createAzureClients } from "@/lib/azure/clients";
import { serverEnv } from "@/lib/env";
import { scanConfigFromEnv } from "@/lib/scan/env-config";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { getInventory, refreshInventory, type Viewer } from "@/lib/scan/load";
import type { Finding, FixPlan } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { AuditLog, type ChangeRecord } from "@/lib/store/audit";
import { getStore, StorePart } from "@/lib/store/db";
import { ApplyRequestError, planApply, reconcile, type EngineContext, type UnfinishedChange } from "@/lib/remediation/apply/apply";
import { PlanChoiceError } from "@/lib/remediation/apply/resolve";
import type { ApplyResult, PlanChoices } from "@/lib/remediation/apply/types";
import { kubeAccessFromAzure } from "./kube-access";
import { verifyFinding, type Verification } from "@/lib/remediation/verify";

interface ReconcileState {
  /** Data dirs whose unfinished changes were reconciled by this process. */
  done: Set<string>;
}
const state: ReconcileState = ((globalThis as { __scopewiseReconciled?: ReconcileState }).__scopewiseReconciled ??= { done: new Set() });

/**
 * The audit log of this server's store. The first use in a process reconciles: changes a
 * previous process left pending (it died mid-apply) become needs-reconcile, for people to
 * finish or undo.
 */
export function serverAuditLog(): AuditLog {
  const dir = serverEnv().SCOPEWISE_DATA_DIR;
  const audit = new AuditLog(getStore(dir, StorePart.AuditLog));
  if (!state.done.has(dir)) {
    reconcile(audit);
    state.done.add(dir);
  }
  return audit;
}

export function unfinishedChanges(audit: AuditLog): UnfinishedChange[] {
  return reconcile(audit);
}

/** The audit log's latest changes of a finding; an unreadable log is said, not hidden. */
export function changesOfFinding(findingId: string, limit = 20): { changes: ChangeRecord[]; error?: string } {
  try {
    return { changes: serverAuditLog().list({ findingId, limit }) };
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
    audit: serverAuditLog(),
    actor: actor.kind === "user" ? `${actor.displayName} [${actor.id}]` : actor.displayName,
    subscriptionId,
    async findFinding(findingId) {
      const scan = await getCurrentScan(actor.viewer);
      const finding = scan.findings.find((f) => f.id === findingId);
      if (!finding) throw new ApplyRequestError(`no finding ${findingId} in the current scan; it may be resolved already, rescan to check`, 404);
      return { finding, inventory: scan.inventory };
    },
  };
}

/** Rescans as the actor (a scan that started before the apply does not count) and says whether the finding is gone. */
export async function rescanAndVerify(actor: Actor, finding: Finding): Promise<Verification> {
  const { inventory } = await refreshInventory(actor.viewer, { notBefore: Date.now() });
  return verifyFinding(finding, inventory);
}
